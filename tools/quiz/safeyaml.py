"""Reading YAML that people type: safely, with line numbers, and refusing what hurts.

PyYAML's safe loader already refuses `!!python/...` tags, but it silently keeps the last
of two duplicate keys, expands alias bombs into gigabytes, and loses line numbers. So we
compose the node graph with the safe loader and build plain Python data ourselves,
recording the line of every mapping key and sequence item by its path.
"""
from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from .errors import InputError, Problem, display_path

try:  # libyaml is much faster on large banks; the pure-Python loader behaves the same
    _Loader = yaml.CSafeLoader
except AttributeError:  # pragma: no cover
    _Loader = yaml.SafeLoader

MAX_BYTES = 32 * 1024 * 1024     # a bank of 20,000 questions is about 10 MB
MAX_NODES = 2_000_000            # after alias expansion
MAX_DEPTH = 64

Path_ = tuple  # a path into the data: keys and indices


@dataclass
class Loaded:
    """YAML data with the line (1-based) of every node, keyed by its path."""

    data: Any
    file: str
    lines: dict[tuple, int] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)

    def line_of(self, path: tuple | list) -> int:
        """The line of the node at `path`, or of its nearest recorded ancestor."""
        path = tuple(path)
        while path:
            if path in self.lines:
                return self.lines[path]
            path = path[:-1]
        return self.lines.get((), 1)


def read_text(path: str | Path, what: str = "file") -> str:
    """Read a UTF-8 text file, refusing empty, binary, oversized or mis-encoded input."""
    shown = display_path(path)
    try:
        size = os.stat(path).st_size
    except OSError as exc:
        raise InputError(shown, 0, f"cannot read the {what}: {exc.strerror}") from None
    if size > MAX_BYTES:
        raise InputError(shown, 0, f"the {what} is {size / 1e6:.0f} MB; the limit is "
                         f"{MAX_BYTES // 2**20} MB. Split it into several files.")
    try:
        raw = Path(path).read_bytes()
    except OSError as exc:
        raise InputError(shown, 0, f"cannot read the {what}: {exc.strerror}") from None
    if not raw.strip():
        raise InputError(shown, 1, f"the {what} is empty")
    if b"\x00" in raw[:8192] or raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise InputError(shown, 1, f"the {what} looks binary (or UTF-16); save it as UTF-8 text")
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise InputError(shown, line, f"not valid UTF-8 (byte 0x{raw[exc.start]:02x}); "
                         "save the file as UTF-8") from None
    if "\x00" in text:
        line = text[: text.index("\x00")].count("\n") + 1
        raise InputError(shown, line, f"the {what} contains a NUL byte; it looks binary")
    return text


def load_yaml(path: str | Path, text: str | None = None, line_offset: int = 0) -> Loaded:
    """Load one YAML document. Raises InputError when it is not YAML one can trust."""
    shown = display_path(path)
    if text is None:
        text = read_text(path)
    try:
        node = yaml.compose(text, Loader=_Loader)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = (mark.line + 1 if mark else 1) + line_offset
        raise InputError(shown, line, f"not valid YAML: {exc.problem or exc.context}") from None
    except yaml.YAMLError as exc:
        raise InputError(shown, 1 + line_offset, f"not valid YAML: {exc}") from None
    except RecursionError:
        raise InputError(shown, 1 + line_offset, f"nested too deeply (limit {MAX_DEPTH} levels)") from None
    if node is None:
        raise InputError(shown, 1 + line_offset, "the file holds no YAML document")
    builder = _Builder(shown, line_offset)
    builder.check_size(node)
    data = builder.build(node, (), 0)
    return Loaded(data, shown, builder.lines, builder.problems)


class _Builder:
    def __init__(self, file: str, offset: int):
        self.file = file
        self.offset = offset
        self.lines: dict[tuple, int] = {}
        self.problems: list[Problem] = []
        self.scalars = yaml.constructor.SafeConstructor()

    def line(self, node: yaml.Node) -> int:
        return node.start_mark.line + 1 + self.offset

    def check_size(self, root: yaml.Node) -> None:
        """Refuse alias bombs: count nodes as if every alias were expanded, in linear time."""
        sizes: dict[int, int] = {}
        stack: list[tuple[yaml.Node, int, bool]] = [(root, 0, False)]
        while stack:
            node, depth, done = stack.pop()
            if depth > MAX_DEPTH:
                raise InputError(self.file, self.line(node), f"nested too deeply (limit {MAX_DEPTH} levels)")
            key = id(node)
            if key in sizes and not done:
                continue
            children = self._children(node)
            if not done:
                stack.append((node, depth, True))
                stack.extend((c, depth + 1, False) for c in children if id(c) not in sizes)
                sizes[key] = -1  # in progress: a cycle (recursive alias) sees -1
                continue
            total = 1
            for c in children:
                s = sizes.get(id(c), 0)
                if s < 0:
                    raise InputError(self.file, self.line(c), "a YAML alias refers to itself; remove the recursion")
                total += s
            if total > MAX_NODES:
                raise InputError(self.file, self.line(node), "aliases expand to more than "
                                 f"{MAX_NODES:,} values (an alias bomb?); write the data out")
            sizes[key] = total

    @staticmethod
    def _children(node: yaml.Node) -> list[yaml.Node]:
        if isinstance(node, yaml.SequenceNode):
            return list(node.value)
        if isinstance(node, yaml.MappingNode):
            return [n for pair in node.value for n in pair]
        return []

    def build(self, node: yaml.Node, path: tuple, depth: int) -> Any:
        self.lines[path] = self.line(node)
        if isinstance(node, yaml.ScalarNode):
            if node.tag == "tag:yaml.org,2002:str":  # the common case, without the constructor's overhead
                return node.value
            try:
                return self.scalars.construct_object(node)
            except yaml.constructor.ConstructorError:
                tag = node.tag.replace("tag:yaml.org,2002:", "!!")
                raise InputError(self.file, self.line(node),
                                 f"the tag {tag} is not allowed; only plain YAML values are") from None
            except ValueError as exc:
                raise InputError(self.file, self.line(node), f"cannot read the value: {exc}") from None
        if isinstance(node, yaml.SequenceNode):
            self._check_tag(node, "tag:yaml.org,2002:seq")
            return [self.build(child, path + (i,), depth + 1) for i, child in enumerate(node.value)]
        if isinstance(node, yaml.MappingNode):
            self._check_tag(node, "tag:yaml.org,2002:map")
            out: dict = {}
            for key_node, value_node in node.value:
                if key_node.tag == "tag:yaml.org,2002:merge":
                    raise InputError(self.file, self.line(key_node),
                                     "merge keys (<<) are not supported; write the keys out")
                key = self.build(key_node, path + ("<key>",), depth + 1)
                if isinstance(key, (dict, list)):
                    raise InputError(self.file, self.line(key_node), "a mapping key must be a plain value")
                if key in out:
                    self.problems.append(Problem(self.file, self.line(key_node),
                                                 f"duplicate key '{key}' (first at line "
                                                 f"{self.lines[path + (key,)]}); keep one"))
                    continue
                self.lines[path + (key,)] = self.line(key_node)
                out[key] = self.build(value_node, path + (key,), depth + 1)
                self.lines[path + (key,)] = self.line(key_node)
            self.lines.pop(path + ("<key>",), None)
            return out
        raise InputError(self.file, self.line(node), "unsupported YAML node")  # pragma: no cover

    def _check_tag(self, node: yaml.Node, expected: str) -> None:
        if node.tag != expected:
            tag = node.tag.replace("tag:yaml.org,2002:", "!!")
            raise InputError(self.file, self.line(node), f"the tag {tag} is not allowed; only plain YAML values are")
