"""Pausing Python's cyclic garbage collector around bulk work.

Loading a 20,000-question bank or grading 10,000 students builds hundreds of thousands of
small objects and no reference cycles; the collector's passes over them only cost time
(measured in benchmarks/bench_cli.py). Reference counting still frees everything.
"""
from __future__ import annotations

import gc
from contextlib import contextmanager


@contextmanager
def gc_paused():
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()
