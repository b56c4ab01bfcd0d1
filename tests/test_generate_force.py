"""`quiz generate` into a folder that is not empty: refused, or with --force the earlier
quiz's files removed (and nothing else), so `quiz grade DIR/` never mixes two quizzes."""
from __future__ import annotations

BANKS = ["quizzes/examples/example-lawfare.yaml", "quizzes/examples/example-cpc.yaml"]


def test_non_empty_folder_is_refused_with_one_line(quiz, root, tmp_path):
    out = tmp_path / "q"
    out.mkdir()
    (out / "notes.txt").write_text("mine")
    result = quiz("generate", *[root / b for b in BANKS], "-n", "4", "--seed", "1", "-o", out)
    assert result.exit_code == 2
    assert "not empty" in result.output and "--force" in result.output
    assert "Traceback" not in result.output and "seed" not in result.output.split("error:")[0]
    assert sorted(p.name for p in out.iterdir()) == ["notes.txt"]


def test_force_removes_only_what_generate_wrote(quiz, root, tmp_path):
    out = tmp_path / "q"
    banks = [root / b for b in BANKS]
    assert quiz("generate", *banks, "-n", "4", "--seed", "1", "--variants", "3", "-o", out).exit_code == 0
    assert (out / "key-v3.yaml").exists()
    (out / "alice.yaml").write_text("student: Alice\n")  # a response kept beside the quiz
    result = quiz("generate", *banks, "-n", "4", "--seed", "2", "--variants", "2", "-o", out, "--force")
    assert result.exit_code == 0, result.output
    names = sorted(p.name for p in out.iterdir())
    assert "key-v3.yaml" not in names and "sheet-v3.html" not in names  # the earlier quiz's third variant is gone
    assert "alice.yaml" in names
    assert sorted(n for n in names if n.startswith("key-") and n.endswith(".yaml")) == ["key-v1.yaml", "key-v2.yaml"]
    assert "seed: 2" in (out / "key-v1.yaml").read_text()
    # `quiz grade DIR` now loads this quiz's keys only
    from quiz.course.sheets import load_keys

    assert [k.seed for k in load_keys(out)] == [2, 2]
