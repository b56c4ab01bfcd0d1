"""The benchmark script (`make bench`): runs every benchmarks/bench_*.py module's `run()`
and prints one line per measurement. Add a concern's benchmarks as a new bench_*.py.

    .venv/bin/python benchmarks/run.py [--json] [NAME…]   (NAME: e.g. book, for bench_book.py)
"""
from __future__ import annotations

import importlib.util
import json
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent


def main() -> None:
    names = [a for a in sys.argv[1:] if not a.startswith("-")]
    rows = []
    for path in sorted(HERE.glob("bench_*.py")):
        if names and path.stem.removeprefix("bench_") not in names:
            continue
        spec = importlib.util.spec_from_file_location(path.stem, path)
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
        for row in module.run():
            rows.append(row)
            if "--json" not in sys.argv:
                extra = ", ".join(f"{k} {v}" for k, v in row.items() if k not in ("benchmark", "seconds"))
                print(f"{row['seconds']:8.2f} s  {row['benchmark']}" + (f"  ({extra})" if extra else ""), flush=True)
    if "--json" in sys.argv:
        print(json.dumps(rows, indent=2))


if __name__ == "__main__":
    main()
