"""Writing files so that a failure leaves nothing behind.

Every command that writes goes through `atomic_write`: the content goes to a temporary
file beside the target, is flushed to disk, and replaces the target in one rename. A full
disk, a size limit or an unwritable directory ends in one clear `InputError` (exit status
2) and leaves the old file as it was, never a partial or empty one. The rename replaces a
symbolic link at the target itself, never the file it points to.
"""
from __future__ import annotations

import contextlib
import os
import stat
import tempfile
from collections.abc import Iterator
from pathlib import Path

from quiz.errors import InputError, display_path


def check_writable(path: str | Path, what: str = "file") -> os.stat_result | None:
    """Refuse a target that is not a regular file (a device such as /dev/full, a
    directory, a FIFO) or whose directory does not exist; its stat when it exists."""
    path = Path(path)
    shown = display_path(path)
    try:
        st = os.stat(path)
    except FileNotFoundError:
        st = None
    except OSError as exc:
        raise InputError(shown, 0, f"cannot write the {what}: {exc.strerror or exc}") from None
    if st is not None and not stat.S_ISREG(st.st_mode):
        raise InputError(shown, 0, f"cannot write the {what}: it is not a regular file; choose a file name")
    if not path.absolute().parent.is_dir():
        raise InputError(shown, 0, f"cannot write the {what}: the directory {display_path(path.absolute().parent)} "
                         "does not exist")
    return st


@contextlib.contextmanager
def atomic_output(path: str | Path, what: str = "file") -> Iterator[Path]:
    """A temporary path beside `path` to write to; it replaces `path` when the block ends
    without an error, and is removed when it fails (an OSError becomes an InputError)."""
    path = Path(path)
    shown = display_path(path)
    st = check_writable(path, what)
    tmp = None
    try:
        # the same suffix: a writer may choose its format by it
        fd, tmp = tempfile.mkstemp(prefix=f".{path.stem}.tmp-", suffix=path.suffix, dir=path.absolute().parent)
        os.close(fd)
        yield Path(tmp)
        with open(tmp, "rb") as fh:
            os.fsync(fh.fileno())
        if st is not None:
            os.chmod(tmp, stat.S_IMODE(st.st_mode))
        else:
            umask = os.umask(0)
            os.umask(umask)
            os.chmod(tmp, 0o666 & ~umask)
        os.replace(tmp, path)
        tmp = None
    except OSError as exc:
        raise InputError(shown, 0, f"cannot write the {what}: {exc.strerror or exc}; "
                         "nothing was written (check the directory and the free space)") from None
    finally:
        if tmp is not None:
            with contextlib.suppress(OSError):
                os.unlink(tmp)


def atomic_write(path: str | Path, content: str | bytes, what: str = "file") -> None:
    """Write `content` to `path` all at once, or not at all."""
    data = content.encode("utf-8") if isinstance(content, str) else content
    with atomic_output(path, what) as tmp:
        tmp.write_bytes(data)


COURSE_DIRS = ("sources", "lessons", "quizzes")


def in_course_dirs(path: str | Path) -> str | None:
    """The course directory (sources/, lessons/ or quizzes/) that `path` lies in, if any."""
    from quiz import paths

    root = paths.course_root()
    where = Path(os.path.abspath(path))
    for name in COURSE_DIRS:
        if where.is_relative_to(root / name) or where.resolve().is_relative_to((root / name).resolve()):
            return name
    return None


def refuse_course_file(path: str | Path, what: str) -> None:
    """An output must not replace a bank, lesson or source text (SECURITY.md)."""
    where = in_course_dirs(path)
    if where and Path(path).exists():
        raise InputError(display_path(path), 0, f"is a course file in {where}/; the {what} is not written over it. "
                         "Choose another file name")
