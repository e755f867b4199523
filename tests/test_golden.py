"""generated/ is the golden record: regenerating must reproduce every byte of it."""

from __future__ import annotations

import difflib
import os
import re
import subprocess
import sys
from pathlib import Path

from conftest import GENERATED, ROOT, run_cli

from generator.pipeline import build_package, generate_all, spec_files, write_all
from generator.write import is_byproduct

UPDATE = "python -m generator generate"


def tree(root: Path) -> dict[str, bytes]:
    return {
        p.relative_to(root).as_posix(): p.read_bytes()
        for p in sorted(root.rglob("*"))
        if p.is_file() and not is_byproduct(p.relative_to(root))
    }


def test_regenerating_reproduces_generated_byte_for_byte(tmp_path: Path) -> None:
    write_all(tmp_path, generate_all(spec_files(ROOT / "spec"), ROOT, use_cache=False))
    expected, actual = tree(GENERATED), tree(tmp_path)
    problems = []
    for rel in sorted(set(expected) | set(actual)):
        if expected.get(rel) != actual.get(rel):
            diff = difflib.unified_diff(
                expected.get(rel, b"").decode().splitlines(keepends=True),
                actual.get(rel, b"").decode().splitlines(keepends=True),
                f"generated/{rel}",
                f"regenerated/{rel}",
            )
            problems.append("".join(list(diff)[:60]))
    assert not problems, "generated/ is out of date; update it with: " + UPDATE + "\n" + "\n".join(problems)


def test_check_command_reports_in_sync() -> None:
    result = run_cli("check")
    assert result.returncode == 0, result.stdout + result.stderr


def test_every_generated_file_has_the_static_header() -> None:
    """Each file names the spec it comes from: the spec of the package its folder belongs to."""
    specs = {build_package(spec).name: spec.relative_to(ROOT).as_posix() for spec in spec_files(ROOT / "spec")}
    assert sorted(specs) == ["aml_entities", "github_workflow"]
    for rel, data in tree(GENERATED).items():
        head = data[:400].decode("utf-8", "replace")
        package = re.sub(r"_(docs|schema|pydantic)$", "", rel.split("/")[0])
        assert "@generated" in head, rel
        assert specs[package] in head, rel


def test_output_is_the_same_under_different_hash_seeds(tmp_path: Path) -> None:
    outs = []
    for seed in ("0", "1"):
        out = tmp_path / f"seed{seed}"
        env = {**os.environ, "PYTHONHASHSEED": seed, "GENERATOR_CACHE": str(tmp_path / f"cache{seed}"), "PYTHONPATH": str(ROOT)}
        subprocess.run(
            [sys.executable, "-m", "generator", "generate", "--out", str(out), *map(str, spec_files(ROOT / "spec"))],
            cwd=ROOT,
            env=env,
            check=True,
            capture_output=True,
        )
        outs.append(tree(out))
    assert outs[0] == outs[1]
    assert outs[0] == tree(GENERATED)
