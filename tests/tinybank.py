"""Tiny banks written on the fly for the instructor tests: a few questions whose scores a
reader can work out by hand. Quotes are the example bank's (the loader does not check them)."""
from __future__ import annotations

from pathlib import Path

import yaml

QUOTE = ("It can also take the form of requiring foreign companies that want to invest in China to work with "
         "domestic firms or transfer some of their intellectual property in return for access to the Chinese market.")


def question(qid: str, qtype: str, objective: str = "t-lo1", difficulty: int = 1, **fields) -> dict:
    d = {"id": qid, "type": qtype, "prompt": fields.pop("prompt", f"Prompt of {qid}?")}
    if qtype == "single":
        d["choices"] = fields.pop("choices", [{"text": "Right", "correct": True},
                                              {"text": "Wrong one", "feedback": "No."},
                                              {"text": "Wrong two", "feedback": "No."}])
    elif qtype == "multiple":
        d["choices"] = fields.pop("choices", [{"text": "Yes A", "correct": True}, {"text": "Yes B", "correct": True},
                                              {"text": "No C", "feedback": "No."}, {"text": "No D", "feedback": "No."}])
    elif qtype == "true_false":
        d["answer"] = fields.pop("answer", True)
        d["feedback"] = "It is true."
    elif qtype == "short":
        d["answers"] = fields.pop("answers", ["transacting"])
    d.update({"explanation": f"Explanation of {qid}.", "passage": {"quote": QUOTE}, "objective": objective,
              "difficulty": difficulty})
    d.update(fields)
    return d


def write_bank(directory: Path, questions: list[dict], bank_id: str = "tiny", objectives: dict | None = None) -> Path:
    directory.mkdir(parents=True, exist_ok=True)
    path = directory / f"{bank_id}.yaml"
    data = {"bank": bank_id, "title": "Tiny", "source": "lawfare", "chapter": "lawfare-01",
            "objectives": objectives or {"t-lo1": "First objective.", "t-lo2": "Second objective."},
            "questions": questions}
    path.write_text(yaml.safe_dump(data, sort_keys=False, allow_unicode=True), encoding="utf-8")
    return path
