"""Input that cannot be trusted is refused with one line naming the file, never a traceback."""
from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

QUIZ = [str(Path(sys.executable).with_name("quiz"))]

ALIAS_BOMB = """\
a: &a ["x","x","x","x","x","x","x","x","x"]
b: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]
c: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]
d: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]
e: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d]
f: &f [*e,*e,*e,*e,*e,*e,*e,*e,*e]
g: &g [*f,*f,*f,*f,*f,*f,*f,*f,*f]
h: &h [*g,*g,*g,*g,*g,*g,*g,*g,*g]
"""

CASES = {
    "empty": (b"", "is empty"),
    "whitespace only": (b"  \n\n", "is empty"),
    "binary": (bytes(range(256)) * 4, "looks binary"),
    "utf-16": ("bank: x\n".encode("utf-16"), "looks binary"),
    "latin-1": ("bank: x\ntitle: Caf\xe9\n".encode("latin-1"), "not valid UTF-8"),
    "alias bomb": (ALIAS_BOMB.encode(), "alias bomb"),
    # 200 levels: past the project's own limit (64), under the YAML parser's (its own
    # message there is the parser's, so deeper files are checked only for how they are refused).
    "deep nesting": (("[" * 200 + "]" * 200).encode(), "nested too deeply"),
    "very deep nesting": (("[" * 5000 + "]" * 5000).encode(), ""),
    "python tag": (b"bank: !!python/object/apply:os.system ['touch /tmp/quiz-pwned']\n", "not allowed"),
    "python name tag": (b"bank: !!python/name:os.system\n", "not allowed"),
    "custom tag on a mapping": (b"bank: !thing {a: 1}\n", "not allowed"),
    "not a mapping": (b"- just\n- a list\n", "a bank is a mapping"),
    "a plain string": (b"hello\n", "a bank is a mapping"),
    "unclosed quote": (b'bank: "x\ntitle: y\n', "not valid YAML"),
    "tab indentation": (b"bank: x\nquestions:\n\t- id: 1\n", "not valid YAML"),
    "recursive alias": (b"a: &a [*a]\n", "refers to itself"),
}


@pytest.mark.parametrize("name", CASES)
def test_bad_bank_is_refused_cleanly(quiz, write, name):
    content, words = CASES[name]
    path = write("bad.yaml", content)
    result = quiz("validate", path)
    assert result.exit_code in (1, 2), result.output
    lines = [li for li in result.output.splitlines() if li.strip()]
    problem = lines[0]
    assert problem.startswith(f"{path}:"), problem
    assert int(problem.split(":")[1]) >= 0
    assert words in problem, problem
    assert "Traceback" not in result.output


def test_python_tag_is_never_executed(quiz, write, tmp_path):
    marker = tmp_path / "pwned"
    path = write("bad.yaml", f"bank: !!python/object/apply:os.system ['touch {marker}']\n")
    quiz("validate", path)
    assert not marker.exists()


def test_oversized_file_is_refused_before_reading(quiz, tmp_path):
    path = tmp_path / "huge.yaml"
    with open(path, "wb") as fh:
        fh.truncate(50 * 1024 * 1024)
    result = quiz("validate", path)
    assert result.exit_code == 2
    assert f"{path}:0: the file is 52 MB; the limit is 32 MB" in result.output


def test_bad_lesson_front_matter(quiz, write):
    path = write("lessons/x.md", "no front matter here\n")
    result = quiz("validate", path)
    assert result.exit_code == 2
    assert f"{path}:1: a lesson starts with a YAML front matter block" in result.output
    path = write("lessons/y.md", "---\ntitle: [unclosed\n---\nbody\n")
    result = quiz("validate", path)
    assert result.exit_code == 2 and f"{path}:" in result.output and "not valid YAML" in result.output


def test_console_script_exits_2_without_traceback(tmp_path):
    """The installed `quiz` command, as a user runs it."""
    bad = tmp_path / "bad.yaml"
    bad.write_bytes(b"\xff\xfe\x00\x01binary")
    proc = subprocess.run(QUIZ + ["validate", str(bad)], capture_output=True, text=True)
    assert proc.returncode == 2
    assert "Traceback" not in proc.stderr + proc.stdout
    assert f"{bad}:1:" in proc.stdout
