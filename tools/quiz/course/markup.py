"""What lesson Markdown may contain: what a course page needs, and nothing that reads
files, runs code or script.

Lessons come from instructors and teaching assistants, often by pull request, and CI
builds and publishes the book (SECURITY.md). MyST can include any local file
(`{include}`, `{literalinclude}`, `{csv-table}` with `:file:`, `{download}`), pass raw
HTML or reStructuredText through (`{raw}`, `{eval-rst}`, inline tags) and run code
(`{code-cell}`). So directives and roles come from an allow-list, and HTML tags from a
short one, without attributes; anything else is a problem at its line.
"""
from __future__ import annotations

import re

DIRECTIVES = frozenset({
    "excerpt", "exercise", "solution", "note", "tip", "hint", "important", "warning", "caution", "attention",
    "danger", "error", "seealso", "admonition", "epigraph", "pull-quote", "highlights", "topic", "sidebar",
    "margin", "dropdown", "card", "grid", "grid-item", "grid-item-card", "tab-set", "tab-item", "table",
    "list-table", "csv-table", "glossary", "math", "container", "rubric", "centered", "hlist",
})
ROLES = frozenset({
    "lesson", "excerpt", "term", "ref", "doc", "numref",  # lesson, excerpt: references the book links "cite", "cite:p", "cite:t", "cite:ps", "cite:ts", "cite:ct", "cite:cp",
    "abbr", "sub", "sup", "math", "kbd", "guilabel", "menuselection", "dfn", "emphasis", "strong",
    "subscript", "superscript", "title-reference",
})
TAGS = frozenset({"br", "sub", "sup", "abbr", "kbd", "em", "strong", "i", "b", "small", "mark", "q", "cite",
                  "s", "u", "wbr"})
FILE_OPTIONS = (":file:", ":url:")  # csv-table options that read a file or fetch a URL

_FENCE_OPEN = re.compile(r"^\s*(`{3,}|~{3,}|:{3,})\s*(\{([^}]*)\})?")
_CODE_SPAN = re.compile(r"(?<![}`])(`+)(?:(?!\1).)+?\1")  # a role's content is not code
_ROLE = re.compile(r"\{([A-Za-z][\w:.+-]*)\}`")
_TAG = re.compile(r"<(/?)([A-Za-z][A-Za-z0-9-]*)(?=[\s/>]|$)([^>]*)")
_DECL = re.compile(r"<[!?](?!--)")
_ATTR_OK = re.compile(r"\s*(title=\"[^\"<>]*\")?\s*/?\s*$")


def markup_problems(body: str, first_line: int) -> list[tuple[int, str]]:
    """(file line, message) for every directive, role or HTML a lesson may not use."""
    out: list[tuple[int, str]] = []
    stack: list[tuple[str, str | None]] = []  # open fences: (fence, directive name or None for code)
    for i, line in enumerate(body.split("\n")):
        lineno = first_line + i
        m = _FENCE_OPEN.match(line)
        fence = m.group(1) if m else ""
        rest = line.strip()[len(fence):].strip() if m else ""
        closes = bool(m) and not rest and bool(stack) and stack[-1][0][0] == fence[0] and len(fence) >= len(stack[-1][0])
        if stack and stack[-1][1] is None:  # inside a code block: shown as written, never parsed
            if closes:
                stack.pop()
            continue
        if closes:
            stack.pop()
            continue
        if m and m.group(2):
            name = m.group(3).strip()
            stack.append((fence, name))
            if name not in DIRECTIVES:
                out.append((lineno, f"the directive {{{name}}} is not allowed in a lesson (it can read files, "
                                    "pass raw HTML or run code); use " + _allowed_hint()))
            continue
        if m and fence[0] != ":":
            stack.append((fence, None))  # ``` or ```python: a code block
            continue
        if stack and stack[-1][1] == "csv-table" and line.strip().startswith(FILE_OPTIONS):
            out.append((lineno, "a {csv-table} takes its rows from the lesson, not from a file or URL: "
                                "remove the :file: or :url: option and write the rows in"))
        text = _CODE_SPAN.sub("", line)
        for role in _ROLE.findall(text):
            if role not in ROLES:
                out.append((lineno, f"the role {{{role}}} is not allowed in a lesson (it can read files or pass "
                                    "raw markup); allowed roles: " + ", ".join(sorted(ROLES))))
        for closing, tag, attrs in _TAG.findall(text):
            name = tag.lower()
            if name not in TAGS:
                out.append((lineno, f"the HTML tag <{tag}> is not allowed in a lesson; write Markdown "
                                    f"(allowed tags: {', '.join(sorted(TAGS))})"))
            elif attrs.strip() and not (name == "abbr" and not closing and _ATTR_OK.match(attrs)):
                out.append((lineno, f"the HTML tag <{tag}> may not carry attributes in a lesson "
                                    "(only <abbr title=\"...\">)"))
        if _DECL.search(text):
            out.append((lineno, "HTML declarations and processing instructions (<!...>, <?...?>) are not "
                                "allowed in a lesson"))
    return out


def _allowed_hint() -> str:
    return "one of " + ", ".join(sorted(DIRECTIVES))
