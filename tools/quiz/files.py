"""Writing files so that a failure leaves nothing behind.

Every command that writes goes through `atomic_write`: the content goes to a temporary
file beside the target, is flushed to disk, and replaces the target in one rename. A full
disk, a size limit or an unwritable directory ends in one clear `InputError` (exit status
2) and leaves the old file as it was, never a partial or empty one. The rename replaces a
symbolic link at the target itself, never the file it points to.
"""
from __future__ import annotations

import os
import stat
import tempfile
from pathlib import Path

from quiz.errors import InputError, display_path


def atomic_write(path: str | Path, content: str | bytes, what: str = "file") -> None:
    """Write `content` to `path` all at once, or not at all."""
    path = Path(path)
    data = content.encode("utf-8") if isinstance(content, str) else content
    shown = display_path(path)
    try:
        st = os.stat(path)
    except OSError:
        st = None
    if st is not None and not stat.S_ISREG(st.st_mode):
        raise InputError(shown, 0, f"cannot write the {what}: it is not a regular file; choose a file name")
    tmp = None
    try:
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent or ".")
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
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
            try:
                os.unlink(tmp)
            except OSError:
                pass
