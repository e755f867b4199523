"""The generator under faults: each is a one-line message and exit 2 (no traceback), and the output
folder is left as it was; or, where the fault can be worked around, the right tree.

- what is given as a spec: a missing path, a folder, an unreadable file, a FIFO, ``/dev/zero``, a
  file over 50 MB;
- the output folder: a symbolic link (written through), a mount point (updated folder by folder; a
  real one in a user namespace when the machine allows it), read-only, its permission bits, a mount
  point or a symbolic link inside it, a full disk (simulated, and a real small tmpfs), a file name
  longer than the file system allows;
- names that end in a newline (``$`` is the end of the text in the IDL schema's patterns).

The caches under faults are in ``test_faults_cache.py``.
"""

from __future__ import annotations

import errno
import inspect
import json
import os
import shutil
import stat
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from conftest import LIBRARY_SPEC, ROOT, run_cli
from faultkit import SHELF, SPEC_ARG, cli, fresh, leftovers, make_trees, one_line_error, snapshot

import generator.pipeline
import generator.write as write
import generator.writetree as writetree
from generator.errors import SpecError
from generator.spec.loader import load_file
from generator.spec.source import read_spec
from generator.spec.validate import matches


@pytest.fixture(scope="module")
def trees(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """A work folder with the library spec, and the output trees before (``old``) and after (``new``) a run."""
    return make_trees(tmp_path_factory.mktemp("faults"))


# -- what is given as a spec -------------------------------------------------------------------------------------


def _is_root() -> bool:
    return hasattr(os, "geteuid") and os.geteuid() == 0


def _fifo(tmp: Path) -> str:
    os.mkfifo(tmp / "pipe.yaml")
    return str(tmp / "pipe.yaml")


def _huge(tmp: Path) -> str:
    path = tmp / "huge.yaml"
    path.touch()
    os.truncate(path, 50 * 1024 * 1024 + 1)  # sparse: nothing is written
    return str(path)


#: What is given as a spec: how to make it in a folder, and what the message says of it.
SPEC_SOURCES: dict[str, tuple[Callable[[Path], str], str]] = {
    "missing": (lambda tmp: str(tmp / "nowhere.yaml"), "No such file or directory"),
    "folder": (str, "it is a folder, not a regular file"),
    "fifo": (_fifo, "it is a FIFO (named pipe), not a regular file"),
    "dev-zero": (lambda tmp: "/dev/zero", "it is a character device, not a regular file"),
    "huge": (_huge, "it is larger than 50 MB"),
}


@pytest.mark.parametrize("kind", sorted(SPEC_SOURCES))
def test_a_spec_that_is_not_a_readable_file_is_a_one_line_error(kind: str, tmp_path: Path) -> None:
    make, why = SPEC_SOURCES[kind]
    path = make(tmp_path)
    # in a process of its own, with a time limit: reading a FIFO or /dev/zero must not hang
    script = "import sys\nfrom generator.spec.loader import load_file\ntry:\n    load_file(sys.argv[1], 'spec/x.yaml')\nexcept Exception as exc:\n    print(type(exc).__name__, exc)\n"
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    done = subprocess.run([sys.executable, "-c", script, path], capture_output=True, text=True, timeout=60, env=env)
    assert done.stdout == f"SpecError spec/x.yaml:1:1: cannot read the spec: {why}\n", done.stderr


def test_an_unreadable_spec_is_a_one_line_error(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    spec = tmp_path / "locked.yaml"
    shutil.copy(LIBRARY_SPEC, spec)
    spec.chmod(0)
    if _is_root():  # root reads it anyway: make the system say no
        real_open = os.open

        def refuse(path: Any, *args: Any, **kwargs: Any) -> int:
            if os.fspath(path) == str(spec):
                raise PermissionError(errno.EACCES, "Permission denied", str(spec))
            return real_open(path, *args, **kwargs)

        monkeypatch.setattr(os, "open", refuse)
    with pytest.raises(SpecError) as caught:
        load_file(str(spec), "spec/locked.yaml")
    assert str(caught.value) == "spec/locked.yaml:1:1: cannot read the spec: Permission denied"


def test_a_spec_read_stops_at_its_limit(tmp_path: Path) -> None:
    spec = tmp_path / "big.yaml"
    spec.write_bytes(b"#" * 101)
    assert read_spec(spec, limit=101) == b"#" * 101
    with pytest.raises(SpecError, match="cannot read the spec: it is larger than 100 bytes"):
        read_spec(spec, limit=100)


def _pipeline_reads_specs_safely() -> bool:
    return "read_spec" in inspect.getsource(generator.pipeline)


@pytest.mark.skipif(not _pipeline_reads_specs_safely(), reason="generator/pipeline.py does not read specs with read_spec yet")
@pytest.mark.parametrize("kind", sorted(SPEC_SOURCES))
def test_generate_on_a_spec_that_is_not_a_readable_file_says_so_and_writes_nothing(
    trees: dict[str, Path], kind: str, tmp_path: Path
) -> None:
    make, why = SPEC_SOURCES[kind]
    path = make(tmp_path)
    out = fresh(trees, "out-spec-source")
    done = run_cli("generate", "--out", str(out), path, cwd=trees["base"])
    assert done.returncode == 2 and "Traceback" not in done.stderr
    assert done.stderr.splitlines()[0].endswith(f"cannot read the spec: {why}"), done.stderr
    assert snapshot(out) == snapshot(trees["old"])


# -- the output folder ----------------------------------------------------------------------------------------------


def test_an_output_folder_that_is_a_symbolic_link_is_written_through(trees: dict[str, Path]) -> None:
    real = fresh(trees, "out-real")
    link = trees["base"] / "out-link"
    link.unlink(missing_ok=True)
    link.symlink_to(real.name, target_is_directory=True)
    code, _, err = cli(trees["base"], "generate", "--out", str(link), SPEC_ARG)
    assert code == 0, err
    assert link.is_symlink() and os.readlink(link) == real.name
    assert snapshot(real) == snapshot(trees["new"])
    assert leftovers(real) == [] and leftovers(link) == []


def test_an_output_folder_keeps_its_permission_bits(trees: dict[str, Path]) -> None:
    out = fresh(trees, "out-modes")
    docs = out / "library_entities_docs"
    models = out / "library_entities" / "library_entities" / "models.py"
    out.chmod(0o750)
    docs.chmod(0o700)
    models.chmod(0o640)
    code, _, err = cli(trees["base"], "generate", "--out", str(out), SPEC_ARG)
    assert code == 0, err
    assert snapshot(out) == snapshot(trees["new"])
    assert [stat.S_IMODE(p.stat().st_mode) for p in (out, docs, models)] == [0o750, 0o700, 0o640]
    new = trees["base"] / "out-new-modes"
    shutil.rmtree(new, ignore_errors=True)
    code, _, err = cli(trees["base"], "generate", "--out", str(new), SPEC_ARG)
    mask = os.umask(0o022)
    os.umask(mask)
    assert code == 0 and stat.S_IMODE(new.stat().st_mode) == 0o777 & ~mask, err  # not a temporary folder's 0700


@pytest.mark.parametrize("where", ["", "library_entities_docs", "library_entities_docs/docs/en"])
def test_a_read_only_output_folder_is_refused(trees: dict[str, Path], where: str) -> None:
    out = fresh(trees, "out-read-only")
    folder = out / where if where else out
    folder.chmod(0o555)
    try:
        before = snapshot(out)
        message = one_line_error(*cli(trees["base"], "generate", "--out", str(out), SPEC_ARG)[::2])
        shown = f"{out}/{where}".rstrip("/")
        assert message == f"error: {shown}{'/' if not where else ''} is read-only; refusing to replace it (make it writable, then run again)"
        assert snapshot(out) == before and leftovers(out) == []
        assert stat.S_IMODE(folder.stat().st_mode) == 0o555
    finally:
        folder.chmod(0o755)


def test_a_mount_point_is_updated_folder_by_folder(trees: dict[str, Path], monkeypatch: pytest.MonkeyPatch) -> None:
    out = fresh(trees, "out-mounted")
    (out / "NOTES.md").write_text("hand-written\n")
    inode = out.stat().st_ino
    monkeypatch.setattr(write, "is_mount_point", lambda path: Path(path) == out.resolve())
    code, _, err = cli(trees["base"], "generate", "--out", str(out), SPEC_ARG)
    assert code == 0, err
    after = snapshot(out)
    assert after.pop("NOTES.md") == b"hand-written\n" and after == snapshot(trees["new"])
    assert out.stat().st_ino == inode  # the folder itself stays: only what is inside it is exchanged
    assert leftovers(out) == [] and sorted(p.name for p in out.iterdir() if p.name.startswith(".")) == []


def test_a_folder_that_cannot_be_renamed_is_updated_folder_by_folder(trees: dict[str, Path], monkeypatch: pytest.MonkeyPatch) -> None:
    out = fresh(trees, "out-busy")
    real_exchange = write.exchange

    def busy(new: Path, old: Path) -> None:  # a bind mount: the system says EBUSY when the folder is renamed
        if Path(old) == out.resolve():
            raise OSError(errno.EBUSY, os.strerror(errno.EBUSY), str(old))
        real_exchange(new, old)

    monkeypatch.setattr(write, "exchange", busy)
    code, _, err = cli(trees["base"], "generate", "--out", str(out), SPEC_ARG)
    assert code == 0, err
    assert snapshot(out) == snapshot(trees["new"]) and leftovers(out) == []
    assert cli(trees["base"], "generate", "--out", str(out), SPEC_ARG)[0] == 0  # and again: nothing piles up
    assert leftovers(out) == []


def test_a_mount_point_or_a_linked_folder_inside_the_output_is_refused(trees: dict[str, Path], monkeypatch: pytest.MonkeyPatch) -> None:
    out = fresh(trees, "out-inner")
    (out / "data").mkdir()
    inner = str((out / "data").resolve())
    real = writetree.mount_points
    monkeypatch.setattr(writetree, "mount_points", lambda: real() | {inner})
    before = snapshot(out)
    message = one_line_error(*cli(trees["base"], "generate", "--out", str(out), SPEC_ARG)[::2])
    assert message == f"error: {out}/data is a mount point; refusing to move it"
    assert snapshot(out) == before
    monkeypatch.setattr(writetree, "mount_points", real)
    elsewhere = trees["base"] / "elsewhere-docs"
    shutil.rmtree(elsewhere, ignore_errors=True)
    os.replace(out / "library_entities_docs", elsewhere)
    (out / "library_entities_docs").symlink_to(elsewhere, target_is_directory=True)
    before, kept = snapshot(out), snapshot(elsewhere)
    code, _, err = cli(trees["base"], "generate", "--out", str(out), SPEC_ARG)
    assert code == 2 and "library_entities_docs" in err and "Traceback" not in err
    assert snapshot(out) == before and snapshot(elsewhere) == kept


def test_a_full_disk_is_a_one_line_error_and_the_tree_stays(trees: dict[str, Path], monkeypatch: pytest.MonkeyPatch) -> None:
    out = fresh(trees, "out-full")
    written: list[str] = []

    def full_after_five(path: Any, *args: Any, **kwargs: Any) -> Any:
        if len(written) == 5:
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC), str(path))
        written.append(str(path))
        return open(path, *args, **kwargs)

    monkeypatch.setattr(writetree, "open", full_after_five, raising=False)
    message = one_line_error(*cli(trees["base"], "generate", "--out", str(out), SPEC_ARG)[::2])
    assert message.startswith(f"error: cannot write {out}/: no space left on the device ({out}/"), message
    assert message.endswith("; nothing was changed") and ".generating-" not in message
    assert snapshot(out) == snapshot(trees["old"]) and leftovers(out) == []


def test_a_file_name_too_long_is_a_one_line_error(trees: dict[str, Path]) -> None:
    long_name = "S" + "h" * 254  # a page of its own: S...h.md, 258 bytes
    spec = trees["base"] / "spec" / "long.yaml"
    spec.write_text(LIBRARY_SPEC.read_text(encoding="utf-8") + SHELF.replace("Shelf:", f"{long_name}:"), encoding="utf-8")
    out = fresh(trees, "out-long")
    message = one_line_error(*cli(trees["base"], "generate", "--out", str(out), "spec/long.yaml")[::2])
    assert message.startswith(f"error: cannot write {out}/library_entities_docs/docs/en/Shhhh"), message
    assert message.endswith("h.md: its name is 258 bytes long, more than the file system allows (255); shorten the name in the spec")
    assert len(message) < 300 and snapshot(out) == snapshot(trees["old"]) and leftovers(out) == []


# -- real faults, in a user namespace where this machine allows one ------------------------------------------------

INSIDE_A_NAMESPACE = r"""
import hashlib, json, os, shutil, subprocess, sys
from pathlib import Path
from generator.write import is_byproduct
old, new, work, case = Path(sys.argv[1]), Path(sys.argv[2]), Path(sys.argv[3]), sys.argv[4]

def digest(root):
    return {p.relative_to(root).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(root.rglob("*")) if p.is_file() and not is_byproduct(p.relative_to(root))}

def run(out):
    done = subprocess.run([sys.executable, "-m", "generator", "generate", "--out", str(out), "spec/library.yaml"],
                          capture_output=True, text=True)
    return [done.returncode, done.stderr.strip()]

fs = work / "fs"
fs.mkdir()
subprocess.run(["mount", "-t", "tmpfs", "-o", "size=64m", "tmpfs", str(fs)], check=True)
result = {}
if case == "mount":
    out = fs
    shutil.copytree(old, out, dirs_exist_ok=True)
    result["runs"] = [run(out), run(out)]
else:
    out = fs / "out"
    shutil.copytree(old, out)
    used = os.statvfs(fs)
    size = (used.f_blocks - used.f_bfree) * used.f_frsize + 8 * 4096
    subprocess.run(["mount", "-o", f"remount,size={size}", str(fs)], check=True)
    result["runs"] = [run(out)]
    result["after_full"] = digest(out) == digest(old)
    subprocess.run(["mount", "-o", "remount,size=64m", str(fs)], check=True)
    result["runs"].append(run(out))
result["new"] = digest(out) == digest(new)
result["left"] = sorted(p.name for p in [*out.iterdir(), *out.parent.iterdir()] if ".generating-" in p.name or p.name.endswith(".lock"))
print(json.dumps(result))
"""


def _namespaces() -> bool:
    if not shutil.which("unshare") or not shutil.which("mount"):
        return False
    try:
        return subprocess.run(["unshare", "-rm", "true"], capture_output=True, timeout=30).returncode == 0
    except (OSError, subprocess.SubprocessError):
        return False


@pytest.mark.skipif(not _namespaces(), reason="no user namespaces here (unshare -rm)")
@pytest.mark.parametrize("case", ["mount", "full"])
def test_a_real_mount_point_and_a_real_full_disk(trees: dict[str, Path], case: str, tmp_path: Path) -> None:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    command = ["unshare", "-rm", sys.executable, "-c", INSIDE_A_NAMESPACE, str(trees["old"]), str(trees["new"]), str(tmp_path), case]
    done = subprocess.run(command, cwd=trees["base"], env=env, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    result = json.loads(done.stdout)
    if case == "mount":
        assert result["runs"] == [[0, ""], [0, ""]]
    else:
        (code, message), second = result["runs"]
        assert code == 2 and len(message.splitlines()) == 1 and "no space left on the device" in message, message
        assert message.endswith("; nothing was changed") and result["after_full"]
        assert second == [0, ""]
    assert result["new"] and result["left"] == []


# -- names -----------------------------------------------------------------------------------------------------------


def test_patterns_match_as_json_schema_says_dollar_is_the_end_of_the_text() -> None:
    assert matches("^[a-z]+$", "abc") and not matches("^[a-z]+$", "abc\n") and not matches("^[a-z]+$", "abc\ndef")
    assert matches("^a[$]$", "a$") and matches(r"^a\$$", "a$") and not matches(r"^a\$$", "a$\n")
    assert matches("b", "abc")  # a pattern is a search, anchored only where it says
