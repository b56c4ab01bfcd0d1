"""Reading a Moodle GIFT file into bank questions.

Follows Moodle's own reader (question/format/gift): questions are separated by blank
lines, `//` lines are comments, `$CATEGORY:` sets the category, `::title::` and
`[html]`/`[moodle]`/`[plain]`/`[markdown]` are optional, and the answer block decides the
type:

| GIFT                                   | bank type                                   |
|----------------------------------------|---------------------------------------------|
| `{=right ~wrong}`                      | `single` (`multiple` when no choice is `=`)  |
| `{~%50%a ~%50%b ~%-100%c}`             | `multiple` (choices with a positive weight)  |
| `{T}` `{TRUE}` `{F}` `{FALSE}`         | `true_false`                                 |
| `{=answer =other}`                     | `short`                                      |
| `text {=answer} text` (missing word)   | `cloze` with one blank (`single` with `~`)    |
| `{#n:tolerance}` `{#min..max}` `{#n}`  | `numeric`                                    |
| `{=left -> right …}`                   | `matching` (`ordering` when the right items  |
|                                        | are the positions 1…n, as `quiz export` writes) |
| `{>…` (Moodle's ordering extension)    | `ordering`                                   |
| `{}` essay, or no answer block         | left out, with a warning                     |

Short-answer questions titled `ID (blank k of n)`, as `quiz export` writes a cloze
question with several blanks, are joined back into that cloze question; the comment
line `quiz export` writes before each question gives back its objective and difficulty.
"""
from __future__ import annotations

import re
from pathlib import Path

from quiz.course.safeyaml import read_bytes
from quiz.errors import InputError, display_path
from quiz.importers.common import (
    Extracted,
    Imported,
    ImportWarning,
    Raw,
    as_number,
    build_bank,
    choice_list,
    clean_short_answers,
    html_to_text,
    number,
    split_tags,
)

# escaped characters are swapped for private-use code points while parsing
_ESCAPES = {"\\\\": "\ue000", "\\:": "\ue001", "\\#": "\ue002", "\\=": "\ue003", "\\{": "\ue004",
            "\\}": "\ue005", "\\~": "\ue006", "\\n": "\ue007"}
_RESTORE = {"\ue000": "\\", "\ue001": ":", "\ue002": "#", "\ue003": "=", "\ue004": "{", "\ue005": "}",
            "\ue006": "~", "\ue007": "\n"}
_META = re.compile(r"^//\s*(?P<id>\S+) · (?P<type>\w+) · objective (?P<objective>\S+) · difficulty (?P<d>\d)(?: · unit (?P<unit>.*\S))?$")  # on a stripped line
_BRACKETED = re.compile(r"\[(id|tag):((?:\\.|[^\]\\])+)\]")  # Moodle's `// [id:…]`, `// [tag:…]`
_GROUP_TITLE = re.compile(r"^//\s*title:\s*(?P<title>.+?)\s*$")
_TITLE = re.compile(r"^\s*::(.*?)::", re.DOTALL)
_FORMAT = re.compile(r"^\s*\[(html|moodle|plain|markdown)\]", re.IGNORECASE)
_GAP = "\ue010"
_WEIGHT = re.compile(r"^%(-?\d+(?:\.\d+)?)%")


def protect(text: str) -> str:
    out, i = [], 0
    while i < len(text):
        pair = text[i : i + 2]
        if pair in _ESCAPES:
            out.append(_ESCAPES[pair])
            i += 2
        else:
            out.append(text[i])
            i += 1
    return "".join(out)


def restore(text: str) -> str:
    for k, v in _RESTORE.items():
        text = text.replace(k, v)
    return text


def read_gift(path: str | Path) -> tuple[list[Raw], list[ImportWarning]]:
    shown = display_path(path)
    try:
        text = read_bytes(path, "GIFT file").decode("utf-8-sig")
    except UnicodeDecodeError:
        raise InputError(shown, 0, "not UTF-8 text; save the GIFT file as UTF-8") from None
    if "\x00" in text:
        raise InputError(shown, 0, "a binary file, not GIFT text")
    return parse_gift(text, shown)


def parse_gift(text: str, shown: str = "<gift>") -> tuple[list[Raw], list[ImportWarning]]:
    warnings: list[ImportWarning] = []
    raws: list[Raw] = []
    category = ""
    block: list[str] = []
    start = 0
    meta: dict | None = None
    pending_meta: dict | None = None
    tags: list[str] = []  # from `// [tag:…]` before the question in hand
    pending_tags: list[str] = []
    group_titles: dict[str, str] = {}
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")

    def flush() -> None:
        nonlocal block, meta, tags
        if block:
            raw = _question("\n".join(block), start, category, shown, warnings, ours=meta is not None)
            if raw is not None:
                raw.tags, objective, difficulty = split_tags(tags)
                raw.objective, raw.difficulty = objective, difficulty
                raw.group_title = group_titles.get(category, "")
                if meta:
                    raw.objective, raw.difficulty = meta["objective"], int(meta["d"])
                    unit = meta.get("unit")
                    if unit and raw.data.get("type") == "numeric":
                        suffix = f" (in {unit})"
                        if raw.data["prompt"].endswith(suffix):
                            raw.data["prompt"] = raw.data["prompt"][: -len(suffix)]
                        raw.data["unit"] = unit
                raws.append(raw)
        block, meta, tags = [], None, []

    for n, line in enumerate(lines, 1):
        stripped = line.strip()
        if not stripped:
            flush()
            continue
        if stripped.startswith("//"):
            m = _META.match(stripped)
            if m:
                pending_meta = m.groupdict()
            t = _GROUP_TITLE.match(stripped)
            if t and not block:
                group_titles[category] = t.group("title")
            pending_tags += [re.sub(r"\\(.)", r"\1", v).strip() for k, v in _BRACKETED.findall(stripped) if k == "tag"]
            continue
        if not block and stripped.startswith("$CATEGORY:"):
            category = stripped[len("$CATEGORY:"):].strip()
            continue
        if not block:
            start = n
            meta, pending_meta = pending_meta, None
            tags, pending_tags = pending_tags, []
        block.append(line)
    flush()
    return raws, warnings


def _field(text: str, fmt: str) -> Extracted:
    """A GIFT text (protected) as plain text, by its format."""
    text = restore(text).strip()
    if fmt in ("html", "moodle"):
        return html_to_text(text)
    return Extracted(text)


def _question(source: str, line: int, category: str, shown: str, warnings: list[ImportWarning],
              ours: bool = False) -> Raw | None:
    """One question block. `ours`: written by `quiz export` (its comment line precedes it),
    whose `=%100%` answers are punctuation-free forms it added."""
    text = protect(source)
    where = f"{shown}:{line}"
    title = ""
    m = _TITLE.match(text)
    if m:
        title = restore(m.group(1)).strip()
        text = text[m.end():]
    fmt = "moodle"
    m = _FORMAT.match(text)
    if m:
        fmt = m.group(1).lower()
        text = text[m.end():]
    name = title or where
    open_at = text.find("{")
    close_at = text.find("}", open_at + 1) if open_at >= 0 else -1
    if open_at < 0 or close_at < 0:
        warnings.append(ImportWarning(name, "left out: a description (no answer block) is not a question"))
        return None
    head, body, tail = text[:open_at], text[open_at + 1 : close_at], text[close_at + 1 :]
    general = ""
    if "####" in body:
        body, general = body.split("####", 1)
    gf = _field(general, fmt)
    body = body.strip()
    prompt_x = _field(head, fmt)
    missing_word = bool(_field(tail, fmt).text)
    raw_common = dict(line=line, title=title, category=category, quote=gf.quote, chapter=gf.chapter,
                      more_sources=gf.more_sources)
    if prompt_x.images or gf.images:
        warnings.append(ImportWarning(name, f"{prompt_x.images + gf.images} image(s) dropped (the bank format "
                                            "holds text; describe the image in the prompt)"))

    def finish(data: dict) -> Raw:
        if gf.text:
            data["explanation"] = gf.text
        if gf.feedback and "feedback" not in data:
            data["feedback"] = gf.feedback
        return Raw(data, **raw_common)

    def prompt_with(blank: str) -> str:
        """The prompt of a missing-word question, the gap replaced by `blank`."""
        return _field(head + _GAP + tail, fmt).text.replace(_GAP, blank)

    if not body:
        warnings.append(ImportWarning(name, "left out: an essay question has no answer to check"))
        return None
    if body.startswith(">"):
        lines = [restore(x).strip() for x in body.split("\n")[1:]]
        items = [_field(x, fmt).text for x in lines if x.strip()]
        return finish({"type": "ordering", "prompt": prompt_x.text, "items": items})
    if body.startswith("#"):
        return finish(_numeric(body[1:], prompt_x.text, fmt, name, warnings))
    tf = re.fullmatch(r"(TRUE|FALSE|T|F)\s*((?:#[^#]*)*)", body, re.DOTALL)
    if tf:
        fbs = [x for x in tf.group(2).split("#")[1:]]
        data = {"type": "true_false", "prompt": prompt_x.text, "answer": tf.group(1).startswith("T")}
        wrong = _field(fbs[0], fmt).text if fbs else ""
        if wrong:
            data["feedback"] = wrong
        return finish(data)
    if "~" in body:
        choices = []
        for part in re.split(r"(?=[=~])", body):
            part = part.strip()
            if not part:
                continue
            full = part.startswith("=")
            part = part[1:]
            fraction = 1.0 if full else 0.0
            w = _WEIGHT.match(part)
            if w:
                fraction = float(w.group(1)) / 100
                part = part[w.end():]
            answer, _, fb = part.partition("#")
            choices.append((_field(answer, fmt).text, fraction, _field(fb, fmt).text))
        single = "=" in body
        data = choice_list(choices, single, name, warnings)
        data["prompt"] = prompt_with("_____") if missing_word else prompt_x.text
        if missing_word:
            warnings.append(ImportWarning(name, "a missing-word choice question becomes a choice question with "
                                                "the gap shown as _____"))
        return finish(data)
    if "->" in body:
        pairs = []
        for part in body.split("="):
            part = part.strip()
            if not part:
                continue
            left, _, right = part.partition("->")
            left_t, right_t = _field(left, fmt).text, restore(right).strip()
            if not left_t:
                warnings.append(ImportWarning(name, f"the extra right-hand item '{right_t}' is dropped "
                                                    "(the bank format has no distractors for matching)"))
                continue
            pairs.append({"left": left_t, "right": right_t})
        return finish({"type": "matching", "prompt": prompt_x.text, "pairs": pairs})
    answers = []
    for part in body.split("="):
        part = part.strip()
        if not part:
            continue
        w = _WEIGHT.match(part)
        if w:
            if float(w.group(1)) < 100:
                warnings.append(ImportWarning(name, f"the answer with {w.group(1)}% credit is dropped "
                                                    "(short answers are right or wrong)"))
                continue
            part = part[w.end():]
            if ours:
                continue  # a punctuation-free form added by `quiz export`
        answer, _, fb = part.partition("#")
        answers.append(restore(answer).strip())
        if _field(fb, fmt).text:
            warnings.append(ImportWarning(name, f"the feedback on the right answer '{answers[-1]}' is dropped "
                                                "(the bank shows the explanation after a right answer)"))
    answers = clean_short_answers(answers, name, warnings)
    if missing_word:
        blank = "{{" + "|".join(a.replace("|", "/") for a in answers) + "}}"
        return finish({"type": "cloze", "prompt": prompt_with(blank)})
    return finish({"type": "short", "prompt": prompt_x.text, "answers": answers})


def _numeric(body: str, prompt: str, fmt: str, name: str, warnings: list[ImportWarning]) -> dict:
    from quiz.exporters.common import split_unit_suffix

    body = body.strip()
    parts = [p.strip() for p in re.split(r"(?=[=~])", body) if p.strip()] if body[:1] in ("=", "~") else [body]
    best = None
    for part in parts:
        fraction = 1.0
        if part[:1] in ("=", "~"):
            fraction = 1.0 if part[0] == "=" else 0.0
            part = part[1:]
        w = _WEIGHT.match(part)
        if w:
            fraction = float(w.group(1)) / 100
            part = part[w.end():]
        value = part.partition("#")[0]
        value = restore(value).strip()
        if fraction < 0.999:
            warnings.append(ImportWarning(name, f"the numeric answer {value} with {fraction * 100:g}% credit is "
                                                "dropped (numeric answers are right or wrong)"))
            continue
        if best is None:
            best = value
    answer, tolerance, readable = 0.0, 0.0, False
    if best is not None:
        if ".." in best:
            lo, hi = (number(x) for x in best.split("..", 1))
            if lo is not None and hi is not None:
                answer, tolerance, readable = (lo + hi) / 2, abs(hi - lo) / 2, True
        elif ":" in best:
            v, t = (number(x) for x in best.split(":", 1))
            answer, tolerance, readable = (v or 0.0), abs(t or 0.0), v is not None and t is not None
        else:
            answer = number(best) or 0.0
            readable = number(best) is not None
    if not readable:  # `{#1..}` or `{#2:}` included: half a range is not an answer
        warnings.append(ImportWarning(name, "no readable numeric answer; the answer is set to 0, check it"))
    stem, unit = split_unit_suffix(prompt)
    data: dict = {"type": "numeric", "prompt": stem if unit else prompt, "answer": as_number(answer)}
    if tolerance:
        data["tolerance"] = as_number(tolerance)
    if unit:
        data["unit"] = unit
    return data


def import_gift(path: str | Path, bank_id: str, title: str | None = None, chapter: str | None = None,
                source: str = "all", objective_texts: dict | None = None) -> Imported:
    raws, warnings = read_gift(path)
    if not raws:
        raise InputError(display_path(path), 0, "no questions found; is this a GIFT file?")
    from quiz.importers.common import category_name

    title = title or next((r.group_title for r in raws if r.group_title), "") \
        or next((category_name(r.category) for r in raws if category_name(r.category)), "") or Path(path).stem
    return build_bank(raws, bank_id, title, chapter, source, warnings, objective_texts)
