"""The writer's work on folders: listing a tree, checking it may be replaced, building the new one.

``build_tree`` makes the new tree of a run: what the old tree keeps is hard-linked (symbolic links
recreated), the generated files are written, and every folder and replaced file keeps the
permission bits it had (a new output folder gets the usual ones, not a temporary folder's 0700).
"""

from __future__ import annotations

import os
import re
import shutil
import stat
from collections.abc import Callable
from functools import cache
from pathlib import Path, PurePosixPath

from .staging import WriteError


def entries(root: Path) -> list[tuple[str, Path]]:
    """Everything under ``root`` that is not a folder (files, symbolic links, FIFOs...), as
    (path relative to ``root``, path), sorted; symbolic links are not followed."""
    if not root.is_dir():
        return []
    found: list[tuple[str, Path]] = []
    for dirpath, dirnames, filenames in os.walk(root):
        here = Path(dirpath)
        for name in (*dirnames, *filenames):
            path = here / name
            if name in dirnames and not path.is_symlink():
                continue
            found.append((path.relative_to(root).as_posix(), path))
    return sorted(found)


def read_regular(path: Path) -> str | None:
    """The UTF-8 text of a regular file, else None (never blocks on a FIFO)."""
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0))
    except OSError:
        return None
    try:
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            return None
        with os.fdopen(os.dup(fd), "rb") as handle:
            data = handle.read()
        return data.decode("utf-8")
    except (OSError, UnicodeDecodeError):
        return None
    finally:
        os.close(fd)


@cache
def _umask() -> int:
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


def build_tree(old: Path | None, new: Path, wanted: dict[str, str], replaced: Callable[[PurePosixPath], bool]) -> None:
    """Make ``new``: what ``old`` holds but ``replaced`` (a path relative to ``old``) says this run
    replaces, then the ``wanted`` files (path relative to ``new`` → text)."""
    new.mkdir()
    dir_modes: dict[str, int] = {".": 0o777 & ~_umask()}
    file_modes: dict[str, int] = {}
    if old is not None:
        for dirpath, dirnames, filenames in os.walk(old):
            here = Path(dirpath)
            dir_modes[here.relative_to(old).as_posix()] = stat.S_IMODE(os.lstat(here).st_mode)
            for name in (*dirnames, *filenames):
                path = here / name
                rel = PurePosixPath(path.relative_to(old).as_posix())
                info = os.lstat(path)
                if stat.S_ISDIR(info.st_mode):
                    if not replaced(rel):
                        (new / rel).mkdir(parents=True, exist_ok=True)
                    continue
                if replaced(rel):
                    if stat.S_ISREG(info.st_mode):
                        file_modes[rel.as_posix()] = stat.S_IMODE(info.st_mode)
                    continue
                _carry(path, new / rel, info)
    for name, text in wanted.items():
        target = new / name
        target.parent.mkdir(parents=True, exist_ok=True)
        with open(target, "w", encoding="utf-8", newline="\n") as handle:
            handle.write(text)
        if name in file_modes:
            os.chmod(target, file_modes[name])
    for dirpath, _, _ in sorted(os.walk(new), reverse=True):  # the deepest first: a read-only parent last
        folder = Path(dirpath).relative_to(new).as_posix()
        if folder in dir_modes:
            os.chmod(dirpath, dir_modes[folder])


def _carry(path: Path, target: Path, info: os.stat_result) -> None:
    """Put into the new tree an entry of the old one that this run keeps."""
    target.parent.mkdir(parents=True, exist_ok=True)
    if stat.S_ISLNK(info.st_mode):
        os.symlink(os.readlink(path), target)
        return
    try:
        os.link(path, target)  # the old tree is removed after the swap: the file lives on here
    except OSError:
        if not stat.S_ISREG(info.st_mode):
            raise
        shutil.copy2(path, target)  # a file system without hard links


def check_folder(target: Path, shown: str, owned: list[str], wanted: dict[str, str]) -> None:
    """Refuse what the writer must not replace: a read-only output folder or generated folder,
    a mount point inside the output folder, a generated folder that is a symbolic link, and file
    names longer than the file system allows."""
    _check_names(target, shown, wanted)
    if not target.exists():
        return
    if _read_only(target):
        raise WriteError(f"{shown}/ is read-only; refusing to replace it (make it writable, then run again)")
    mounts = mount_points()
    device = os.stat(target).st_dev
    for dirpath, _, _ in os.walk(target):
        here = Path(dirpath)
        if here != target and (os.lstat(here).st_dev != device or os.path.realpath(here) in mounts):
            raise WriteError(f"{shown}/{here.relative_to(target).as_posix()} is a mount point; refusing to move it")
    for top in owned:
        folder = target / top
        if folder.is_symlink():
            raise WriteError(f"{shown}/{top} is a symbolic link; refusing to replace it (generate into where it points)")
        for dirpath, _, _ in os.walk(folder):
            if _read_only(Path(dirpath)):
                rel = Path(dirpath).relative_to(target).as_posix()
                raise WriteError(f"{shown}/{rel} is read-only; refusing to replace it (make it writable, then run again)")


def _read_only(path: Path) -> bool:
    return not os.lstat(path).st_mode & stat.S_IWUSR or not os.access(path, os.W_OK)


def _check_names(target: Path, shown: str, wanted: dict[str, str]) -> None:
    probe = target
    while not probe.exists() and probe != probe.parent:
        probe = probe.parent
    try:
        limit = os.pathconf(probe, "PC_NAME_MAX")
    except (OSError, ValueError):
        limit = 255
    for rel in wanted:
        for part in rel.split("/"):
            size = len(os.fsencode(part))
            if size > limit:
                where = rel.replace(part, f"{part[:24]}...{part[-12:]}")
                raise WriteError(
                    f"cannot write {shown}/{where}: its name is {size} bytes long, more than the file system "
                    f"allows ({limit}); shorten the name in the spec"
                )


def mount_points() -> frozenset[str]:
    """Every mount point of this process (Linux ``/proc/self/mountinfo``; empty elsewhere): bind
    mounts on one file system share its device number, so only this tells them."""
    try:
        with open("/proc/self/mountinfo", encoding="utf-8", errors="surrogateescape") as handle:
            lines = handle.read().splitlines()
    except OSError:
        return frozenset()
    found = set()
    for line in lines:
        fields = line.split(" ")
        if len(fields) > 4:
            found.add(_OCTAL.sub(lambda m: chr(int(m.group(1), 8)), fields[4]))
    return frozenset(found)


_OCTAL = re.compile(r"\\([0-7]{3})")


def is_mount_point(path: Path) -> bool:
    """True when ``path`` is a mount point (a bind mount too, where the system tells them)."""
    return os.path.ismount(path) or os.path.realpath(path) in mount_points()
