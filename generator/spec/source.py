"""Reading a spec file's bytes, refusing what is not a spec file (no heavy imports: ``check`` on an
unchanged spec reads the spec, hashes it, and stops).

Only a regular file is read, and at most :data:`MAX_SPEC_BYTES` of it: a FIFO, a device (such
as ``/dev/zero``) or a folder given as a spec is a one-line error, and opening it never blocks.
"""

from __future__ import annotations

import os
import stat

from ..errors import Position, SpecError, SpecProblem

#: The largest spec read (a spec of 1,000 entities is under 1 MB).
MAX_SPEC_BYTES = 50 * 1024 * 1024

_KINDS = (
    (stat.S_ISDIR, "a folder"),
    (stat.S_ISFIFO, "a FIFO (named pipe)"),
    (stat.S_ISCHR, "a character device"),
    (stat.S_ISBLK, "a block device"),
    (stat.S_ISSOCK, "a socket"),
)


def _refuse(display: str, why: str) -> SpecError:
    return SpecError([SpecProblem(Position(display, 1, 1), f"cannot read the spec: {why}")])


def read_spec(path: str | os.PathLike[str], display: str | None = None, limit: int = MAX_SPEC_BYTES) -> bytes:
    """The bytes of the spec file ``path`` (``display`` names it in messages); raises SpecError
    when it cannot be read, is not a regular file, or holds more than ``limit`` bytes."""
    name = display or os.fspath(path)
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0))
    except OSError as exc:
        raise _refuse(name, exc.strerror or str(exc)) from None
    except ValueError as exc:  # a NUL character in the path
        raise _refuse(name, str(exc)) from None
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            kind = next((what for test, what in _KINDS if test(info.st_mode)), "not a file")
            raise _refuse(name, f"it is {kind}, not a regular file")
        chunks: list[bytes] = []
        size = 0 if info.st_size <= limit else limit + 1  # too large already: nothing to read
        while size <= limit:
            chunk = os.read(fd, min(1 << 20, limit + 1 - size))
            if not chunk:
                break
            chunks.append(chunk)
            size += len(chunk)
    except OSError as exc:
        raise _refuse(name, exc.strerror or str(exc)) from None
    finally:
        os.close(fd)
    if size > limit:
        shown = f"{limit // (1 << 20)} MB" if limit % (1 << 20) == 0 else f"{limit} bytes"
        raise _refuse(name, f"it is larger than {shown}")
    return b"".join(chunks)

