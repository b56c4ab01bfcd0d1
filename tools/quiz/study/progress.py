"""A student's progress from the attempts store: history, scores, weakest objectives, mastery.

Mastery of a lesson is estimated from the latest answer to each of its questions, with
a Beta(1, 1) prior: (credit + 1) / (answered + 2) (MASTERY_NOTE says it to students). It starts at 50% with no evidence,
moves towards the observed accuracy as answers accumulate, and is shown beside how
much of the bank has been seen (coverage).
"""
from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

from quiz.files import atomic_output
from quiz.study.attempts import Store

MASTERY_NOTE = ("mastery = (points + 1) / (questions seen + 2), from your latest answer to each question: "
                "it starts at 50% and needs several answers to come near your score (one right answer: 67%)")
GOAL = 75  # the mastery a lesson should reach, the dashed line of the chart


@dataclass
class Stats:
    attempts: list[dict]
    lessons: list[dict]
    objectives: list[dict]
    due: int = 0  # review cards due now (or within the learning step)
    next_due: str | None = None

    def as_dict(self) -> dict:
        return {"attempts": self.attempts, "lessons": self.lessons, "objectives": self.objectives,
                "reviews_due": self.due, "next_review": self.next_due}


def bank_info() -> dict[str, dict]:
    """Per bank id: its question count and title."""
    from quiz.course.catalog import bank_summaries
    from quiz.course.index import all_bank_paths

    return {r["bank"]: {"questions": r["questions"], "title": r["title"]} for r in bank_summaries(all_bank_paths())}


def compute(store: Store, sizes: dict[str, int] | None = None, titles: dict[str, str] | None = None) -> Stats:
    from quiz.course.index import objective_text
    from quiz.study.attempts import now
    from quiz.study.review import LEARN_AHEAD

    answers = store.answers()
    by_attempt: dict[int, list[dict]] = defaultdict(list)
    for a in answers:
        by_attempt[a["attempt_id"]].append(a)
    attempts = []
    for row in store.attempts():
        given = by_attempt.get(row.id, [])
        scores = [a["score"] for a in given]
        total = len(given) if row.mode == "review" else (len(row.plan.get("items", [])) or len(scores))
        attempts.append({"id": row.id, "started_at": row.started_at, "finished": row.finished_at is not None,
                         "mode": row.mode, "title": row.title, "answered": sum(1 for a in given if a["answered"]),
                         "questions": total, "score": round(sum(scores), 3),
                         "percent": round(100 * sum(scores) / total, 1) if total else 0.0})
    latest: dict[str, dict] = {}
    for a in answers:  # ordered by time: later answers replace earlier ones
        latest[a["question_id"]] = a
    lessons: dict[str, list[float]] = defaultdict(list)
    all_by_lesson: dict[str, list[float]] = defaultdict(list)
    objectives: dict[tuple[str, str], list[float]] = defaultdict(list)
    for a in answers:
        all_by_lesson[a["bank"]].append(a["score"])
    for a in latest.values():
        lessons[a["bank"]].append(a["score"])
        objectives[(a["bank"], a["objective"])].append(a["score"])
    if sizes is None or titles is None:
        info = bank_info() if lessons else {}
        sizes = sizes if sizes is not None else {b: i["questions"] for b, i in info.items()}
        titles = titles if titles is not None else {b: i["title"] for b, i in info.items()}
    lesson_rows = []
    for bank, scores in sorted(lessons.items()):
        size = sizes.get(bank) or len(scores)
        lesson_rows.append({"bank": bank, "title": titles.get(bank) or bank, "answered": len(all_by_lesson[bank]),
                            "questions_seen": len(scores),
                            "bank_size": size, "coverage": round(len(scores) / size, 3) if size else None,
                            "score": round(100 * sum(all_by_lesson[bank]) / len(all_by_lesson[bank]), 1),
                            "mastery": round((sum(scores) + 1) / (len(scores) + 2), 3)})
    objective_rows = [{"bank": b, "objective": o, "text": objective_text(b, o), "questions_seen": len(s),
                       "score": round(100 * sum(s) / len(s), 1)}
                      for (b, o), s in objectives.items()]
    objective_rows.sort(key=lambda r: (r["score"], -r["questions_seen"], r["objective"]))
    return Stats(attempts, lesson_rows, objective_rows, store.count_due(now() + LEARN_AHEAD), store.next_due())


# Okabe and Ito's palette, told apart with the common colour-vision deficiencies
BANDS = [(50, "#D55E00", "below 50%"), (GOAL, "#E69F00", f"50–{GOAL}%"), (101, "#009E73", f"{GOAL}% or more")]


def plot_mastery(stats: Stats, out: str | Path, width_px: int = 1000, height_px: int = 600) -> Path:
    """A horizontal bar chart of mastery per lesson (titles, not ids), coverage noted beside each
    bar, colours explained in a legend, the goal line labelled."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    from matplotlib.patches import Patch

    dpi = 100
    fig, ax = plt.subplots(figsize=(width_px / dpi, height_px / dpi), dpi=dpi)
    rows = stats.lessons or []
    names = [_short(r.get("title") or r["bank"]) for r in rows]
    values = [100 * r["mastery"] for r in rows]
    colors = [next(c for limit, c, _ in BANDS if v < limit) for v in values]
    ax.barh(range(len(rows)), values, color=colors, height=0.6)
    ax.set_yticks(range(len(rows)), names)
    for i, r in enumerate(rows):
        cov = r["coverage"]
        label = f"{values[i]:.0f}%" + (f" · {r['questions_seen']} of {r['bank_size']} questions seen" if cov is not None else "")
        ax.text(102, i, label, va="center", fontsize=9)  # right of the 0–100 scale: never on a bar
    ax.set_xlim(0, 160)
    ax.set_xticks(range(0, 101, 25))
    ax.spines[["top", "right"]].set_visible(False)
    ax.set_xlabel("estimated mastery (%): (points + 1) / (questions seen + 2)")
    ax.set_title("Mastery per lesson" if rows else "Mastery per lesson (no answers yet)")
    ax.invert_yaxis()
    ax.axvline(GOAL, color="#555", linestyle="--", linewidth=0.9)
    handles = [Patch(color=c, label=text) for _, c, text in BANDS]
    handles.append(plt.Line2D([], [], color="#555", linestyle="--", label=f"goal: {GOAL}% mastery"))
    ax.legend(handles=handles, loc="upper center", bbox_to_anchor=(0.5, -0.14), ncol=4, fontsize=8, frameon=False)
    fig.tight_layout()
    out = Path(out)
    with atomic_output(out, "chart") as tmp:
        fig.savefig(tmp, dpi=dpi, metadata={"Software": None}, format="png")
    plt.close(fig)
    return out


def _short(text: str, limit: int = 42) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"
