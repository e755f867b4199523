"""Who is writing an output folder: one run at a time (a lock), and staging folders that name their owner.

Two runs of ``generate`` on one output folder exclude each other with a lock file beside it
(``.<out>.lock``, an ``flock``: the system releases it when its process dies, however it dies; the
holder removes the file when it is done). A run waits for the lock a while, then stops with a
message that names the other run.

A run builds its new tree in a staging folder whose name records the process that made it
(host, pid and the process's start time). A staging folder is a leftover, and is removed, only when
its owner is provably gone: same host, and no process with that pid and start time. A folder of
a live run, of another host, or of unknown shape is left alone.
"""

from __future__ import annotations

import contextlib
import errno
import hashlib
import os
import re
import shutil
import socket
import tempfile
import time
from collections.abc import Iterator
from functools import cache
from pathlib import Path

try:
    import fcntl
except ImportError:  # pragma: no cover - not POSIX
    fcntl = None  # type: ignore[assignment]


class WriteError(Exception):
    """The output folder cannot be updated safely; nothing was changed."""


class OutputBusy(WriteError):
    """Another run is writing the output folder."""


#: How long a run waits for another run to finish writing the same output folder.
LOCK_WAIT = 60.0
#: A staging folder beside the output folder is ``.<out>.generating-<owner>.<random>``; inside
#: it (when the output folder itself cannot be replaced) ``.generating-<owner>.<random>``.
STAGING = ".generating-"
#: Inside a staging folder: the new tree, and (while two plain renames swap it in) the old one.
NEW, OLD_SUFFIX = "tree", ".old"
_OWNER = re.compile(r"(?P<host>[0-9a-f]{8})-(?P<pid>[0-9]+)-(?P<start>[0-9]+)\.")


def _start_time(pid: int) -> tuple[str, int] | None:
    """(state, start time in clock ticks) of a process from ``/proc``, or None when unknown."""
    try:
        with open(f"/proc/{pid}/stat", "rb") as handle:
            fields = handle.read().rsplit(b")", 1)[1].split()
        return fields[0].decode(), int(fields[19])
    except (OSError, IndexError, ValueError):
        return None


@cache
def _host() -> str:
    return hashlib.sha256(socket.gethostname().encode("utf-8", "replace")).hexdigest()[:8]


def owner_tag() -> str:
    """This process, as staging folders record it: ``<host>-<pid>-<start time>``."""
    found = _start_time(os.getpid())
    return f"{_host()}-{os.getpid()}-{found[1] if found else 0}"


def owner_gone(rest: str) -> bool:
    """True when the owner recorded at the start of ``rest`` (a staging name after its prefix) is
    provably gone: a process of this host that no longer runs (or is a zombie). Unknown: False."""
    found = _OWNER.match(rest)
    if not found or found["host"] != _host():
        return False
    pid = int(found["pid"])
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return True
    except OSError:
        return False  # it exists (another user's, say)
    now = _start_time(pid)
    if now is None:
        return False
    state, start = now
    return state in ("Z", "X") or (found["start"] != "0" and int(found["start"]) != start)


def make_stage(parent: Path, prefix: str) -> Path:
    """A new staging folder in ``parent`` named ``<prefix><owner>.<random>``."""
    return Path(tempfile.mkdtemp(prefix=f"{prefix}{owner_tag()}.", dir=parent))


def remove_leftovers(parent: Path, prefix: str, restore_to: Path) -> None:
    """Remove the staging folders ``<prefix>...`` of ``parent`` whose owner is gone.

    A folder ``X.old`` inside one is a tree a killed run had moved aside for a moment: it goes back
    to ``restore_to / X`` (``restore_to`` itself for the whole tree) when nothing took its place.
    """
    try:
        entries = list(parent.iterdir())
    except OSError:
        return
    for item in entries:
        if not item.name.startswith(prefix) or not owner_gone(item.name[len(prefix):]):
            continue
        if item.is_symlink() or not item.is_dir():
            continue
        for parked in item.glob(f"*{OLD_SUFFIX}"):
            name = parked.name.removesuffix(OLD_SUFFIX)
            home = restore_to if name == NEW else restore_to / name
            if parked.is_dir() and not parked.is_symlink() and not os.path.lexists(home):
                with contextlib.suppress(OSError):
                    os.replace(parked, home)
        shutil.rmtree(item, ignore_errors=True)


def lock_path(target: Path) -> Path:
    """The lock file of an output folder: ``.<name>.lock`` beside it, or ``.generate.lock`` inside
    it when its parent cannot be written (then the folder is updated in place, never renamed)."""
    if target.is_dir() and not os.access(target.parent, os.W_OK):
        return target / ".generate.lock"
    return target.parent / f".{target.name}.lock"


def _holder(path: Path) -> str:
    try:
        text = path.read_text(encoding="ascii").strip()
    except (OSError, UnicodeDecodeError):
        return ""
    return f" (pid {text})" if text.isdigit() else ""


@contextlib.contextmanager
def output_lock(target: Path, shown: str, wait: float = LOCK_WAIT) -> Iterator[None]:
    """Hold the output folder's lock; waits up to ``wait`` seconds for another run, then
    :class:`OutputBusy`. ``shown`` names the folder in messages."""
    path = lock_path(target)
    deadline = time.monotonic() + wait
    while True:
        try:
            fd = os.open(path, os.O_RDWR | os.O_CREAT | getattr(os, "O_CLOEXEC", 0), 0o644)
        except OSError as exc:
            raise WriteError(f"cannot lock {shown}/: cannot create {path}: {exc.strerror or exc}") from None
        try:
            if fcntl is not None:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError as exc:
            os.close(fd)
            if exc.errno not in (errno.EWOULDBLOCK, errno.EAGAIN, errno.EACCES):
                raise WriteError(f"cannot lock {shown}/: {exc.strerror or exc}") from None
            if time.monotonic() >= deadline:
                waited = f"; waited {wait:.0f} s" if wait >= 1 else ""
                raise OutputBusy(
                    f"another generate run{_holder(path)} is writing {shown}/{waited}; run again when it ends"
                ) from None
            time.sleep(0.02)
            continue
        try:
            same = os.path.samestat(os.stat(path), os.fstat(fd))
        except OSError:
            same = False
        if same:
            break
        os.close(fd)  # the holder before us removed that file: lock the new one
    try:
        os.ftruncate(fd, 0)
        os.write(fd, str(os.getpid()).encode())
    except OSError:
        pass  # the pid only makes the message of a waiting run better
    try:
        yield
    finally:
        with contextlib.suppress(OSError):
            os.unlink(path)  # before the unlock: a run that locked this file sees it gone and retries
        os.close(fd)


@contextlib.contextmanager
def try_lock(target: Path) -> Iterator[bool]:
    """Hold the lock if it can be had now (True), else do nothing (False)."""
    with contextlib.ExitStack() as stack:
        try:
            stack.enter_context(output_lock(target, target.name, wait=0))
        except WriteError:
            held = False
        else:
            held = True
        yield held
