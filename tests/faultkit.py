"""What the tests of faults and of never destroying work share: the library spec's trees before and after
a run, snapshots of a tree, the leftovers of a run, and the command line run in this process."""

from __future__ import annotations

import contextlib
import io
import os
import shutil
from pathlib import Path

from conftest import LIBRARY_SPEC

from generator.cli import main

#: What a run leaves inside the output folder while it works (and older writers left there).
LEFTOVER_PREFIXES = (".generating-", ".replaced-")
SPEC_ARG = "spec/library.yaml"

SHELF = """  Shelf:
    description: {en: A shelf of the library., es: Un estante de la biblioteca.}
    fields:
      label: {type: str, description: {en: Its label., es: Su etiqueta.}}
"""

Snapshot = dict[str, bytes]


def old_spec_text() -> str:
    """The library spec with one class more (Shelf) and another description: the tree before the run."""
    text = LIBRARY_SPEC.read_text(encoding="utf-8")
    assert "The lending of one item to one member." in text
    return text.replace("The lending of one item to one member.", "An older description of a loan.") + SHELF


def snapshot(root: Path) -> Snapshot:
    """Every file under ``root`` but a killed run's staging folders, with its bytes (symlinks as their target)."""
    found: Snapshot = {}
    for path in sorted(root.rglob("*")):
        rel = path.relative_to(root)
        if rel.parts[0].startswith(LEFTOVER_PREFIXES):
            continue
        if path.is_symlink():
            found[rel.as_posix()] = b"-> " + os.fsencode(os.readlink(path))
        elif path.is_file():
            found[rel.as_posix()] = path.read_bytes()
    return found


def leftovers(out: Path) -> list[str]:
    """Staging folders of a run: beside ``out`` (``.<out>.generating-*``), or inside it."""
    inside = [p.name for p in out.iterdir() if p.name.startswith(LEFTOVER_PREFIXES)] if out.exists() else []
    beside = [p.name for p in out.parent.iterdir() if p.name.startswith(f".{out.name}.generating-")]
    return sorted(inside + beside)


def cli(cwd: Path, *args: str) -> tuple[int, str, str]:
    """Run the command line in this process (an exception fails the test): exit code, stdout, stderr."""
    here = Path.cwd()
    out, err = io.StringIO(), io.StringIO()
    os.chdir(cwd)
    try:
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            code = main(list(args))
    finally:
        os.chdir(here)
    return code, out.getvalue(), err.getvalue()


def make_trees(base: Path) -> dict[str, Path]:
    """In ``base``: the library spec (``spec/library.yaml``, and the old one in ``spec/old/``), and the
    output trees before (``old``) and after (``new``) a run."""
    (base / "spec" / "old").mkdir(parents=True)
    (base / "spec" / "old" / "library.yaml").write_text(old_spec_text(), encoding="utf-8")
    shutil.copy(LIBRARY_SPEC, base / "spec" / "library.yaml")
    for name, spec in (("old", "spec/old/library.yaml"), ("new", SPEC_ARG)):
        code, _, err = cli(base, "generate", "--out", str(base / name), spec)
        assert code == 0, err
    return {"base": base, "old": base / "old", "new": base / "new"}


def fresh(trees: dict[str, Path], name: str, tree: str = "old") -> Path:
    """A copy of one of the trees, as the output folder ``name`` in the work folder."""
    out = trees["base"] / name
    shutil.rmtree(out, ignore_errors=True)
    shutil.copytree(trees[tree], out, symlinks=True)
    return out


def one_line_error(code: int, err: str) -> str:
    """The message of a run that failed: exit 2, one line, no traceback."""
    assert code == 2, err
    assert "Traceback" not in err
    lines = err.strip().splitlines()
    assert len(lines) == 1, err
    return lines[0]
