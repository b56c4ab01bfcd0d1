"""Benchmarks of the command line: start-up, validate, generate, grade and the QTI export,
each figure against a baseline measured in the same run (`make bench` runs it with the
other bench_*.py modules; `.venv/bin/python benchmarks/bench_cli.py` runs it alone).

Every figure is the median wall-clock time of several runs of the real console scripts
(a fresh process each time, as a user runs them), with the median of its baseline, timed
alternately with it so both see the same machine load, and their ratio: a figure can be
read on any machine. Inputs are generated in a temporary directory from the course's own
banks: questions are copied with new ids, so every passage quote is a real quote of the
corpus and validates.

| figure | baseline | goal |
|---|---|---|
| `quiz --help` | `python -c "import click"` | within 1.3x |
| `quiz validate` (the course; 5k/10k/20k-question banks) | PyYAML's C loader reading the same files | 20k under 3 s, linear |
| `quiz lint` (the course; 5k/10k/20k-question banks) | PyYAML's C loader reading the same files | the course under 1 s, linear |
| `quiz generate` 1,000 variants of 30 questions | the same with 1 variant | under 1 s |
| `quiz grade` 300 and 10,000 responses x 30 questions | Python's csv module reading the responses | 10k under 2 s |
| `quiz export --format qti`, 30 questions | `text2qti` on the same questions as text | side by side |

Options (after run.py or bench_cli.py): --quick (2 runs per figure instead of 5).
"""
from __future__ import annotations

import csv
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent
PY = sys.executable
QUIZ = str(BIN / "quiz")
TEXT2QTI = str(BIN / "text2qti")
sys.path.insert(0, str(ROOT / "tools"))


@dataclass
class Figure:
    name: str
    seconds: float
    baseline: str
    baseline_seconds: float
    goal: str = ""
    met: bool | None = None
    note: str = ""
    runs: list[float] = field(default_factory=list)

    @property
    def ratio(self) -> float:
        return self.seconds / self.baseline_seconds if self.baseline_seconds else float("nan")


FIGURES: list[Figure] = []


def env(**extra) -> dict:
    e = dict(os.environ, COLUMNS="100", **extra)
    e.setdefault("QUIZ_COURSE_ROOT", str(ROOT))
    return e


def run_once(cmd: list[str], cwd: Path | None = None, environ: dict | None = None, check: bool = True,
             setup=None) -> float:
    if setup:
        setup()
    start = time.perf_counter()
    proc = subprocess.run(cmd, cwd=cwd, env=environ or env(), stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    elapsed = time.perf_counter() - start
    if check and proc.returncode != 0:
        raise SystemExit(f"benchmark command failed ({proc.returncode}): {' '.join(cmd)}\n"
                         + proc.stderr.decode(errors="replace")[-2000:])
    return elapsed


def timed(cmd: list[str], repeat: int, **kw) -> tuple[float, list[float]]:
    """Median of `repeat` runs, after one warm-up run (file cache, .pyc)."""
    run_once(cmd, **kw)
    runs = [run_once(cmd, **kw) for _ in range(repeat)]
    return statistics.median(runs), runs


def figure(name: str, cmd: list[str], baseline: str, base_cmd: list[str], repeat: int, goal: str = "",
           met=None, note: str = "", **kw) -> Figure:
    """Time `cmd` and its baseline alternately, so both see the same machine load."""
    run_once(cmd, **kw)
    run_once(base_cmd, **{k: v for k, v in kw.items() if k != "setup"})
    runs, base_runs = [], []
    for _ in range(repeat):
        runs.append(run_once(cmd, **kw))
        base_runs.append(run_once(base_cmd, **{k: v for k, v in kw.items() if k != "setup"}))
    f = Figure(name, statistics.median(runs), baseline, statistics.median(base_runs), goal, note=note, runs=runs)
    f.met = met(f) if met else None
    FIGURES.append(f)
    return f


# -- inputs -------------------------------------------------------------------------------

def course_questions() -> list[dict]:
    """Every question of the course's banks as bank-format data, its chapter made explicit."""
    import yaml

    out = []
    for path in sorted((ROOT / "quizzes").glob("*.yaml")):
        bank = yaml.safe_load(path.read_text(encoding="utf-8"))
        for q in bank["questions"]:
            q = dict(q)
            q["passage"] = {**q["passage"], "chapter": q["passage"].get("chapter") or bank["chapter"]}
            out.append(q)
    return out


def write_bank(path: Path, questions: list[dict], title: str) -> Path:
    """A bank of `questions` (renumbered; objectives defined by the bank itself)."""
    import yaml

    bank = {"bank": path.stem, "title": title, "source": "all",
            "objectives": {f"{path.stem}-lo{i}": f"Objective {i} of the benchmark" for i in range(1, 6)},
            "questions": []}
    for i, q in enumerate(questions):
        q = dict(q, id=f"{path.stem}-q{i + 1:05d}", objective=f"{path.stem}-lo{i % 5 + 1}")
        bank["questions"].append(q)
    path.write_text(yaml.safe_dump(bank, sort_keys=False, allow_unicode=True, width=100), encoding="utf-8")
    return path


def scaled_bank(d: Path, n: int, pool: list[dict]) -> Path:
    return write_bank(d / f"bench-{n // 1000}k.yaml", [pool[i % len(pool)] for i in range(n)],
                      f"Benchmark bank of {n:,} questions")


def thirty_questions(pool: list[dict], types: tuple[str, ...] | None = None) -> list[dict]:
    """30 questions spread over the types (or only `types`), in a fixed order."""
    rng = random.Random(30)
    chosen = [q for q in pool if types is None or q["type"] in types]
    rng.shuffle(chosen)
    by_type: dict[str, list[dict]] = {}
    for q in chosen:
        by_type.setdefault(q["type"], []).append(q)
    out: list[dict] = []
    while len(out) < 30:
        for t in sorted(by_type):
            if by_type[t] and len(out) < 30:
                out.append(by_type[t].pop())
    return out


def class_responses(key_path: Path, students: int, out: Path, seed: int = 1) -> Path:
    """`students` responses to a key as one CSV (a row per student), in the sheet's letters:
    each student answers right with a probability that rises with an ability of their own."""
    from quiz import model
    from quiz.course.sheets import load_key

    key = load_key(key_path)
    rng = random.Random(seed)
    with open(out, "w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh)
        w.writerow(["student", "student_id", "fingerprint"] + [it.question.id for it in key.items])
        for s in range(students):
            ability = rng.random()
            row = [f"Student {s + 1}", f"s{s + 1:05d}", key.fingerprint]
            for it in key.items:
                q = it.question
                p = 0.25 + 0.6 * ability - 0.1 * (q.difficulty - 2)
                right = rng.random() < p
                answer = it.correct_shown()
                if not right:
                    if isinstance(q, (model.ChoiceQuestion, model.Matching, model.Ordering)):
                        n = len(it.order)
                        answer = rng.sample(answer, len(answer)) if isinstance(q, model.Ordering) else \
                            [model.LETTERS[rng.randrange(n)] for _ in range(len(answer))] \
                            if isinstance(answer, list) else model.LETTERS[rng.randrange(n)]
                    elif isinstance(q, model.TrueFalse):
                        answer = not q.answer
                    elif isinstance(q, model.Numeric):
                        answer = q.answer + 1 + q.tolerance * 2
                    elif isinstance(q, model.Cloze):
                        answer = ["no idea"] * len(q.blanks)
                    else:
                        answer = "no idea"
                if rng.random() < 0.03:
                    answer = None
                if isinstance(answer, list):
                    answer = (" | " if isinstance(q, model.Cloze) else ", ").join(map(str, answer))
                elif isinstance(answer, bool):
                    answer = "true" if answer else "false"
                row.append("" if answer is None else str(answer))
            w.writerow(row)
    return out


def text2qti_source(questions: list[dict], path: Path) -> Path:
    """The same questions in text2qti's plain-text format (the types it has)."""
    def t(s) -> str:
        return " ".join(str(s).split()).replace("$", "\\$")

    lines = ["Quiz title: Benchmark quiz (30 questions)", "Quiz description: The same questions as the YAML bank.", ""]
    for n, q in enumerate(questions, 1):
        lines.append(f"{n}.  {t(q['prompt'])}")
        lines.append(f"... {t(q['explanation'])}")
        if q["type"] == "single":
            for k, c in enumerate(q["choices"]):
                lines.append(f"{'*' if c.get('correct') else ''}{chr(97 + k)}) {t(c['text'])}")
        elif q["type"] == "multiple":
            for c in q["choices"]:
                lines.append(f"[{'*' if c.get('correct') else ' '}] {t(c['text'])}")
        elif q["type"] == "true_false":
            lines.append(f"{'*' if q['answer'] else ''}a) True")
            lines.append(f"{'' if q['answer'] else '*'}b) False")
        elif q["type"] == "short":
            lines += [f"*   {t(a)}" for a in q["answers"]]
        elif q["type"] == "numeric":
            lines.append(f"=   {q['answer']} +- {q.get('tolerance', 0)}")
        lines.append("")
    path.write_text("\n".join(lines), encoding="utf-8")
    return path


# -- the figures ----------------------------------------------------------------------------

def bench_startup(repeat: int) -> None:
    figure("quiz --help", [QUIZ, "--help"], 'python -c "import click"', [PY, "-c", "import click"], repeat * 3,
           "within 1.3x", lambda f: f.ratio <= 1.3)


def yaml_baseline(paths: list[Path]) -> list[str]:
    code = ("import sys, yaml\nfor p in sys.argv[1:]:\n    t = open(p, encoding='utf-8').read()\n"
            "    yaml.load(t.split('\\n---\\n')[0] if p.endswith('.md') else t, Loader=yaml.CSafeLoader)\n")
    return [PY, "-c", code, *map(str, paths)]


def bench_validate(tmp: Path, repeat: int) -> None:
    banks = sorted((ROOT / "quizzes").glob("*.yaml"))
    lessons = sorted(p for p in (ROOT / "lessons").glob("*.md") if p.name != "README.md")
    n = sum(len(__import__("yaml").safe_load(p.read_text(encoding="utf-8"))["questions"]) for p in banks)
    figure(f"validate the course ({len(banks)} banks, {n} q.)", [QUIZ, "validate", *map(str, banks + lessons)],
           "PyYAML C loader, same files", yaml_baseline(banks + lessons), repeat,
           note="banks and lessons: schema, answers, ids, objectives, every quote and excerpt found verbatim",
           check=False)
    pool = course_questions()
    sizes = {}
    for size in (5000, 10000, 20000):
        path = scaled_bank(tmp, size, pool)
        f = figure(f"validate a {size:,}-question bank ({path.stat().st_size / 1e6:.1f} MB)",
                   [QUIZ, "validate", str(path)], "PyYAML C loader, same file", yaml_baseline([path]),
                   max(3, repeat // 2), "under 3 s" if size == 20000 else "",
                   (lambda f: f.seconds < 3.0) if size == 20000 else None)
        sizes[size] = f.seconds
    FIGURES[-1].note = f"growth 5k->10k x{sizes[10000] / sizes[5000]:.2f}, 10k->20k x{sizes[20000] / sizes[10000]:.2f}"


def bench_lint(tmp: Path, repeat: int) -> None:
    banks = sorted((ROOT / "quizzes").glob("*.yaml"))
    figure(f"lint the course ({len(banks)} banks)", [QUIZ, "lint", *map(str, banks)],
           "PyYAML C loader, same files", yaml_baseline(banks), repeat, "under 1 s", lambda f: f.seconds < 1.0,
           note="every rule on every question, the blind-strategy figures per bank and for the course")
    pool = course_questions()
    sizes = {}
    for size in (5000, 10000, 20000):
        path = tmp / f"bench-{size // 1000}k.yaml"
        if not path.exists():
            scaled_bank(tmp, size, pool)
        f = figure(f"lint a {size:,}-question bank", [QUIZ, "lint", str(path)], "PyYAML C loader, same file",
                   yaml_baseline([path]), max(3, repeat // 2))
        sizes[size] = f.seconds
    FIGURES[-1].note = f"growth 5k->10k x{sizes[10000] / sizes[5000]:.2f}, 10k->20k x{sizes[20000] / sizes[10000]:.2f}"


def bench_generate(tmp: Path, repeat: int, bank30: Path) -> None:
    out1 = tmp / "gen1"
    cmd = [QUIZ, "generate", str(bank30), "-n", "30", "--seed", "1", "--variants", "1000", "-o", ""]
    runs = iter(range(1000))
    # each run writes into a new directory: deleting 5,000 files between runs would slow the next
    # run's writes on some file systems (ext4 with discard), which is not the tool's doing
    figure("generate 1,000 variants of 30 questions", cmd,
           "the same, 1 variant", [QUIZ, "generate", str(bank30), "-n", "30", "--seed", "1", "--force", "-o", str(out1)],
           max(2, repeat // 2), "under 1 s", lambda f: f.seconds < 1.0,
           note="5,000 files: per variant a sheet (YAML, Markdown, HTML) and a key (YAML, Markdown)",
           setup=lambda: cmd.__setitem__(-1, str(tmp / f"gen1000-{next(runs)}")))


def bench_grade(tmp: Path, repeat: int, bank30: Path) -> None:
    out = tmp / "key30"
    subprocess.run([QUIZ, "generate", str(bank30), "-n", "30", "--seed", "2", "-o", str(out)], env=env(), check=True,
                   stdout=subprocess.DEVNULL)
    key = out / "key-v1.yaml"
    read_csv = "import csv, sys\nrows = list(csv.reader(open(sys.argv[1], encoding='utf-8')))\n"
    for students, goal in ((300, ""), (10000, "under 2 s")):
        responses = class_responses(key, students, tmp / f"class-{students}.csv")
        figure(f"grade {students:,} responses x 30 q. + item analysis",
               [QUIZ, "grade", str(key), str(responses), "--csv", str(tmp / f"gradebook-{students}.csv")],
               "csv module reading the responses", [PY, "-c", read_csv, str(responses)], max(2, repeat // 2), goal,
               (lambda f: f.seconds < 2.0) if goal else None, check=False,
               note="scores, the students table, item analysis (facility, discrimination, distractors, "
                    "KR-20, alpha), a gradebook CSV" if students == 300 else "")


def bench_qti(tmp: Path, repeat: int, pool: list[dict]) -> None:
    if not Path(TEXT2QTI).exists():
        return  # text2qti comes with the test extra: pip install -e '.[test]'

    questions = thirty_questions(pool, ("single", "multiple", "true_false", "short", "numeric"))
    bank = write_bank(tmp / "bench-qti.yaml", questions, "Benchmark quiz (30 questions)")
    text = text2qti_source(questions, tmp / "bench-qti.md")
    figure("quiz export --format qti (30 questions)",
           [QUIZ, "export", str(bank), "--format", "qti", "-o", str(tmp / "quiz-qti.zip")],
           "text2qti, same questions as text", [TEXT2QTI, str(text)], repeat,
           note="the five types both tools have (single, multiple, true/false, short, numeric); "
                "QTI 1.2 zip for Canvas from each", cwd=tmp)


def row(f: Figure) -> dict:
    out = {"benchmark": f.name, "seconds": round(f.seconds, 3), "baseline": f.baseline,
           "baseline_seconds": round(f.baseline_seconds, 3), "ratio": round(f.ratio, 2)}
    if f.goal:
        out["goal"] = f.goal
        out["met"] = f.met
    if f.note:
        out["note"] = f.note
    return out


def run():
    """Yield one row per figure, as it is measured."""
    repeat = 2 if "--quick" in sys.argv else 5
    with tempfile.TemporaryDirectory(prefix="quiz-bench-") as d:
        tmp = Path(d)
        pool = course_questions()
        bank30 = write_bank(tmp / "bench-30.yaml", thirty_questions(pool), "Benchmark quiz (30 questions)")
        for step in (lambda: bench_startup(repeat), lambda: bench_validate(tmp, repeat),
                     lambda: bench_lint(tmp, repeat),
                     lambda: bench_generate(tmp, repeat, bank30), lambda: bench_grade(tmp, repeat, bank30),
                     lambda: bench_qti(tmp, repeat, pool)):
            done = len(FIGURES)
            step()
            for f in FIGURES[done:]:
                yield row(f)


def main() -> None:
    from run import machine_line, print_row  # benchmarks/run.py

    print(machine_line(), flush=True)
    for r in run():
        print_row(r)


if __name__ == "__main__":
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    main()
