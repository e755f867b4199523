"""The sides of a diff: spec files, and specs at a git revision."""

from __future__ import annotations

import posixpath
import subprocess
from dataclasses import dataclass
from pathlib import Path

from ..errors import Position, SpecError, SpecProblem
from ..pipeline import build_model
from ..spec.changelog import check_changelog
from ..spec.loader import Document, Files, load_text
from ..spec.reading import decode
from ..spec.validate import validate
from . import Side


class DiffError(Exception):
    """A side of a diff cannot be read (a git revision that does not exist, no git repository...)."""


class NoCommits(DiffError):
    """The repository has no commits yet (its first is being made): no revision exists, no spec has an
    earlier version to compare with."""

    def __init__(self, rev: str) -> None:
        super().__init__(f'nothing to compare against: the repository has no commits yet, so no "{rev}" (every spec is new)')


@dataclass(frozen=True)
class SpecText:
    """The text of one side's spec, its name in messages, where it was read from (its includes are
    relative to it) and how the files it includes are read (None: from the file system)."""

    text: str
    label: str
    location: str
    files: Files | None = None


#: How many symbolic links a path at a git revision may go through (more: a loop, most likely).
MAX_LINKS = 40

#: The mode git gives a symbolic link in a tree.
LINK_MODE = "120000"


class GitFiles(Files):
    """The files that a spec at a git revision includes, read from that revision. A symbolic link in
    the revision's tree (to a file or a folder, on any component of a path) is followed there, as the
    file system follows it in a working tree: a file is read, and known, by the path it really has."""

    def __init__(self, root: Path, rev: str) -> None:
        self.root, self.rev = root, rev
        self._entries: dict[str, tuple[str, str, str] | None] = {}
        self._resolved: dict[str, tuple[str, str | None]] = {}

    def place(self, parent: Document, path: str) -> tuple[str, str]:
        location = posixpath.normpath(posixpath.join(posixpath.dirname(parent.location), path))
        return location, f"{self.rev}:{location}"

    def read(self, location: str, display: str) -> bytes:
        real, problem = self.resolve(location)
        entry = self.entry(real) if problem is None else None
        if problem is None and (entry is None or entry[1] != "blob"):
            problem = f"no such file in {self.rev}" if entry is None else f"a folder in {self.rev}, not a file"
        if problem is not None:
            raise SpecError([SpecProblem(Position(display, 1, 1), f"cannot read the spec: {problem}")])
        return _git(self.root, "cat-file", "blob", f"{self.rev}:{real}").stdout

    def identity(self, location: str) -> str:
        """The path of the file at ``location`` in the revision's tree, its symbolic links followed."""
        return self.resolve(location)[0]

    def resolve(self, location: str) -> tuple[str, str | None]:
        """The path ``location`` leads to in the revision's tree, each symbolic link on the way followed
        (relative to the folder it is in), and why it leads nowhere (None: it does, or to no file at
        all, which reading tells)."""
        location = posixpath.normpath(location)
        if location not in self._resolved:
            self._resolved[location] = self._follow(location)
        return self._resolved[location]

    def _follow(self, location: str) -> tuple[str, str | None]:
        real: list[str] = []
        todo = location.split("/")
        links = 0
        while todo:
            name = todo.pop(0)
            if name in ("", "."):
                continue
            if name == "..":
                if not real:
                    return location, f"the path leads out of the repository of {self.rev}"
                real.pop()
                continue
            entry = self.entry("/".join([*real, name]))
            if entry is None or entry[0] != LINK_MODE:
                real.append(name)
                continue
            links += 1
            if links > MAX_LINKS:
                return location, f"more than {MAX_LINKS} symbolic links on its path in {self.rev} (a loop of links?)"
            target = _git(self.root, "cat-file", "blob", entry[2]).stdout.decode("utf-8", "surrogateescape")
            if target.startswith("/"):
                link = "/".join([*real, name])
                return location, f'{self.rev}:{link} is a symbolic link to "{target}", outside the repository'
            todo = target.split("/") + todo
        return "/".join(real), None

    def entry(self, path: str) -> tuple[str, str, str] | None:
        """The mode, type and object of ``path`` in the revision's tree (None: no such entry)."""
        if path not in self._entries:
            listed = _git(self.root, "--literal-pathspecs", "ls-tree", "-z", "--full-tree", self.rev, "--", path).stdout
            entry = None
            for line in listed.decode("utf-8", "surrogateescape").split("\0"):
                info, _, name = line.partition("\t")
                if name == path:
                    mode, kind, obj = info.split()
                    entry = (mode, kind, obj)
            self._entries[path] = entry
        return self._entries[path]


def build_side(text: str, label: str, location: str | None = None, files: Files | None = None) -> Side:
    """Load, validate and resolve a spec's text and the files it includes, relative to ``location`` (by
    default ``label``; raises SpecError with ``label:line:col`` positions)."""
    doc = load_text(text, label, location=location, files=files)
    validate(doc)
    try:
        package = build_model(doc)
    except SpecError as exc:
        # the changelog's own mistakes too, though the resolution stopped before it
        raise SpecError([*exc.problems, *check_changelog(doc)]) from None
    return Side(label, package, package.changelog)


def read_text(path: Path, label: str) -> str:
    """The text of a spec file (SpecError at ``label:1:1`` when it cannot be read)."""
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise SpecError([SpecProblem(Position(label, 1, 1), f"cannot read the spec: {exc}")]) from None
    return decode(data, label)


def read_file_side(path: Path, label: str | None = None) -> Side:
    """A side read from a spec file (and the files it includes)."""
    name = label or path.as_posix()
    return build_side(read_text(path, name), name, str(path))


def _git(folder: Path, *args: str) -> subprocess.CompletedProcess[bytes]:
    try:
        return subprocess.run(["git", "-C", str(folder), *args], capture_output=True, check=False)
    except OSError as exc:
        raise DiffError(f"cannot run git: {exc}") from None


#: How many branches the message about a missing one lists.
SHOWN_BRANCHES = 6


def _unknown_revision(root: Path, rev: str) -> DiffError:
    """Why ``rev`` does not resolve: the repository has no commits yet (:class:`NoCommits`), no branch
    or tag has that name (the message lists the branches and says how to name another), or git cannot
    resolve it at all."""
    if not _git(root, "rev-list", "--all", "--max-count=1").stdout.strip():
        return NoCommits(rev)
    if _git(root, "check-ref-format", "--branch", rev).returncode != 0:
        return DiffError(f'unknown git revision "{rev}" (in {root}): git cannot resolve it to a commit')
    listed = _git(root, "for-each-ref", "--format=%(refname:short)", "refs/heads", "refs/remotes").stdout.decode()
    branches = [b for b in listed.split() if not b.endswith("/HEAD")]
    shown = ", ".join(branches[:SHOWN_BRANCHES]) + (", ..." if len(branches) > SHOWN_BRANCHES else "")
    return DiffError(
        f'unknown git revision "{rev}": no branch or tag of that name in {root} (its branches: {shown}); '
        "name the one to compare with: --against BRANCH (for the generator-diff pre-commit hook, "
        "args: [--against, BRANCH] in .pre-commit-config.yaml)"
    )


def git_text(rev: str, path: Path) -> SpecText | None:
    """The text of the spec ``path`` (relative to the current folder) at git revision ``rev``, its label,
    and how the files it includes are read from that revision.

    None when the revision exists but has no such file (a spec new since ``rev``). Raises
    :class:`NoCommits` when the repository has no commits yet, DiffError when ``rev`` does not resolve.
    """
    folder = path.resolve().parent
    while not folder.is_dir():
        folder = folder.parent
    top = _git(folder, "rev-parse", "--show-toplevel")
    if top.returncode != 0:
        raise DiffError(f"{path}: not in a git repository, so it has no revision {rev!r}")
    root = Path(top.stdout.decode().strip()).resolve()
    try:
        rel = path.resolve().relative_to(root).as_posix()
    except ValueError:
        raise DiffError(f"{path}: outside the git repository {root}") from None
    if _git(root, "rev-parse", "--verify", "--quiet", f"{rev}^{{commit}}").returncode != 0:
        raise _unknown_revision(root, rev)
    files, label = GitFiles(root, rev), f"{rev}:{rel}"
    real, problem = files.resolve(rel)
    if problem is None and files.entry(real) is None:
        return None
    return SpecText(decode(files.read(rel, label), label), label, rel, files)


def parse_side_argument(arg: str) -> tuple[str | None, Path]:
    """``spec.yaml`` → (None, path); ``REV:spec.yaml`` (when no such file exists) → (REV, path)."""
    if Path(arg).exists() or ":" not in arg:
        return None, Path(arg)
    rev, _, path = arg.partition(":")
    return rev, Path(path)
