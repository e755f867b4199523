"""Never destroy work: a run killed at any moment, stale files, hand-written files, names that try to lead
outside the output folder.

The kill test starts ``python -m generator generate --no-cache`` on an output folder that holds the "old"
tree (the library spec with one class more and another description) and SIGKILLs it, half of the time at a
moment spread over the whole run and half of the time just after its staging folder appears (the writing
phase). After each kill every generated folder must be, byte for byte, the old one or the new one, and the
next normal run must give the complete new tree with no leftovers.

Only a file that starts with the exact generated header is generated (the marker text alone is not
enough); two runs on one output folder exclude each other (a lock), and a run removes only the staging
folders of runs that are gone.
"""

from __future__ import annotations

import itertools
import json
import os
import random
import re
import shutil
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
from conftest import LIBRARY_SPEC, ROOT
from faultkit import Snapshot, leftovers, old_spec_text, snapshot

from generator import write
from generator.cli import main
from generator.headers import has_generated_header, is_generated
from generator.outputs import FORMER_TOOLS, TOOL, header
from generator.staging import NEW, OLD_SUFFIX, STAGING, OutputBusy, lock_path, output_lock, owner_tag
from generator.write import cleanup_leftovers, write_tree

#: Kills a CI run makes (``python -m bench.kills`` makes hundreds, alone and beside another run).
KILLS = 10
OWNED = ["library_entities", "library_entities_docs", "library_entities_pydantic", "library_entities_schema"]


def under(snap: Snapshot, top: str) -> Snapshot:
    return {k: v for k, v in snap.items() if k.split("/", 1)[0] == top}


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
    for attempt in range(KILLS):
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
    assert seen["killed"] >= KILLS * 3 // 4, seen  # most runs were really killed mid-way
    print(f"kills: {seen}")


KILL_AFTER_FIRST_SWAP = """
import os, signal, sys
import generator.write as write
from generator import write
from generator.cli import main
from generator.headers import has_generated_header, is_generated
from generator.outputs import header
from generator.staging import NEW, OLD_SUFFIX, STAGING, OutputBusy, lock_path, output_lock, owner_tag
from generator.write import cleanup_leftovers, write_tree
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


def test_check_refuses_a_hand_written_file_that_generate_refuses(trees: dict[str, Path], capsys: pytest.CaptureFixture[str]) -> None:
    """An output folder in sync but for a hand-written file beside the generated ones: ``check`` said
    "up to date" (exit 0) where ``generate`` stops (exit 2), so a hook passed what the next run refuses."""
    out = trees["base"] / "out-check-hand"
    shutil.rmtree(out, ignore_errors=True)
    shutil.copytree(trees["new"], out, symlinks=True)
    here = Path.cwd()
    os.chdir(trees["base"])
    try:
        assert main(["check", "--out", str(out), "spec/library.yaml"]) == 0
        capsys.readouterr()
        (out / "library_entities_docs" / "docs" / "en" / "notes.md").write_text("written by hand\n")
        assert main(["check", "--out", str(out), "spec/library.yaml"]) == 2
    finally:
        os.chdir(here)
    captured = capsys.readouterr()
    assert "up to date" not in captured.out
    assert f"{out}/library_entities_docs/docs/en/notes.md: hand-written file in a generated folder" in captured.err


def check_in_process(out: Path, spec: Path, cwd: Path) -> int:
    here = Path.cwd()
    os.chdir(cwd)
    try:
        return main(["check", "--out", str(out), str(spec)])
    finally:
        os.chdir(here)


@pytest.mark.parametrize("by_folder", [False, True], ids=["whole-swap", "folder-by-folder"])
def test_a_hand_written_gitignore_in_a_generated_folder_is_the_users_and_check_agrees(
    trees: dict[str, Path], by_folder: bool, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    out = fresh_old(trees, "out-gitignore")
    if by_folder:  # a mount point: each generated folder is exchanged on its own
        monkeypatch.setattr(write, "is_mount_point", lambda path: Path(path) == out.resolve())
    mine = {
        "library_entities/.gitignore": b"# mine, from before the generator wrote one\n*.egg-info/\n.venv/\n",
        "library_entities_schema/.gitignore": b"*.tmp\n",  # a folder the generator writes none in
    }
    for rel, text in mine.items():
        (out / rel).write_bytes(text)
    assert generate_in_process(out, Path("spec/library.yaml"), trees["base"]) == 0, capsys.readouterr().err
    after = snapshot(out)
    assert {rel: after.pop(rel) for rel in mine} == mine  # left as they were
    assert after == {k: v for k, v in snapshot(trees["new"]).items() if k not in mine}
    assert check_in_process(out, Path("spec/library.yaml"), trees["base"]) == 0  # nothing to update
    assert generate_in_process(out, Path("spec/library.yaml"), trees["base"]) == 0
    assert snapshot(out) == {**after, **mine} and leftovers(out) == []
    capsys.readouterr()
    (out / "library_entities" / ".gitignore").unlink()  # without it, the generated one is missing again
    assert check_in_process(out, Path("spec/library.yaml"), trees["base"]) == 1
    assert "file missing from" in (shown := capsys.readouterr().out) and "\n  library_entities/.gitignore\n" in shown
    assert generate_in_process(out, Path("spec/library.yaml"), trees["base"]) == 0
    assert (out / "library_entities" / ".gitignore").read_bytes() == snapshot(trees["new"])["library_entities/.gitignore"]


def test_symlinks_in_a_generated_folder_never_touch_what_they_point_to(trees: dict[str, Path], tmp_path: Path) -> None:
    outside = tmp_path / "outside"
    outside.mkdir()
    target = outside / "precious.md"
    looks_generated = header("<!--", "spec/library.yaml") + "\nlooks generated, lives outside\n"
    target.write_text(looks_generated)
    folder = outside / "folder"
    folder.mkdir()
    inner = header("<!--", "spec/library.yaml") + "\ninside a linked folder\n"
    (folder / "inner.md").write_text(inner)
    out = fresh_old(trees, "out-links")
    (out / "library_entities_docs" / "docs" / "en" / "link.md").symlink_to(target)
    assert generate_in_process(out, Path("spec/library.yaml"), trees["base"]) == 0
    assert not (out / "library_entities_docs" / "docs" / "en" / "link.md").is_symlink()  # a stale link goes
    assert target.read_text() == looks_generated
    (out / "library_entities_docs" / "docs" / "linked").symlink_to(folder, target_is_directory=True)
    assert generate_in_process(out, Path("spec/library.yaml"), trees["base"]) == 2  # a linked folder: refused
    assert (folder / "inner.md").read_text() == inner


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


# -- only the exact generated header makes a file generated ------------------------------------------------------

#: Hand-written files that carry the marker text somewhere in their first 400 characters: never generated.
MARKER_BUT_HAND_WRITTEN = {
    "notes.md": "# Notes\n\nFiles marked @generated are rewritten by the generator; this one is mine.\n",
    "marked.md": "<!-- @generated -->\nwritten by hand anyway\n",
    "mark-first.md": "@generated (regenerate instead)\n",
    "late.md": "hand-written first line\n" + header("<!--", "spec/library.yaml") + "\n",
    "other-words.md": "<!-- Generated by hand from spec/library.yaml: DO NOT EDIT. @generated (regenerate instead) -->\n",
    "extra.md": header("<!--", "spec/library.yaml") + " and then some words\n",
    "helper.py": '"""Helpers (not @generated: written by hand)."""\n',
    "half.py": header("#", "spec/library.yaml").splitlines()[1] + "\nx = 1\n",
}


@pytest.mark.parametrize("name", sorted(MARKER_BUT_HAND_WRITTEN))
def test_a_file_with_the_marker_but_not_the_header_is_hand_written(
    trees: dict[str, Path], name: str, capsys: pytest.CaptureFixture[str]
) -> None:
    out = fresh_old(trees, "out-marker")
    path = out / "library_entities_docs" / "docs" / "en" / name
    path.write_text(MARKER_BUT_HAND_WRITTEN[name], encoding="utf-8")
    assert not is_generated(path)
    before = snapshot(out)
    assert generate_in_process(out, Path("spec/library.yaml"), trees["base"]) == 2
    err = capsys.readouterr().err
    assert "hand-written" in err and name in err
    assert snapshot(out) == before


def test_the_header_is_recognised_in_each_form_it_is_written_in(trees: dict[str, Path]) -> None:
    files = snapshot(trees["new"])
    forms = {rel.rsplit(".", 1)[-1] for rel in files}
    assert {"py", "md", "css", "json", "toml", "yml", "typed"} <= forms, forms
    for rel in files:
        assert is_generated(trees["new"] / rel), rel
    for comment, tool in itertools.product(("#", "<!--", " *"), (TOOL, *FORMER_TOOLS)):  # as earlier versions wrote it too
        text = header(comment, "some folder/spec.yaml", tool)
        framed = f"/*\n{text}\n */\n" if comment == " *" else text + "\n"
        assert has_generated_header(framed), comment
        assert has_generated_header(framed.rstrip("\n")), comment
        assert not has_generated_header("\n" + framed), comment
        assert not has_generated_header(framed.replace("DO NOT EDIT", "DO EDIT")), comment
    for tool in (TOOL, *FORMER_TOOLS):
        as_comment = " ".join(line.removeprefix("# ") for line in header("#", "spec/x.yaml", tool).splitlines())
        assert has_generated_header('{\n  "$comment": ' + json.dumps(as_comment) + ',\n  "title": "x"\n}\n')
    one_line = " ".join(line.removeprefix("# ") for line in header("#", "spec/x.yaml").splitlines())
    assert not has_generated_header('{\n  "title": "x",\n  "$comment": ' + json.dumps(one_line) + "\n}\n")
    assert not has_generated_header('{\n  "$comment": "@generated",\n  "title": "x"\n}\n')


# -- one run at a time; only provable leftovers are removed -------------------------------------------------------


def test_a_run_waits_for_the_lock_and_a_busy_folder_is_a_clear_error(trees: dict[str, Path]) -> None:
    from generator.pipeline import generate_all, write_all

    out = fresh_old(trees, "out-locked")
    gen = generate_all([trees["new_spec"]], trees["base"])
    files, owned = gen[0].files, gen[0].owned
    with output_lock(out.resolve(), "out-locked"):
        busy = f"another generate run (pid {os.getpid()}) is writing {out}/; run again when it ends"
        with pytest.raises(OutputBusy, match=re.escape(busy)):
            write_tree(out, files, owned, wait=0)
        assert snapshot(out) == snapshot(trees["old"])  # nothing written while another run holds the lock
        done: list[list[str]] = []
        waiting = threading.Thread(target=lambda: done.append(write_tree(out, files, owned, wait=60)))
        waiting.start()
        time.sleep(0.2)
        assert not done and snapshot(out) == snapshot(trees["old"])
    waiting.join(timeout=60)
    assert done and done[0]  # it waited, then wrote
    assert snapshot(out) == snapshot(trees["new"])
    assert leftovers(out) == [] and not lock_path(out.resolve()).exists()
    assert write_all(out, gen) == []


def test_cleanup_removes_only_the_staging_folders_of_runs_that_are_gone(trees: dict[str, Path]) -> None:
    out = fresh_old(trees, "out-owners")
    dead = subprocess.Popen([sys.executable, "-c", "pass"])
    dead.wait()
    host, pid, start = owner_tag().split("-")
    prefix = f".{out.name}{STAGING}"
    folders = {
        "live": f"{prefix}{owner_tag()}.aaaa",  # this process: a run in progress
        "dead": f"{prefix}{host}-{dead.pid}-0.bbbb",  # a process that ended
        "reused": f"{prefix}{host}-{pid}-{int(start) + 1}.cccc",  # this pid, but another process's start time
        "other host": f"{prefix}00000000-{dead.pid}-0.dddd",  # another machine's run: cannot tell
        "unknown": f"{prefix}x1y2z3",  # no owner recorded: not provably a leftover
    }
    for name in folders.values():
        (out.parent / name / NEW).mkdir(parents=True)
        (out.parent / name / NEW / "work.txt").write_text("in progress\n")
    inside = out / f"{STAGING}{host}-{dead.pid}-0.eeee"
    inside.mkdir()
    cleanup_leftovers(out)
    kept = sorted(k for k, name in folders.items() if (out.parent / name).exists())
    assert kept == ["live", "other host", "unknown"]
    assert not inside.exists()
    for key in kept:
        shutil.rmtree(out.parent / folders[key])


def test_a_tree_moved_aside_by_a_killed_run_goes_back(trees: dict[str, Path]) -> None:
    out = fresh_old(trees, "out-aside")
    dead = subprocess.Popen([sys.executable, "-c", "pass"])
    dead.wait()
    host = owner_tag().split("-")[0]
    stage = out.parent / f".{out.name}{STAGING}{host}-{dead.pid}-0.ffff"
    (stage / NEW).mkdir(parents=True)  # a new tree half built
    os.replace(out, stage / f"{NEW}{OLD_SUFFIX}")  # killed between the two renames of the fallback swap
    assert not out.exists()
    cleanup_leftovers(out)
    assert snapshot(out) == snapshot(trees["old"]) and not stage.exists()


def test_runs_at_the_same_time_lose_nothing(trees: dict[str, Path]) -> None:
    base = trees["base"]
    out = base / "out-concurrent"
    notes = b"hand-written notes beside the generated folders\n"
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    command = [sys.executable, "-m", "generator", "generate", "--out", str(out), "spec/library.yaml"]
    assert subprocess.run(command, cwd=base, env=env, capture_output=True, timeout=120).returncode == 0  # warm the cache
    for trial in range(3):
        shutil.rmtree(out, ignore_errors=True)
        shutil.copytree(trees["old"], out, symlinks=True)
        (out / "NOTES.md").write_bytes(notes)
        runs = [subprocess.Popen(command, cwd=base, env=env, stderr=subprocess.PIPE) for _ in range(3)]
        codes = [run.wait(timeout=120) for run in runs]
        errors = [run.stderr.read() if run.stderr else b"" for run in runs]
        assert codes == [0, 0, 0], (trial, errors)
        after = snapshot(out)
        assert after.pop("NOTES.md") == notes, trial
        assert after == snapshot(trees["new"]), trial
        assert leftovers(out) == [] and not lock_path(out).exists(), trial
