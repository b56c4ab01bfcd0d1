"""A student's progress from the attempts store: history, scores, weakest objectives, mastery.

Mastery of a lesson is estimated from the latest answer to each of its questions, with
a Beta(1, 1) prior: (credit + 1) / (answered + 2). It starts at 50% with no evidence,
moves towards the observed accuracy as answers accumulate, and is shown beside how
much of the bank has been seen (coverage).
"""
from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

from quiz.files import atomic_output
from quiz.study.attempts import Store


@dataclass
class Stats:
    attempts: list[dict]
    lessons: list[dict]
    objectives: list[dict]

    def as_dict(self) -> dict:
        return {"attempts": self.attempts, "lessons": self.lessons, "objectives": self.objectives}


def bank_sizes() -> dict[str, int]:
    from quiz.course.catalog import bank_summaries
    from quiz.course.index import all_bank_paths

    return {r["bank"]: r["questions"] for r in bank_summaries(all_bank_paths())}


def compute(store: Store, sizes: dict[str, int] | None = None) -> Stats:
    answers = store.answers()
    by_attempt: dict[int, list[float]] = defaultdict(list)
    for a in answers:
        by_attempt[a["attempt_id"]].append(a["score"])
    attempts = []
    for row in store.attempts():
        if row.mode == "review":
            continue
        scores = by_attempt.get(row.id, [])
        total = len(row.plan.get("items", [])) or len(scores)
        attempts.append({"id": row.id, "started_at": row.started_at, "finished": row.finished_at is not None,
                         "mode": row.mode, "title": row.title, "answered": len(scores), "questions": total,
                         "score": round(sum(scores), 3),
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
    sizes = sizes if sizes is not None else bank_sizes()
    lesson_rows = []
    for bank, scores in sorted(lessons.items()):
        size = sizes.get(bank) or len(scores)
        lesson_rows.append({"bank": bank, "answered": len(all_by_lesson[bank]), "questions_seen": len(scores),
                            "bank_size": size, "coverage": round(len(scores) / size, 3) if size else None,
                            "score": round(100 * sum(all_by_lesson[bank]) / len(all_by_lesson[bank]), 1),
                            "mastery": round((sum(scores) + 1) / (len(scores) + 2), 3)})
    objective_rows = [{"bank": b, "objective": o, "questions_seen": len(s), "score": round(100 * sum(s) / len(s), 1)}
                      for (b, o), s in objectives.items()]
    objective_rows.sort(key=lambda r: (r["score"], -r["questions_seen"], r["objective"]))
    return Stats(attempts, lesson_rows, objective_rows)


def plot_mastery(stats: Stats, out: str | Path, width_px: int = 1000, height_px: int = 600) -> Path:
    """A horizontal bar chart of mastery per lesson, coverage noted on each bar."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    dpi = 100
    fig, ax = plt.subplots(figsize=(width_px / dpi, height_px / dpi), dpi=dpi)
    rows = stats.lessons or []
    names = [r["bank"] for r in rows]
    values = [100 * r["mastery"] for r in rows]
    colors = ["#c0392b" if v < 50 else "#e67e22" if v < 75 else "#27ae60" for v in values]
    ax.barh(names, values, color=colors)
    for i, r in enumerate(rows):
        cov = r["coverage"]
        label = f"{values[i]:.0f}%" + (f"  ({cov:.0%} of bank seen)" if cov is not None else "")
        ax.text(min(values[i] + 1, 70), i, label, va="center", fontsize=9)
    ax.set_xlim(0, 100)
    ax.set_xlabel("estimated mastery (%)")
    ax.set_title("Mastery per lesson" if rows else "Mastery per lesson (no answers yet)")
    ax.invert_yaxis()
    ax.axvline(75, color="#999", linestyle="--", linewidth=0.8)
    fig.tight_layout()
    out = Path(out)
    with atomic_output(out, "chart") as tmp:
        fig.savefig(tmp, dpi=dpi, metadata={"Software": None}, format="png")
    plt.close(fig)
    return out
