"""The package's imports run down the flow (DESIGN.md, Layout): read from the source with
`ast`, so lazy imports inside functions count too."""
from __future__ import annotations

import ast
from pathlib import Path

import pytest

PKG = Path(__file__).resolve().parents[1] / "tools" / "quiz"
GROUND = {"model", "errors", "textnorm", "paths", "gcpause", "files", "neutralise", "__init__"}
WINGS = ("course", "assess", "study", "book", "exporters", "importers", "cli")

# part -> the parts it may import (besides itself)
ALLOWED = {
    "ground": set(),
    "course": {"ground"},
    "assess": {"ground", "course"},
    "study": {"ground", "course"},
    "exporters": {"ground", "course", "assess"},
    "importers": {"ground", "course", "assess", "exporters.common"},
    "book": {"ground", "course", "assess", "study", "exporters", "importers"},
    "cli": {"ground", "course", "assess", "study", "exporters", "importers", "book"},
}


def part_of(module: str) -> str:
    """'quiz.course.bank' -> 'course'; 'quiz.model' -> 'ground'."""
    parts = module.split(".")
    assert parts[0] == "quiz", module
    if len(parts) == 1 or parts[1] in GROUND:
        return "ground"
    assert parts[1] in WINGS, f"{module}: a module outside the ground and the wings"
    return parts[1]


def module_name(path: Path) -> str:
    rel = path.relative_to(PKG.parent).with_suffix("")
    parts = list(rel.parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def imports(path: Path) -> list[tuple[int, str]]:
    """(line, absolute module) of every import of the package in the file."""
    me = module_name(path).split(".")
    package = me if path.name == "__init__.py" else me[:-1]
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found += [(node.lineno, a.name) for a in node.names if a.name.split(".")[0] == "quiz"]
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package[: len(package) - node.level + 1]
                mod = ".".join(base + ([node.module] if node.module else []))
            else:
                mod = node.module or ""
            if mod.split(".")[0] != "quiz":
                continue
            if mod in ("quiz", *(f"quiz.{w}" for w in WINGS)):  # from quiz import model
                found += [(node.lineno, f"{mod}.{a.name}") for a in node.names]
            else:
                found.append((node.lineno, mod))
    return found


MODULES = sorted(PKG.rglob("*.py"))


def allowed(src: str, target_module: str) -> bool:
    src_part, dst_part = part_of(src), part_of(target_module)
    if src_part == dst_part:
        return True
    rules = ALLOWED[src_part]
    if dst_part in rules:
        return True
    return any(target_module == f"quiz.{r}" or target_module.startswith(f"quiz.{r}.") for r in rules if "." in r)


@pytest.mark.parametrize("path", MODULES, ids=lambda p: str(p.relative_to(PKG)))
def test_imports_run_down_the_flow(path):
    src = module_name(path)
    wrong = [f"{path.relative_to(PKG)}:{line}: {part_of(src)} imports {mod}"
             for line, mod in imports(path) if not allowed(src, mod)]
    assert not wrong, "\n".join(wrong)


def test_nothing_outside_the_cli_imports_it():
    users = [f"{p.relative_to(PKG)}:{line}" for p in MODULES if part_of(module_name(p)) != "cli"
             for line, mod in imports(p) if part_of(mod) == "cli"]
    assert not users


def test_every_wing_says_what_it_holds_and_may_import():
    for wing in WINGS:
        doc = ast.get_docstring(ast.parse((PKG / wing / "__init__.py").read_text(encoding="utf-8"))) or ""
        assert doc and "May import" in doc, wing


def test_the_rule_catches_an_upward_import(tmp_path):
    """The checker itself: a ground module importing a wing, and study importing assess, are found."""
    assert not allowed("quiz.model", "quiz.course.bank")
    assert not allowed("quiz.study.session", "quiz.assess.generate")
    assert not allowed("quiz.book.pages", "quiz.cli")
    assert allowed("quiz.importers.common", "quiz.exporters.common")
    assert not allowed("quiz.importers.common", "quiz.exporters.gift")
