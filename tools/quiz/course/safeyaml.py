"""Reading YAML that people type: safely, with line numbers, and refusing what hurts.

PyYAML's safe loader already refuses `!!python/...` tags, but it silently keeps the last
of two duplicate keys, expands alias bombs into gigabytes, and loses line numbers. So we
read the parser's event stream and build plain Python data ourselves, recording the line
of every mapping key and sequence item by its path. Building from events (rather than
composing PyYAML's node graph first) needs no recursion, so no nesting can overflow the
C stack, and no memory beyond the data itself: values are counted as they are built,
aliases by the size they expand to, and the build stops at the first limit crossed.
"""
from __future__ import annotations

import os
import stat
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from yaml.events import (
    AliasEvent,
    DocumentEndEvent,
    DocumentStartEvent,
    MappingEndEvent,
    MappingStartEvent,
    ScalarEvent,
    SequenceEndEvent,
    SequenceStartEvent,
    StreamEndEvent,
    StreamStartEvent,
)

from quiz import paths
from quiz.errors import InputError, Problem, display_path
from quiz.gcpause import gc_paused

try:  # libyaml is much faster on large banks; the pure-Python parser behaves the same
    from yaml._yaml import CParser as _Parser
except ImportError:  # pragma: no cover
    _Parser = None

MAX_BYTES = 32 * 1024 * 1024     # a bank of 20,000 questions is about 12 MB
MAX_NODES = 2_000_000            # values, counting each alias as the values it expands to
MAX_DEPTH = 64

Path_ = tuple  # a path into the data: keys and indices

_STR = "tag:yaml.org,2002:str"
_SEQ = "tag:yaml.org,2002:seq"
_MAP = "tag:yaml.org,2002:map"
_MERGE = "tag:yaml.org,2002:merge"
_RESOLVERS = {first: tuple(rs + yaml.resolver.Resolver.yaml_implicit_resolvers.get(None, []))
              for first, rs in yaml.resolver.Resolver.yaml_implicit_resolvers.items() if first is not None}
_ANY_FIRST = tuple(yaml.resolver.Resolver.yaml_implicit_resolvers.get(None, []))  # empty for the safe resolver


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


_KINDS = ((stat.S_ISDIR, "a directory"), (stat.S_ISFIFO, "a named pipe (FIFO)"), (stat.S_ISCHR, "a device"),
          (stat.S_ISBLK, "a device"), (stat.S_ISSOCK, "a socket"))


def read_bytes(path: str | Path, what: str = "file", limit: int = MAX_BYTES) -> bytes:
    """The bytes of a regular file of at most `limit` bytes, or an InputError saying why not.

    The one way the package reads a file it is given (SECURITY.md): devices, FIFOs and
    sockets are refused before a byte is read (opening does not block, reading is capped,
    so /dev/zero or a pipe cannot hang or fill memory), and a path inside the course that
    is a symbolic link to something outside it is refused, so a bank or lesson cannot
    publish or print a file from elsewhere on the machine."""
    shown = display_path(path)
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0))
    except OSError as exc:
        raise InputError(shown, 0, f"cannot read the {what}: {exc.strerror or exc}") from None
    with os.fdopen(fd, "rb") as fh:
        st = os.fstat(fd)
        if not stat.S_ISREG(st.st_mode):
            kind = next((name for test, name in _KINDS if test(st.st_mode)), "not a file")
            raise InputError(shown, 0, f"the {what} is not a regular file ({kind}); give the path of a file")
        _refuse_link_out_of_course(Path(path), shown, what)
        if st.st_size > limit:
            raise InputError(shown, 0, _too_big(what, st.st_size, limit))
        try:
            raw = fh.read(limit + 1)
        except OSError as exc:
            raise InputError(shown, 0, f"cannot read the {what}: {exc.strerror or exc}") from None
    if len(raw) > limit:  # grew while we read it
        raise InputError(shown, 0, _too_big(what, len(raw), limit))
    return raw


def _too_big(what: str, size: int, limit: int) -> str:
    return (f"the {what} is {size / 1e6:.0f} MB; the limit is {limit // 2**20} MB. "
            "Split it into several files.")


def _refuse_link_out_of_course(path: Path, shown: str, what: str) -> None:
    root = paths.course_root()
    absolute = os.path.abspath(path)  # its directory resolved, the file itself not (yet)
    where = Path(os.path.realpath(os.path.dirname(absolute))) / os.path.basename(absolute)
    if not where.is_relative_to(root):
        return  # a file the user named outside the course: theirs to read
    try:
        real = where.resolve(strict=True)
    except RuntimeError:  # a loop of links
        raise InputError(shown, 0, f"cannot read the {what}: a loop of symbolic links") from None
    except OSError:
        return  # missing: the open reports it
    if not real.is_relative_to(root):
        raise InputError(shown, 0, f"the {what} is a symbolic link to a file outside the course, which is "
                         "not read; copy the file into the course instead")


def read_text(path: str | Path, what: str = "file") -> str:
    """Read a UTF-8 text file, refusing empty, binary, oversized or mis-encoded input."""
    shown = display_path(path)
    raw = read_bytes(path, what)
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
    builder = _Builder(shown, line_offset)
    try:
        with gc_paused():
            data = builder.run(text)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = (mark.line + 1 if mark else 1) + line_offset
        raise InputError(shown, line, f"not valid YAML: {exc.problem or exc.context}") from None
    except yaml.reader.ReaderError as exc:  # a character YAML does not allow, e.g. a control character
        line = text[: exc.position].count("\n") + 1 + line_offset if isinstance(exc.position, int) else 1 + line_offset
        raise InputError(shown, line, f"not valid YAML: character #x{exc.character:04x}: "
                         f"{exc.reason}" if isinstance(exc.character, int) else f"not valid YAML: {exc.reason}") from None
    except yaml.YAMLError as exc:
        raise InputError(shown, 1 + line_offset, "not valid YAML: " + " ".join(str(exc).split())) from None
    return Loaded(data, shown, builder.lines, builder.problems)


def _tag_name(tag: str) -> str:
    return tag.replace("tag:yaml.org,2002:", "!!")


_NO_KEY = object()
_BUILDING = object()  # an anchor whose collection is still open: an alias to it is recursive


class _Frame:
    """An open sequence or mapping."""

    __slots__ = ("value", "path", "is_map", "key", "key_line", "record", "anchor", "count_at_start", "index")

    def __init__(self, value, path, is_map, record, anchor, count_at_start):
        self.value = value
        self.path = path
        self.is_map = is_map
        self.key = _NO_KEY
        self.key_line = 0
        self.record = record  # False inside the value of a duplicate key, which is dropped
        self.anchor = anchor
        self.count_at_start = count_at_start
        self.index = 0


class _Builder:
    def __init__(self, file: str, offset: int):
        self.file = file
        self.offset = offset
        self.lines: dict[tuple, int] = {}
        self.problems: list[Problem] = []
        self.scalars = yaml.constructor.SafeConstructor()
        self.anchors: dict[str, tuple[Any, int]] = {}  # name -> (value, values it expands to)
        self.count = 0
        self.aliased = 0
        self.plain_keys: dict[str, Any] = {}

    def fail(self, event, message: str):
        raise InputError(self.file, event.start_mark.line + 1 + self.offset, message)

    def run(self, text: str) -> Any:
        if _Parser is not None:
            parser = _Parser(text)
            next_event = parser.get_event
        else:  # pragma: no cover
            events = yaml.parse(text, Loader=yaml.SafeLoader)
            next_event = lambda: next(events, None)  # noqa: E731
        event = next_event()
        if type(event) is StreamStartEvent:
            event = next_event()
        if type(event) is StreamEndEvent or event is None:
            raise InputError(self.file, 1 + self.offset, "the file holds no YAML document")
        root = self._document(next_event)
        event = next_event()
        if type(event) is DocumentStartEvent:
            self.fail(event, "not valid YAML: found a second document (a '---' line); keep one document per file")
        return root

    def _document(self, next_event) -> Any:
        """Build the document's value from its events; the hot loop of every load."""
        stack: list[_Frame] = []
        parent: _Frame | None = None
        lines = self.lines
        offset = 1 + self.offset
        plain_keys = self.plain_keys
        root = _NO_KEY
        while True:
            event = next_event()
            kind = type(event)
            if kind is MappingEndEvent or kind is SequenceEndEvent:
                frame = stack.pop()
                parent = stack[-1] if stack else None
                if frame.anchor is not None:
                    self.anchors[frame.anchor] = (frame.value, self.count - frame.count_at_start + 1)
                if parent is None:
                    root = frame.value
                continue
            if kind is DocumentEndEvent:
                return root
            line = event.start_mark.line + offset
            if parent is not None and parent.is_map and parent.key is _NO_KEY:  # a mapping key
                key = _NO_KEY
                if kind is ScalarEvent and event.tag is None and event.anchor is None and event.implicit[0]:
                    key = plain_keys.get(event.value, _NO_KEY)
                if key is _NO_KEY:
                    key = self._key(event, kind)
                else:
                    self.count += 1
                parent.key = key
                parent.key_line = line
                continue
            # a value: a scalar, an alias, or the start of a collection
            if kind is ScalarEvent:
                value = event.value
                if event.tag is not None or (event.implicit[0] and (_ANY_FIRST or value[:1] in _RESOLVERS)):
                    value = self._scalar(event)  # the common case above: plain text, no tag to resolve
                self.count += 1
            elif kind is AliasEvent:
                value, size = self._alias(event)
                self.count += size
                self.aliased += size
            elif kind is SequenceStartEvent or kind is MappingStartEvent:
                value = self._collection(event, kind)
                self.count += 1
            else:  # pragma: no cover - the parser emits nothing else here
                self.fail(event, "unsupported YAML event")
            if self.count > MAX_NODES:
                if self.aliased:
                    self.fail(event, f"aliases expand to more than {MAX_NODES:,} values (an alias bomb?); "
                                     "write the data out")
                self.fail(event, f"the file holds more than {MAX_NODES:,} values; split it into several files")
            # place the value in its parent, recording its line
            if parent is None:
                path = ()
                record = True
                lines[()] = line
                root = value
            elif parent.is_map:
                key = parent.key
                parent.key = _NO_KEY
                path = parent.path + (key,)
                record = parent.record
                if record and key in parent.value:
                    self.problems.append(Problem(self.file, parent.key_line, f"duplicate key '{key}' (first at line "
                                                 f"{lines[path]}); keep one"))
                    record = False
                elif record:
                    parent.value[key] = value
                    lines[path] = parent.key_line
            else:
                path = parent.path + (parent.index,)
                parent.index += 1
                parent.value.append(value)
                record = parent.record
                if record:
                    lines[path] = line
            if kind is ScalarEvent:
                if event.anchor is not None:
                    self._define(event, event.anchor, (value, 1))
            elif kind is not AliasEvent:  # a collection opens
                if len(stack) >= MAX_DEPTH:
                    self.fail(event, f"nested too deeply (limit {MAX_DEPTH} levels)")
                anchor = event.anchor
                if anchor is not None:
                    self._define(event, anchor, _BUILDING)
                parent = _Frame(value, path, kind is MappingStartEvent, record, anchor, self.count)
                stack.append(parent)

    def _define(self, event, anchor: str, value) -> None:
        if anchor in self.anchors and self.anchors[anchor] is not _BUILDING:
            self.fail(event, f"not valid YAML: the anchor &{anchor} is defined twice; rename one")
        self.anchors[anchor] = value

    def _alias(self, event) -> tuple[Any, int]:
        target = self.anchors.get(event.anchor)
        if target is None:
            self.fail(event, f"not valid YAML: the alias *{event.anchor} refers to no anchor defined before it")
        if target is _BUILDING:
            self.fail(event, "a YAML alias refers to itself; remove the recursion")
        return target

    def _key(self, event, kind):
        """A mapping key: a plain value (a scalar, or an alias to one)."""
        if kind is ScalarEvent:
            tag = event.tag
            if (tag is None or tag == "!") and event.implicit[0] and event.value == "<<":
                self.fail(event, "merge keys (<<) are not supported; write the keys out")
            key = self._scalar(event)
            if event.anchor is not None:
                self._define(event, event.anchor, (key, 1))
            elif tag is None and event.implicit[0] and len(self.plain_keys) < 1000:
                self.plain_keys[event.value] = key  # most keys are a few names: resolve each once
            self.count += 1
            return key
        if kind is AliasEvent:
            key, size = self._alias(event)
            if not isinstance(key, (dict, list)):
                self.count += 1
                return key
        self.fail(event, "a mapping key must be a plain value")

    def _scalar(self, event) -> Any:
        tag = event.tag
        value = event.value
        if tag is None or tag == "!":
            if not event.implicit[0]:
                return value
            tag = _STR
            for candidate, regexp in _RESOLVERS.get(value[:1], _ANY_FIRST):
                if regexp.match(value):
                    tag = candidate
                    break
        if tag == _STR:
            return value
        if tag == _MERGE:
            self.fail(event, "merge keys (<<) are not supported; write the keys out")
        node = yaml.ScalarNode(tag, value, event.start_mark, event.end_mark, event.style)
        try:
            return self.scalars.construct_object(node)
        except yaml.constructor.ConstructorError:
            self.fail(event, f"the tag {_tag_name(tag)} is not allowed; only plain YAML values are")
        except Exception as exc:  # an explicit tag on a value it cannot read: `!!bool maybe`, `!!int ""`
            self.fail(event, f"cannot read the value {value[:40]!r} as {_tag_name(tag)}"
                             + (f": {exc}" if isinstance(exc, ValueError) else ""))

    def _collection(self, event, kind) -> Any:
        tag = event.tag
        expected = _MAP if kind is MappingStartEvent else _SEQ
        if tag is not None and tag != "!" and tag != expected:
            self.fail(event, f"the tag {_tag_name(tag)} is not allowed; only plain YAML values are")
        return {} if kind is MappingStartEvent else []
