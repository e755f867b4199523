"""Never destroy work: a run killed at any moment, stale files, hand-written files, names that try to lead
outside the output folder.

The kill test starts ``python -m generator generate --no-cache`` on an output folder that holds the "old"
tree (the library spec with one class more and another description) and SIGKILLs it, half of the time at a
moment spread over the whole run and half of the time just after its staging folder appears (the writing
phase). After each kill every generated folder must be, byte for byte, the old one or the new one, and the
next normal run must give the complete new tree with no leftovers.
"""

from __future__ import annotations

import os
import random
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from conftest import LIBRARY_SPEC, ROOT

from generator.cli import main

OWNED = ["library_entities", "library_entities_docs", "library_entities_pydantic", "library_entities_schema"]
LEFTOVER_PREFIXES = (".generating-", ".replaced-")

SHELF = """  Shelf:
    description: {en: A shelf of the library., es: Un estante de la biblioteca.}
    fields:
      label: {type: str, description: {en: Its label., es: Su etiqueta.}}
"""


def old_spec_text() -> str:
    """The library spec with one class more (Shelf) and another description: the tree before the run."""
    text = LIBRARY_SPEC.read_text(encoding="utf-8")
    assert "The lending of one item to one member." in text
    return text.replace("The lending of one item to one member.", "An older description of a loan.") + SHELF


Snapshot = dict[str, bytes]


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


def under(snap: Snapshot, top: str) -> Snapshot:
    return {k: v for k, v in snap.items() if k.split("/", 1)[0] == top}


def leftovers(out: Path) -> list[str]:
    """Staging folders of a run: beside ``out`` (``.<out>.generating-*``), or inside it (older writers)."""
    inside = [p.name for p in out.iterdir() if p.name.startswith(LEFTOVER_PREFIXES)] if out.exists() else []
    beside = [p.name for p in out.parent.iterdir() if p.name.startswith(f".{out.name}.generating-")]
    return sorted(inside + beside)


def generate_in_process(out: Path, spec: Path, cwd: Path) -> int:
    here = Path.cwd()
    os.chdir(cwd)
    try:
        return main(["generate", "--out", str(out), str(spec)])
    finally:
        os.chdir(here)


@pytest.fixture(scope="module")
def trees(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """Spec files and reference trees: ``old`` (the output folder before the run) and ``new`` (after it)."""
    base = tmp_path_factory.mktemp("never_destroy")
    specs = base / "spec"
    specs.mkdir()
    old_spec = specs / "old" / "library.yaml"
    old_spec.parent.mkdir()
    old_spec.write_text(old_spec_text(), encoding="utf-8")
    new_spec = specs / "library.yaml"
    shutil.copy(LIBRARY_SPEC, new_spec)
    old, new = base / "old", base / "new"
    assert generate_in_process(old, Path("spec/old/library.yaml"), base) == 0
    assert generate_in_process(new, Path("spec/library.yaml"), base) == 0
    return {"base": base, "old_spec": old_spec, "new_spec": new_spec, "old": old, "new": new}


def start_run(base: Path, out: Path) -> subprocess.Popen[bytes]:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    return subprocess.Popen(
        [sys.executable, "-m", "generator", "generate", "--no-cache", "--out", str(out), "spec/library.yaml"],
        cwd=base, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )


def test_old_and_new_trees_differ_in_every_folder(trees: dict[str, Path]) -> None:
    old, new = snapshot(trees["old"]), snapshot(trees["new"])
    assert sorted({k.split("/", 1)[0] for k in new}) == OWNED
    for top in OWNED:
        assert under(old, top) != under(new, top), top
    removed = sorted(set(old) - set(new))
    assert "library_entities_docs/docs/en/Shelf.md" in removed and "library_entities_docs/docs/es/Shelf.md" in removed


def test_a_run_killed_at_any_moment_leaves_each_folder_old_or_new(trees: dict[str, Path], tmp_path: Path) -> None:
    base = trees["base"]
    old, new = snapshot(trees["old"]), snapshot(trees["new"])
    out = base / "out-killed"
    # how long a whole run takes, to spread the kills over it
    shutil.rmtree(out, ignore_errors=True)
    shutil.copytree(trees["old"], out, symlinks=True)
    began = time.monotonic()
    assert start_run(base, out).wait(timeout=120) == 0
    duration = time.monotonic() - began
    assert snapshot(out) == new
    rng = random.Random(6)
    seen = {"killed": 0, "finished": 0, "old": 0, "new": 0}
    for attempt in range(20):
        shutil.rmtree(out, ignore_errors=True)
        shutil.copytree(trees["old"], out, symlinks=True)
        run = start_run(base, out)
        if attempt % 2 == 0:  # anywhere in the run
            time.sleep(rng.uniform(0.05, duration * 1.05))
        else:  # while it writes: as soon as its staging folder appears, plus up to 30 ms
            deadline = time.monotonic() + duration * 3
            while not leftovers(out) and run.poll() is None and time.monotonic() < deadline:
                time.sleep(0.0005)
            time.sleep(rng.uniform(0, 0.03))
        run.send_signal(signal.SIGKILL)
        code = run.wait(timeout=60)
        seen["finished" if code == 0 else "killed"] += 1
        after = snapshot(out)
        for top in OWNED:
            state = under(after, top)
            assert state in (under(old, top), under(new, top)), f"kill {attempt}: {top} is neither the old nor the new tree"
        assert after in (old, new), f"kill {attempt}: the output is neither the old nor the new tree"
        seen["old" if after == old else "new"] += 1
        # the next normal run finishes the work and removes what the killed one left
        assert generate_in_process(out, Path("spec/library.yaml"), base) == 0
        assert snapshot(out) == new, f"kill {attempt}: the run after it did not give the new tree"
        assert leftovers(out) == [], f"kill {attempt}: leftovers stay"
    assert seen["killed"] >= 15, seen  # most runs were really killed mid-way
    print(f"kills: {seen}")


KILL_AFTER_FIRST_SWAP = """
import os, signal, sys
import generator.write as write
from generator.cli import main
exchange = write.exchange
def exchange_then_die(new, old):
    exchange(new, old)
    os.kill(os.getpid(), signal.SIGKILL)
write.exchange = exchange_then_die
sys.exit(main(["generate", "--out", sys.argv[1], "spec/library.yaml"]))
"""


def test_a_kill_between_two_folder_swaps_leaves_the_whole_tree_old_or_new(trees: dict[str, Path]) -> None:
    base = trees["base"]
    out = base / "out-between"
    shutil.rmtree(out, ignore_errors=True)
    shutil.copytree(trees["old"], out, symlinks=True)
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    run = subprocess.run([sys.executable, "-c", KILL_AFTER_FIRST_SWAP, str(out)], cwd=base, env=env, capture_output=True, timeout=120)
    assert run.returncode == -signal.SIGKILL, run.stderr
    assert snapshot(out) in (snapshot(trees["old"]), snapshot(trees["new"]))


# -- stale files, hand-written files ----------------------------------------------------------------


def fresh_old(trees: dict[str, Path], name: str) -> Path:
    out = trees["base"] / name
    shutil.rmtree(out, ignore_errors=True)
    shutil.copytree(trees["old"], out, symlinks=True)
    return out


def test_files_of_removed_types_go_and_files_the_run_does_not_own_stay(trees: dict[str, Path]) -> None:
    out = fresh_old(trees, "out-stale")
    # generated-looking files outside the folders this spec owns belong to someone else: never touched
    (out / "other_entities").mkdir()
    (out / "other_entities" / "models.py").write_text("# @generated\nother = True\n")
    (out / "README.md").write_text("notes about this folder\n")
    # byproducts (caches, build folders) inside owned folders are carried over, whatever they hold
    (out / "library_entities" / "build").mkdir()
    (out / "library_entities" / "build" / "notes.txt").write_text("hand-written, in a build folder\n")
    (out / "library_entities" / ".mine").write_text("hand-written dotfile\n")
    assert generate_in_process(out, Path("spec/library.yaml"), trees["base"]) == 0
    after = snapshot(out)
    assert "library_entities_docs/docs/en/Shelf.md" not in after and "library_entities_docs/docs/es/Shelf.md" not in after
    assert after["other_entities/models.py"] == b"# @generated\nother = True\n"
    assert after["README.md"] == b"notes about this folder\n"
    assert after["library_entities/build/notes.txt"] == b"hand-written, in a build folder\n"
    assert after["library_entities/.mine"] == b"hand-written dotfile\n"
    kept = {"other_entities/models.py", "README.md", "library_entities/build/notes.txt", "library_entities/.mine"}
    assert {k: v for k, v in after.items() if k not in kept} == snapshot(trees["new"])


@pytest.mark.parametrize(
    "where",
    [
        "library_entities_docs/docs/en/notes.md",  # beside generated pages
        "library_entities_docs/docs/en/Shelf.md",  # a removed type's page, edited by hand (no header any more)
        "library_entities/library_entities/sub/deep.py",  # in a folder the generator never made
        "library_entities_schema/extra.json",
    ],
)
def test_a_hand_written_file_stops_the_run_and_nothing_changes(trees: dict[str, Path], where: str, capsys: pytest.CaptureFixture[str]) -> None:
    out = fresh_old(trees, "out-hand")
    path = out / where
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("written by hand\n")
    before = snapshot(out)
    assert generate_in_process(out, Path("spec/library.yaml"), trees["base"]) == 2
    err = capsys.readouterr().err
    assert "hand-written" in err and path.name in err
    assert snapshot(out) == before
    assert leftovers(out) == []


def test_symlinks_in_a_generated_folder_never_touch_what_they_point_to(trees: dict[str, Path], tmp_path: Path) -> None:
    outside = tmp_path / "outside"
    outside.mkdir()
    target = outside / "precious.md"
    target.write_text("<!-- @generated --> looks generated, lives outside\n")
    folder = outside / "folder"
    folder.mkdir()
    (folder / "inner.md").write_text("<!-- @generated --> inside a linked folder\n")
    out = fresh_old(trees, "out-links")
    (out / "library_entities_docs" / "docs" / "en" / "link.md").symlink_to(target)
    assert generate_in_process(out, Path("spec/library.yaml"), trees["base"]) == 0
    assert not (out / "library_entities_docs" / "docs" / "en" / "link.md").is_symlink()  # a stale link goes
    assert target.read_text() == "<!-- @generated --> looks generated, lives outside\n"
    (out / "library_entities_docs" / "docs" / "linked").symlink_to(folder, target_is_directory=True)
    assert generate_in_process(out, Path("spec/library.yaml"), trees["base"]) == 2  # a linked folder: refused
    assert (folder / "inner.md").read_text() == "<!-- @generated --> inside a linked folder\n"


# -- names that try to lead outside -----------------------------------------------------------------

PATH_TRICKS = [
    ("name: library_entities", "name: ../escaped"),
    ("name: library_entities", "name: /tmp/escaped"),
    ("name: library_entities", "name: a/b"),
    ("name: library_entities", "name: '..'"),
    ("  Loan:\n", "  ../Loan:\n"),
    ("  Loan:\n", "  Loan/../../Escaped:\n"),
    ("  LoanStatus:\n", "  ../../LoanStatus:\n"),
    ("root: Loan", "root: ../Loan"),
    ("load_function: load_loan", "load_function: ../load_loan"),
]


@pytest.mark.parametrize(("old", "new"), PATH_TRICKS, ids=[n for _, n in PATH_TRICKS])
def test_names_with_path_tricks_are_rejected_and_nothing_is_written_anywhere(
    old: str, new: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    work = tmp_path / "work" / "deeper"
    (work / "spec").mkdir(parents=True)
    text = LIBRARY_SPEC.read_text(encoding="utf-8")
    assert old in text
    (work / "spec" / "library.yaml").write_text(text.replace(old, new, 1), encoding="utf-8")
    before = snapshot(tmp_path)
    assert generate_in_process(work / "out", Path("spec/library.yaml"), work) == 2
    err = capsys.readouterr().err
    assert new.split(": ", 1)[-1].strip(":\n' ") in err, err
    assert snapshot(tmp_path) == before
    assert not Path("/tmp/escaped").exists()
