"""What `quiz export SOURCE…` reads: bank files or ids, or one generated sheet with its key.

- one or more banks (files, or ids such as `nbr-03` meaning quizzes/nbr-03.yaml);
- an answer key written by `quiz generate` (`key-v1.yaml`), or the sheet it belongs to
  (`sheet-v1.yaml`, whose key must sit beside it), or a directory holding one key: the
  questions are exported in the sheet's order with their choices in the order shown.
"""
from __future__ import annotations

from pathlib import Path

from quiz.errors import InputError, display_path
from quiz.exporters.common import ExportSource, Group, Item, from_banks


def load_source(refs: list[str], title: str | None = None) -> ExportSource:
    if not refs:
        raise InputError("SOURCE", 0, "give at least one bank, bank id, or generated key")
    kinds = [(ref, _kind(ref)) for ref in refs]
    sheets = [ref for ref, kind in kinds if kind != "bank"]
    if sheets and len(refs) > 1:
        raise InputError(sheets[0], 0, "export a generated sheet on its own, not together with other sources")
    if sheets:
        return _from_key(refs[0], kinds[0][1], title)
    from quiz.course.bank import load_bank, require_unique_ids
    from quiz.course.selection import resolve_bank_path

    paths = [resolve_bank_path(ref) for ref in refs]
    seen: dict[Path, str] = {}
    for ref, p in zip(refs, paths):
        if p.resolve() in seen:
            raise InputError(ref, 0, f"this bank is given twice (also as {seen[p.resolve()]})")
        seen[p.resolve()] = ref
    banks = [load_bank(p) for p in paths]
    require_unique_ids(banks)
    return from_banks(banks, title)


def _kind(ref: str) -> str:
    """'bank', 'key', 'sheet' or 'dir' for a SOURCE argument."""
    p = Path(ref)
    if p.is_dir():
        return "dir"
    if not p.exists():
        return "bank"  # a bank id; resolve_bank_path says what is wrong if it is not one
    from quiz.course.safeyaml import load_yaml

    loaded = load_yaml(p)
    d = loaded.data
    if isinstance(d, dict) and "key" in d:
        return "key"
    if isinstance(d, dict) and "sheet" in d:
        return "sheet"
    return "bank"


def _from_key(ref: str, kind: str, title: str | None) -> ExportSource:
    from quiz.course.sheets import load_key, load_sheet

    p = Path(ref)
    if kind == "dir":
        keys = sorted(p.glob("key-*.yaml"))
        if len(keys) != 1:
            what = "no key-*.yaml" if not keys else f"{len(keys)} keys ({', '.join(k.name for k in keys)})"
            raise InputError(display_path(p), 0, f"this directory holds {what}; pass the key-vN.yaml of the sheet to export")
        p = keys[0]
    elif kind == "sheet":
        sheet = load_sheet(p)
        key_path = p.with_name(f"key-v{sheet.get('variant', 1)}.yaml")
        if not key_path.is_file():
            raise InputError(display_path(p), 1, f"its key {key_path.name} is not beside it; pass the key written by "
                                                 "`quiz generate` instead")
        key = load_key(key_path)
        if key.fingerprint != sheet.get("fingerprint"):
            raise InputError(display_path(p), 1, f"{key_path.name} is the key of another sheet (fingerprints differ)")
        p = key_path
    key = load_key(p)
    items = [Item(it.number, it.question, list(it.order) or None) for it in key.items]
    name = title or key.title or key.sheet
    return ExportSource(name, [Group(key.sheet, name, items)], "sheet", key.sheet)
