"""The caches under faults: an entry edited, an entry copied over another's, a black-cache entry that is
valid text but wrong, a cache folder of another shape (files where folders are expected, folders where files
are, garbage, JSON of another shape, FIFOs). Each costs only time: the run regenerates and writes the right
tree, ``check`` compares with what the spec really generates, and a good entry replaces the bad one.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest
from conftest import run_cli
from faultkit import SPEC_ARG, cli, fresh, make_trees, snapshot


@pytest.fixture(scope="module")
def trees(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """A work folder with the library spec, and the output trees before (``old``) and after (``new``) a run."""
    return make_trees(tmp_path_factory.mktemp("cache_faults"))


@pytest.fixture
def cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path / "cache"
    monkeypatch.setenv("GENERATOR_CACHE", str(folder))
    return folder


def output_entries(cache: Path) -> list[Path]:
    return sorted((cache / "outputs").glob("*.json"))


def black_entries(cache: Path) -> list[Path]:
    return sorted(p for p in cache.glob("black-*/*/*") if p.is_file())


def generates_the_new_tree(trees: dict[str, Path], name: str) -> None:
    out = fresh(trees, name)
    code, _, err = cli(trees["base"], "generate", "--out", str(out), SPEC_ARG)
    assert code == 0 and "Traceback" not in err, err
    assert snapshot(out) == snapshot(trees["new"])
    code, _, err = cli(trees["base"], "check", "--out", str(out), SPEC_ARG)
    assert code == 0, err
    code, _, err = cli(trees["base"], "check", "--out", str(trees["old"]), SPEC_ARG)
    assert code == 1, err  # check compares with what the spec really generates


def test_an_edited_output_cache_entry_is_regenerated(trees: dict[str, Path], cache: Path) -> None:
    generates_the_new_tree(trees, "out-cache-1")
    (entry,) = output_entries(cache)
    data = entry.read_bytes()
    assert b"Lending library entities" in data
    entry.write_bytes(data.replace(b"Lending library entities", b"Lending LIBRARY entities"))
    generates_the_new_tree(trees, "out-cache-2")
    assert b"LIBRARY" not in entry.read_bytes()  # a good entry replaced the bad one


def test_an_output_cache_entry_copied_over_another_is_regenerated(trees: dict[str, Path], cache: Path) -> None:
    code, _, err = cli(trees["base"], "generate", "--out", str(trees["base"] / "out-cache-old"), "spec/old/library.yaml")
    assert code == 0, err
    (old_entry,) = output_entries(cache)
    generates_the_new_tree(trees, "out-cache-3")
    (new_entry,) = [p for p in output_entries(cache) if p != old_entry]
    shutil.copy(old_entry, new_entry)  # the old spec's whole output under the new spec's name
    generates_the_new_tree(trees, "out-cache-4")


def test_a_black_cache_entry_that_is_valid_text_but_wrong_is_regenerated(trees: dict[str, Path], cache: Path) -> None:
    generates_the_new_tree(trees, "out-black-1")
    entries = black_entries(cache)
    assert entries  # the pydantic models go through black
    for entry in entries:
        entry.write_bytes(entry.read_bytes() + b"\nwrong = True\n")
    for entry in output_entries(cache):
        entry.unlink()  # so that black's cache is asked
    generates_the_new_tree(trees, "out-black-2")
    assert all(b"wrong = True" not in entry.read_bytes() for entry in black_entries(cache))


def _entries_replaced(make: Callable[[Path], object]) -> Callable[[Path], None]:
    """A change of cache shape: every entry removed and ``make`` called on its path."""

    def shape(cache: Path) -> None:
        for entry in [*output_entries(cache), *black_entries(cache)]:
            entry.unlink()
            make(entry)

    return shape


def _cache_is_a_file(cache: Path) -> None:
    shutil.rmtree(cache)
    cache.write_text("not a folder\n")


def _folders_are_files(cache: Path) -> None:
    for folder in [cache / "outputs", *cache.glob("black-*/*")]:
        shutil.rmtree(folder)
        folder.write_text("not a folder\n")


CACHE_SHAPES: dict[str, Callable[[Path], None]] = {
    "cache is a file": _cache_is_a_file,
    "folders are files": _folders_are_files,
    "entries are folders": _entries_replaced(lambda entry: entry.mkdir()),
    "entries are garbage": _entries_replaced(lambda entry: entry.write_bytes(b"\xff\xfe garbage {[")),
    "entries are json of another shape": _entries_replaced(lambda entry: entry.write_text('{"path": 1}\n')),
    "entries are lists of another shape": _entries_replaced(lambda entry: entry.write_text("[1, [2], {}]\n")),
    "entries are empty": _entries_replaced(lambda entry: entry.write_bytes(b"")),
}


@pytest.mark.parametrize("shape", sorted(CACHE_SHAPES))
def test_a_cache_of_another_shape_costs_only_time(trees: dict[str, Path], cache: Path, shape: str) -> None:
    generates_the_new_tree(trees, "out-shape-1")
    assert output_entries(cache) and black_entries(cache)
    CACHE_SHAPES[shape](cache)
    generates_the_new_tree(trees, "out-shape-2")
    generates_the_new_tree(trees, "out-shape-3")


def test_cache_entries_that_are_fifos_do_not_hang_a_run(trees: dict[str, Path], cache: Path) -> None:
    generates_the_new_tree(trees, "out-fifo-1")
    _entries_replaced(lambda entry: os.mkfifo(entry))(cache)
    out = fresh(trees, "out-fifo-2")
    done = run_cli("generate", "--out", str(out), SPEC_ARG, cwd=trees["base"], env={**os.environ, "GENERATOR_CACHE": str(cache)})
    assert done.returncode == 0 and "Traceback" not in done.stderr, done.stderr
    assert snapshot(out) == snapshot(trees["new"])
