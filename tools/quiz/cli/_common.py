"""Small helpers shared by the command modules."""
from __future__ import annotations

import functools

import click


def csv_list(value: str | None) -> list[str]:
    return [v.strip() for v in (value or "").split(",") if v.strip()]


def fail_on_input_error(fn):
    """Report an InputError as `file:line: message` with exit status 2, never a traceback."""

    @functools.wraps(fn)
    def wrapper(*args, **kwargs):
        from quiz.errors import InputError

        try:
            return fn(*args, **kwargs)
        except InputError as exc:
            click.echo(f"error: {exc}", err=True)
            raise SystemExit(2) from None

    return wrapper
