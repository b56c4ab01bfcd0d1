"""Drawn variants: each variant its own questions, all covering the same objectives with the
same mix of types and difficulties, reproducible from the seed, graded together."""
from __future__ import annotations

import csv
import json
from collections import Counter

import pytest
import yaml

from tinybank import question, write_bank


def bank_with_strata(tmp_path):
    """Per (objective, type, difficulty) stratum three questions, one stratum with one."""
    qs = []
    for obj in ("t-lo1", "t-lo2"):
        for qtype, diff in (("single", 1), ("true_false", 2), ("short", 3)):
            qs += [question(f"{obj}-{qtype}-{i}", qtype, obj, diff) for i in range(3)]
    qs.append(question("lonely", "multiple", "t-lo2", 2))
    return write_bank(tmp_path / "banks", qs)


def keys(out, n):
    return [yaml.safe_load((out / f"key-v{v}.yaml").read_text()) for v in range(1, n + 1)]


def mix(key):
    return Counter((q["question"]["objective"], q["question"]["type"], q["question"]["difficulty"])
                   for q in key["questions"])


def test_drawn_variants_differ_and_share_the_blueprint(quiz, tmp_path):
    bank = bank_with_strata(tmp_path)
    out = tmp_path / "q"
    assert quiz("generate", bank, "-n", "6", "--variants", "3", "--draw", "--seed", "9", "-o", out).exit_code == 0
    ks = keys(out, 3)
    ids = [[q["question"]["id"] for q in k["questions"]] for k in ks]
    assert all(len(set(i)) == 6 for i in ids)  # no question twice in a variant
    assert all(mix(k) == mix(ks[0]) for k in ks)  # same objectives, types and difficulties
    assert set(mix(ks[0])) >= {("t-lo1", "single", 1), ("t-lo2", "single", 1)}  # both objectives covered
    # six slots, three per objective, fill the six three-question strata (not the lone multiple):
    # three variants draw three disjoint sets of questions
    shared = set(ids[0]) & set(ids[1]) | set(ids[0]) & set(ids[2]) | set(ids[1]) & set(ids[2])
    assert shared == set() and "lonely" not in sum(ids, [])
    # the slots line up across variants: slot s has the same stratum in every variant
    by_slot = [{q["slot"]: (q["question"]["objective"], q["question"]["type"], q["question"]["difficulty"])
                for q in k["questions"]} for k in ks]
    assert by_slot[0] == by_slot[1] == by_slot[2] and sorted(by_slot[0]) == list(range(1, 7))
    # reproducible from the seed; another seed draws otherwise
    again = tmp_path / "again"
    assert quiz("generate", bank, "-n", "6", "--variants", "3", "--draw", "--seed", "9", "-o", again).exit_code == 0
    assert all((out / f).read_bytes() == (again / f).read_bytes() for f in ("key-v1.yaml", "sheet-v3.yaml"))
    other = tmp_path / "other"
    assert quiz("generate", bank, "-n", "6", "--variants", "3", "--draw", "--seed", "10", "-o", other).exit_code == 0
    assert [ids for ids in ([q["question"]["id"] for q in k["questions"]] for k in keys(other, 3))] != ids


def test_drawn_variants_are_graded_together_per_question(quiz, tmp_path):
    bank = bank_with_strata(tmp_path)
    out = tmp_path / "q"
    assert quiz("generate", bank, "-n", "7", "--variants", "2", "--draw", "--seed", "4", "-o", out).exit_code == 0
    ks = keys(out, 2)
    rows = []
    for k in ks:  # two students per variant: one answers everything right, one leaves all blank
        right = [k["fingerprint"]] + [json.dumps(q["answer"]) if isinstance(q["answer"], list) else str(q["answer"])
                                      for q in k["questions"]]
        rows.append([f"good-v{k['variant']}"] + right)
        rows.append([f"blank-v{k['variant']}", k["fingerprint"]] + [""] * 7)
    for v, k in enumerate(ks):
        with open(tmp_path / f"r{v}.csv", "w", newline="") as fh:
            w = csv.writer(fh)
            w.writerow(["student", "fingerprint"] + [str(q["number"]) for q in k["questions"]])
            w.writerows(r for r in rows if r[0].endswith(f"v{k['variant']}"))
    result = quiz("grade", out, tmp_path / "r0.csv", tmp_path / "r1.csv", "--json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    pct = {s["student"]: s["percent"] for s in data["students"]}
    assert pct == {"good-v1": 100.0, "blank-v1": 0.0, "good-v2": 100.0, "blank-v2": 0.0}
    items = {i["id"]: i for i in data["analysis"]["items"]}
    in_both = {q["question"]["id"] for q in ks[0]["questions"]} & {q["question"]["id"] for q in ks[1]["questions"]}
    only_one = {q["question"]["id"] for k in ks for q in k["questions"]} - in_both
    assert only_one and all(items[i]["n"] == 2 for i in only_one)  # the two students of its variant
    assert all(items[i]["n"] == 4 for i in in_both)
    assert all(items[i]["facility"] == 0.5 for i in items)


def test_reliability_of_drawn_variants_is_computed_slot_by_slot(quiz, tmp_path):
    # two strata of two true/false questions: each of two variants draws one question per stratum,
    # so no student takes all four questions, but every student answers both slots
    bank = write_bank(tmp_path / "banks", [question(f"a{i}", "true_false", "t-lo1", 1) for i in range(2)]
                      + [question(f"b{i}", "true_false", "t-lo2", 2) for i in range(2)])
    out = tmp_path / "q"
    assert quiz("generate", bank, "-n", "2", "--variants", "2", "--draw", "--seed", "1", "-o", out).exit_code == 0
    ks = keys(out, 2)
    assert {q["question"]["id"] for q in ks[0]["questions"]}.isdisjoint(q["question"]["id"] for q in ks[1]["questions"])
    # slot scores (1 right, 0 wrong):   slot 1  slot 2  total
    plan = {"s1": (0, (1, 1)),  # variant 1   1       1       2
            "s2": (0, (1, 0)),  # variant 1   1       0       1
            "s3": (1, (0, 0)),  # variant 2   0       0       0
            "s4": (1, (1, 1))}  # variant 2   1       1       2
    # slot variances: p = .75 → .1875 and p = .5 → .25 (sum .4375); totals 2,1,0,2 (mean 1.25)
    # variance (.5625 + .0625 + 1.5625 + .5625) / 4 = .6875 → alpha = KR-20 = 2 × (1 − .4375/.6875) = .727273
    paths = []
    for name, (v, scores) in plan.items():
        k = ks[v]
        by_slot = {q["slot"]: q["question"]["id"] for q in k["questions"]}
        path = tmp_path / f"{name}.csv"
        with open(path, "w", newline="") as fh:
            w = csv.writer(fh)
            w.writerow(["student", "fingerprint"] + [by_slot[1], by_slot[2]])
            w.writerow([name, k["fingerprint"]] + ["true" if s else "false" for s in scores])
        paths.append(path)
    result = quiz("grade", out, *paths, "--json")
    assert result.exit_code == 0, result.output
    a = json.loads(result.stdout)["analysis"]
    assert a["reliability_on"] == "slots"
    assert a["cronbach_alpha"] == pytest.approx(0.727273, abs=1e-4) and a["kr20"] == pytest.approx(0.727273, abs=1e-4)
    assert {i["id"]: i["n"] for i in a["items"]} == {"a0": 2, "a1": 2, "b0": 2, "b1": 2}
