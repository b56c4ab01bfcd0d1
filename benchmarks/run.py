"""The benchmark script (`make bench`): runs every benchmarks/bench_*.py module's `run()`
and prints one line per measurement. Add a concern's benchmarks as a new bench_*.py.

    .venv/bin/python benchmarks/run.py [--json] [--quick] [NAME…]   (NAME: e.g. book, for bench_book.py)

A measurement that has a baseline (a row with `baseline` and `baseline_seconds`) is
printed with the ratio of the two, both measured in the same run.
"""
from __future__ import annotations

import importlib.util
import json
import os
import platform
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent


def machine() -> dict:
    """What the figures were measured on: CPUs, CPU model, Python, load."""
    model = ""
    try:
        model = next((line.split(":", 1)[1].strip() for line in Path("/proc/cpuinfo").read_text().splitlines()
                      if line.startswith("model name")), "")
    except OSError:
        pass
    return {"cpus": os.cpu_count(), "cpu": model or platform.processor() or platform.machine(),
            "python": platform.python_version(), "system": f"{platform.system()} {platform.release()}",
            "load_average": [round(x, 2) for x in os.getloadavg()] if hasattr(os, "getloadavg") else None,
            "date": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime())}


def machine_line() -> str:
    m = machine()
    load = ", ".join(map(str, m["load_average"] or []))
    return f"Machine: {m['cpus']} CPUs, {m['cpu']}; Python {m['python']}; {m['system']}; load average {load}; {m['date']}"


def print_row(row: dict) -> None:
    """One line per measurement; with its baseline and ratio when it has one."""
    if "baseline" in row:
        goal = ""
        if row.get("goal"):
            goal = f"  goal {row['goal']}: {'met' if row['met'] else 'MISSED'}"
        print(f"{row['seconds']:8.3f} s  {row['ratio']:6.2f}x  {row['benchmark']}  "
              f"[baseline: {row['baseline']}, {row['baseline_seconds']:.3f} s]{goal}", flush=True)
        if row.get("note"):
            print(f"{'':20}{row['note']}", flush=True)
        return
    extra = ", ".join(f"{k} {v}" for k, v in row.items() if k not in ("benchmark", "seconds"))
    print(f"{row['seconds']:8.2f} s  {row['benchmark']}" + (f"  ({extra})" if extra else ""), flush=True)


def main() -> None:
    names = [a for a in sys.argv[1:] if not a.startswith("-")]
    rows = []
    if "--json" not in sys.argv:
        print(machine_line(), flush=True)
        print("Each figure: median of several runs of the real commands; ratio = time / baseline time, "
              "measured in the same run.", flush=True)
    for path in sorted(HERE.glob("bench_*.py")):
        if names and path.stem.removeprefix("bench_") not in names:
            continue
        spec = importlib.util.spec_from_file_location(path.stem, path)
        module = importlib.util.module_from_spec(spec)
        sys.modules[path.stem] = module  # dataclasses look their module up there
        spec.loader.exec_module(module)
        for row in module.run():
            rows.append(row)
            if "--json" not in sys.argv:
                print_row(row)
    if "--json" in sys.argv:
        print(json.dumps({"machine": machine(), "rows": rows}, indent=2))


if __name__ == "__main__":
    main()
