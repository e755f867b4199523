"""The generated package grows linearly with the spec: each field's code is written once, in the class that
declares it, and a class's docstring lists at most a bounded number of its bases' fields. Measured as the
lines of ``models.py`` the templates write for an inheritance chain of N classes of one field each, N and 2N:
linear code doubles, code that restates every inherited field quadruples."""

from __future__ import annotations

from pathlib import Path

from generator.pipeline import build_package
from generator.targets.python import render_package


def chain_spec(depth: int, folder: Path) -> Path:
    """A spec of ``depth`` classes, each deriving from the one before and adding one field and one enum-typed one."""
    lines = [
        "idl: 1",
        "package:",
        "  name: chain",
        '  version: "1.0"',
        "  title: {en: Chain}",
        "  description: {en: A deep chain.}",
        f"  document: {{root: C{depth - 1}, load_function: load_chain}}",
        "enums:",
        "  Mode:",
        "    description: {en: A mode.}",
        "    members:",
        "      A: {value: a, aliases: [alpha], description: {en: A.}}",
        "      B: {value: b, description: {en: B.}}",
        "classes:",
    ]
    for i in range(depth):
        lines += [
            f"  C{i}:",
            f"    description: {{en: Class number {i} of the chain.}}",
            *([f"    bases: [C{i - 1}]"] if i else []),
            "    fields:",
            f'      f{i}: {{type: "Optional[int]", default: null, description: {{en: Field number {i}.}}}}',
            f'      m{i}: {{type: "Optional[Mode]", default: null, description: {{en: Mode number {i}.}}}}',
        ]
    path = folder / f"chain{depth}.yaml"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def models_lines(spec: Path) -> int:
    files = {f.path: f.text for f in render_package(build_package(spec))}
    return files["chain/chain/models.py"].count("\n")


def test_the_models_of_a_deep_chain_grow_linearly(tmp_path: Path) -> None:
    small, large = models_lines(chain_spec(60, tmp_path)), models_lines(chain_spec(120, tmp_path))
    assert large / small < 2.3, (small, large)  # quadratic code would give about 4
