"""JSON Schema checks with messages a person can act on, at the line of the offending value."""
from __future__ import annotations

import json
from functools import lru_cache

from quiz import paths
from quiz.course.safeyaml import Loaded, read_text
from quiz.errors import Problem


@lru_cache(maxsize=None)
def schema(which: str) -> dict:
    """`quizzes/schema.json` ('bank') or `lessons/schema.json` ('lesson')."""
    path = paths.schema_path() if which == "bank" else paths.lessons_dir() / "schema.json"
    return json.loads(read_text(path, "schema"))


@lru_cache(maxsize=None)
def validator(which: str):
    """The jsonschema validator of `schema(which)`: the reference, and the messages."""
    from jsonschema import Draft202012Validator

    return Draft202012Validator(schema(which))


@lru_cache(maxsize=None)
def fast_validators(which: str):
    """The schema compiled to Python by fastjsonschema (tens of times faster than jsonschema),
    used only to let valid input through quickly: whenever it objects, the jsonschema
    validator has the final word and writes the messages. None if unavailable.

    For banks: one validator for the bank without its questions, and one per question type,
    each the question schema joined (allOf) with that type's `then` branch, which is what
    the schema's `if type == T` conditions select; checking each question against its own
    type's schema avoids evaluating eight conditions per question. Our schemas use only
    draft-07 keywords ($defs is reached by a JSON pointer)."""
    try:
        import fastjsonschema
    except ImportError:  # pragma: no cover - a dependency of nbformat, normally installed
        return None
    whole = {**schema(which), "$schema": "http://json-schema.org/draft-07/schema#"}
    try:
        if which != "bank":
            return fastjsonschema.compile(whole), {}
        question = whole["$defs"]["question"]
        base = {k: v for k, v in question.items() if k != "allOf"}
        per_type = {}
        for cond in question.get("allOf", []):
            t = cond["if"]["properties"]["type"]["const"]
            per_type[t] = fastjsonschema.compile({"$schema": whole["$schema"], "allOf": [base, cond["then"]]})
        shell = {**whole, "properties": {**whole["properties"],
                                         "questions": {**whole["properties"]["questions"], "items": {}}}}
        shell.pop("$defs", None)
        return fastjsonschema.compile(shell), per_type
    except Exception:  # pragma: no cover - a schema it cannot compile: jsonschema alone
        return None


FAST_ABOVE = 40  # questions: below this, compiling the fast validators costs more than it saves


_many_banks = False


def prefer_compiled() -> None:
    """Use the fast validators for banks (and their lessons) of any size from now on: for a run
    over many banks (`quiz lint` over the course), where compiling once costs less than
    importing jsonschema and running it on each."""
    global _many_banks
    _many_banks = True


def _large(data) -> bool:
    return _many_banks or isinstance(data, dict) and isinstance(data.get("questions"), list) \
        and len(data["questions"]) > FAST_ABOVE


def is_valid_fast(data, which: str) -> bool:
    """True only when `data` certainly satisfies the schema `which`."""
    compiled = fast_validators(which)
    if compiled is None:
        return False
    whole, per_type = compiled
    try:
        whole(data)
        if which == "bank":
            for q in data["questions"]:
                per_type[q["type"]](q)
    except Exception:  # invalid, or data it cannot handle: let jsonschema decide
        return False
    return True


def _where(path) -> str:
    parts = []
    for p in path:
        parts.append(f"[{p + 1}]" if isinstance(p, int) else (("." if parts else "") + str(p)))
    return "".join(parts)


def _inner(error):
    """For a passage given as a mapping or a list (`oneOf`), the error inside the form given,
    so the message and its line point at the bad value; else the error itself."""
    if error.validator == "oneOf" and error.absolute_path and error.absolute_path[-1] == "passage":
        inner = [e for e in error.context if not (e.validator == "type" and not e.relative_path)]
        if inner:
            return max(inner, key=lambda e: len(e.absolute_path))
    return error


def humanize(error) -> str:
    """Turn a jsonschema error into one sentence naming the field."""
    where = _where(error.absolute_path)
    prefix = f"{where}: " if where else ""
    if error.validator == "required":
        missing = error.message.split("'")[1] if "'" in error.message else error.message
        return f"{prefix}'{missing}' is required".replace(": '", ": missing '", 1) if prefix else f"missing '{missing}'"
    if error.validator == "additionalProperties":
        return f"{prefix}{error.message} (check the spelling; see the format reference)"
    if error.validator is False or (error.schema is False):
        field = error.absolute_path[-1] if error.absolute_path else "this key"
        return f"'{field}' does not belong to this question type"
    if error.validator == "enum":
        return f"{prefix}{error.instance!r} is not one of {', '.join(map(str, error.validator_value))}"
    if error.validator == "oneOf" and error.absolute_path and error.absolute_path[-1] == "passage":
        inner = _inner(error)
        if inner is not error:
            return humanize(inner)
        return f"{prefix}{error.instance!r} is neither a mapping with 'quote' nor a list of such mappings"
    if error.validator == "oneOf":
        return f"{prefix}give either 'start' and 'end', or 'quote'"
    if error.validator == "anyOf":  # the essay's choice of fields
        return f"{prefix}an essay gives 'prompt' and 'model_answer', or 'exercise' (an exercise label of the lesson)"
    if error.validator == "minItems":
        return f"{prefix}needs at least {error.validator_value} items"
    return prefix + error.message


def schema_errors(loaded: Loaded, which: str) -> list[tuple[Problem, tuple]]:
    """Each schema violation as a Problem, with the path of the offending value."""
    if _large(loaded.data) and is_valid_fast(loaded.data, which):
        return []
    out = []
    for error in validator(which).iter_errors(loaded.data):
        if error.validator in ("if", "allOf"):
            continue
        error = _inner(error)
        path = tuple(error.absolute_path)
        if error.validator is None:  # a `false` subschema: a key that this question type forbids
            for key in _forbidden_keys(error, loaded.data, path):
                t = _type_at(loaded.data, path)
                out.append((Problem(loaded.file, loaded.line_of(path + (key,)),
                                    f"'{key}' does not belong to {'an' if t[:1] in 'aeiou' else 'a'} {t} question"),
                            path + (key,)))
            continue
        out.append((Problem(loaded.file, loaded.line_of(path), humanize(error)), path))
    return out


def _value_at(data, path):
    for p in path:
        data = data[p]
    return data


def _type_at(data, path) -> str:
    value = _value_at(data, path)
    return value.get("type", "?") if isinstance(value, dict) else "?"


def _forbidden_keys(error, data, path) -> list[str]:
    """The keys of the question at `path` that its type's `then` branch sets to `false`."""
    value = _value_at(data, path)
    if not isinstance(value, dict):
        return []
    for cond in validator("bank").schema.get("$defs", {}).get("question", {}).get("allOf", []):
        if cond["if"]["properties"]["type"].get("const") == value.get("type"):
            props = cond["then"].get("properties", {})
            return [k for k in value if props.get(k) is False]
    return []


def schema_problems(loaded: Loaded, which: str) -> list[Problem]:
    return [p for p, _ in schema_errors(loaded, which)]
