"""`quiz generate`: seeded, stratified quiz sheets with answer keys, in several variants.

Everything random flows from one seed through `random.Random` instances seeded with
strings, which Python hashes with SHA-512: the same banks, options and seed give
byte-identical files on any machine.
"""
from __future__ import annotations

import dataclasses
import hashlib
import random
import re
from dataclasses import dataclass
from pathlib import Path

import yaml

from quiz import model
from quiz.course.bank import load_bank, require_unique_ids
from quiz.course.safeyaml import read_bytes
from quiz.course.selection import Filters, resolve_bank_path, select, shuffled_order
from quiz.course.serialize import question_to_dict
from quiz.course.sheets import fingerprint
from quiz.errors import InputError, display_path
from quiz.files import atomic_write
from quiz.model import LETTERS, cloze_display


def sheet_question(number: int, q: model.Question, order: list[int]) -> dict:
    """What a student sees of one question: no answer, no explanation, no correct flag."""
    d: dict = {"number": number, "id": q.id, "type": q.type, "prompt": q.prompt}
    if isinstance(q, model.ChoiceQuestion):
        d["choices"] = {LETTERS[k]: q.choices[i].text for k, i in enumerate(order)}
    elif isinstance(q, model.Numeric) and q.unit:
        d["unit"] = q.unit
    elif isinstance(q, model.Cloze):
        d["prompt"] = cloze_display(q.prompt, "[{}] _____")
        d["blanks"] = len(q.blanks)
    elif isinstance(q, model.Matching):
        d["left"] = list(q.lefts)
        d["right"] = {LETTERS[k]: q.rights[i] for k, i in enumerate(order)}
    elif isinstance(q, model.Ordering):
        d["items"] = {LETTERS[k]: q.items[i] for k, i in enumerate(order)}
    elif isinstance(q, model.Essay):
        d["lines"] = q.lines
        d["criteria"] = {c.name: int(c.max_points) if float(c.max_points).is_integer() else c.max_points
                         for c in q.rubric}  # what the marker looks for, not the levels
    if q.points != 1:
        d["points"] = int(q.points) if float(q.points).is_integer() else q.points
    if q.penalty:
        d["penalty"] = f"a wrong answer loses {q.penalty * q.points:g} point(s); no answer loses nothing"
    d["answer"] = None
    return d


HOW_TO_ANSWER = {
    "single": "one letter",
    "multiple": "a list of letters, e.g. [A, C]",
    "true_false": "true or false",
    "short": "a word or phrase",
    "numeric": "a number",
    "cloze": "a list with one answer per blank, in order",
    "matching": "a list of right-hand letters, one per left item, in order",
    "ordering": "a list of the item letters in the right order",
    "essay": "your text (in YAML write `answer: |` and indent the text below it)",
}


@dataclass
class Variant:
    number: int
    sheet: dict
    key: dict


def with_marking(q: model.Question, points: dict[str, float] | None, penalty: float | None) -> model.Question:
    """The question with the points and penalty set at generation: `points` maps a question id
    or a type to its points (an id wins); `penalty` applies to every choice question."""
    changes: dict = {}
    if points:
        worth = points.get(q.id, points.get(q.type))
        if worth is not None:
            changes["points"] = float(worth)
    if penalty is not None and q.type in model.PENALTY_TYPES:
        changes["penalty"] = float(penalty)
    return dataclasses.replace(q, **changes) if changes else q


def parse_points(spec: str) -> dict[str, float]:
    """`single=1,essay=5,nbr-03-q04=2` as a mapping; InputError naming the bad part."""
    out: dict[str, float] = {}
    for part in (p.strip() for p in spec.split(",")):
        if not part:
            continue
        name, sep, value = part.partition("=")
        try:
            worth = float(value)
        except ValueError:
            worth = -1.0
        if not sep or not name.strip() or not worth > 0 or worth != worth or worth == float("inf"):
            raise InputError("--points", 0, f"'{part}': write ID=POINTS or TYPE=POINTS with points above 0, "
                                            "e.g. single=1,essay=5")
        out[name.strip()] = worth
    return out


def generate(bank_refs: list[str], count: int, seed: int, variants: int = 1, filters: Filters | None = None,
             title: str | None = None, points: dict[str, float] | None = None,
             penalty: float | None = None, drawn: bool = False) -> list[Variant]:
    """The variants of a quiz. By default every variant has the same questions, shuffled; with
    `drawn`, each variant draws its own questions on one blueprint (see quiz.assess.draw)."""
    filters = filters or Filters()
    bank_paths = [resolve_bank_path(r) for r in bank_refs]
    banks = [load_bank(p) for p in bank_paths]
    require_unique_ids(banks)
    if count < 1:
        raise InputError("--count", 0, "ask for at least one question")
    if drawn:
        from quiz.assess.draw import draw

        plans = [[(slot, with_marking(q, points, penalty)) for slot, q in plan]
                 for plan in draw(banks, count, variants, seed, filters)]
    else:
        chosen = select(banks, count, random.Random(f"select:{seed}"), filters)
        plans = [[(None, with_marking(q, points, penalty)) for q in chosen]] * variants
    title = title or ("Quiz: " + ", ".join(b.title for b in banks))
    slug = "-".join(b.id for b in banks)[:60]
    bank_info = [{"id": b.id, "file": display_path(p), "sha256": hashlib.sha256(read_bytes(p, "bank")).hexdigest()[:16]}
                 for b, p in zip(banks, bank_paths)]
    as_dicts: dict[str, dict] = {}  # the same in every variant's key
    out = []
    for v in range(1, variants + 1):
        rng = random.Random(f"variant:{seed}:{v}")
        planned = list(plans[v - 1])
        if variants > 1:
            rng.shuffle(planned)
        questions = [q for _, q in planned]
        for q in questions:
            if q.id not in as_dicts:
                as_dicts[q.id] = question_to_dict(q)
        orders = [shuffled_order(q, rng) for q in questions]
        shown = [sheet_question(n, q, o) for n, (q, o) in enumerate(zip(questions, orders), 1)]
        fp = fingerprint([{k: v2 for k, v2 in d.items() if k != "answer"} for d in shown])
        # students have the banks: the sheet names itself by what it shows, never by the seed
        # that would let `quiz generate` reproduce the key (the key keeps the seed)
        sheet_id = f"{slug}-{fp[:8]}-v{v}"
        sheet = {"sheet": sheet_id, "title": title, "variant": v, "fingerprint": fp,
                 "student": None, "student_id": None,
                 "instructions": "Fill in each 'answer': " + "; ".join(
                     f"{t}: {HOW_TO_ANSWER[t]}" for t in model.ALL_TYPES if any(q.type == t for q in questions)) + ".",
                 "questions": shown}
        key = {"key": sheet_id, "title": title, "variant": v, "seed": seed, "fingerprint": fp,
               "options": {"count": count, "variants": variants, **filters.describe(),
                           **({"draw": True} if drawn else {}),
                           **({"points": points} if points else {}),
                           **({"penalty": penalty} if penalty is not None else {})},
               "banks": bank_info,
               "questions": [{"number": n, "bank": q.bank, **({"slot": slot + 1} if slot is not None else {}),
                              "order": o, "answer": _shown_answer(q, o), "question": as_dicts[q.id]}
                             for n, ((slot, q), o) in enumerate(zip(planned, orders), 1)]}
        out.append(Variant(v, sheet, key))
    return out


def _shown_answer(q: model.Question, order: list[int]):
    from quiz.course.sheets import KeyItem

    return KeyItem(0, q, order).correct_shown()


def dump_yaml(data) -> str:
    """YAML as `yaml.safe_dump` writes it, with libyaml's emitter when there is one (about ten
    times faster: 1,000 variants write 2,000 YAML files)."""
    return yaml.dump(data, Dumper=getattr(yaml, "CSafeDumper", yaml.SafeDumper), sort_keys=False,
                     allow_unicode=True, width=100, default_flow_style=False)


def _numbered_items(items: list[dict], cache: dict, rest_of) -> str:
    """A YAML list of mappings whose first key is `number`. All but the number is the same
    for the same question shown in the same order, so that part is written once (`cache`)
    and reused by every variant that shows the question so."""
    parts = []
    for item in items:
        # exact: the same repr gives the same YAML; a key's full question is the same for one id
        key = repr([(k, v["id"] if k == "question" else v) for k, v in item.items() if k != "number"])
        rest = cache.get(key)
        if rest is None:
            rest = cache[key] = rest_of(item)
        parts.append(f"- number: {item['number']}\n  {rest}")
    return "".join(parts)


def sheet_yaml(sheet: dict, cache: dict | None = None) -> str:
    """A sheet as YAML, the same text as `dump_yaml(sheet)`, its questions written once each."""
    cache = {} if cache is None else cache
    head = dump_yaml({k: v for k, v in sheet.items() if k != "questions"})
    rest = lambda item: dump_yaml([{k: v for k, v in item.items() if k != "number"}])[2:]  # noqa: E731
    return head + "questions:\n" + _numbered_items(sheet["questions"], cache, rest)


def key_yaml(key: dict, cache: dict | None = None) -> str:
    """A key as YAML. Each entry of its `questions` (the last key) ends with the full
    `question`, the same in every variant: each entry but its number is written once per
    question and order shown, the question's YAML indented into place."""
    cache = {} if cache is None else cache

    def rest(item: dict) -> str:
        text = dump_yaml([{k: v for k, v in item.items() if k not in ("number", "question")}])[2:]
        body = dump_yaml(item["question"])
        return text + "  question:\n" + "".join("    " + line if line != "\n" else line
                                                for line in body.splitlines(keepends=True))

    head = dump_yaml({k: v for k, v in key.items() if k != "questions"})
    return head + "questions:\n" + _numbered_items(key["questions"], cache, rest)


MANIFEST = ".quiz-generated"  # the files one `quiz generate` wrote, one name a line
_WRITTEN_NAME = re.compile(r"^(sheet|key)-v\d+\.(yaml|md|html)$")


def prepare_out_dir(out_dir: Path, force: bool = False) -> list[Path]:
    """Make sure writing a quiz into `out_dir` leaves nothing of another quiz behind.

    An empty or new folder is used as is. A non-empty one is refused unless `force`; then
    the files a previous `quiz generate` wrote there (listed in its manifest, or named as
    it names them) are removed, and nothing else. Returns the removed files."""
    if not out_dir.exists():
        return []
    if not out_dir.is_dir():
        raise InputError(display_path(out_dir), 0, "is a file, not a folder; give a folder for the quiz")
    entries = sorted(out_dir.iterdir())
    if not entries:
        return []
    if not force:
        raise InputError(display_path(out_dir), 0,
                         f"the folder is not empty ({len(entries)} entries): `quiz grade` would load an earlier "
                         "quiz's keys with this one's; choose a new folder, or pass --force to remove what "
                         "`quiz generate` wrote there before")
    manifest = out_dir / MANIFEST
    names = set()
    if manifest.is_file():
        names = {line.strip() for line in manifest.read_text(encoding="utf-8").splitlines()}
        names = {n for n in names if n and "/" not in n and "\\" not in n and n not in (".", "..")}
    names |= {p.name for p in entries if _WRITTEN_NAME.match(p.name)}
    removed = []
    for name in sorted(names) + [MANIFEST]:
        path = out_dir / name
        if path.is_file() and not path.is_symlink():
            path.unlink()
            removed.append(path)
    return removed


def write_variants(variants: list[Variant], out_dir: Path, force: bool = False) -> list[Path]:
    """Write each variant's sheet (YAML, Markdown, HTML) and key (YAML, Markdown), and the
    manifest of what was written (what `--force` removes next time)."""
    from quiz.assess.printable import key_markdown, sheet_html, sheet_markdown

    prepare_out_dir(out_dir, force)
    try:
        out_dir.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise InputError(display_path(out_dir), 0, f"cannot create the directory: {exc.strerror or exc}") from None
    written = []
    sheet_cache: dict = {}
    key_cache: dict = {}
    for v in variants:
        files = {
            f"sheet-v{v.number}.yaml": "# A quiz sheet: fill in each answer, then hand it in.\n"
                                       + sheet_yaml(v.sheet, sheet_cache),
            f"sheet-v{v.number}.md": sheet_markdown(v.sheet),
            f"sheet-v{v.number}.html": sheet_html(v.sheet),
            f"key-v{v.number}.yaml": "# ANSWER KEY: keep it away from students. Grade with `quiz grade`.\n"
                                     + key_yaml(v.key, key_cache),
            f"key-v{v.number}.md": key_markdown(v.key),
        }
        for name, text in files.items():
            path = out_dir / name
            try:
                atomic_write(path, text, "sheet")
            except InputError:
                for done in written:  # a set of sheets and keys is used together: all or nothing
                    done.unlink(missing_ok=True)
                raise
            written.append(path)
    (out_dir / MANIFEST).write_text("".join(f"{p.name}\n" for p in written), encoding="utf-8")
    return written
