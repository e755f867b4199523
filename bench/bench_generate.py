"""Generation benchmarks: the edit loop of someone changing a spec, side by side with the tools users would pick.

    python -m bench.bench_generate [--sizes 30,300,1000] [--rounds 30:5,300:3,1000:1] [--budget 720]

- The CommandJob spec (spec/aml_entities.yaml and the module it ships, copied to a work folder): ``generate`` cold (an empty black
  cache: ``GENERATOR_CACHE`` pointing to a fresh folder, and an empty output folder), ``generate`` again on
  the unchanged spec, and ``check`` on the unchanged spec.
- Synthetic specs of N entities with reference cycles (``../shared/bench/synth_schema.py N``, converted by
  bench/synth_to_idl.py): ours cold, code and docs (``--targets package,docs,schema``: the package, the
  docs in both languages, the JSON Schema), ours cold with every target (the pydantic models that
  datamodel-code-generator makes from the schema as well), ours on the unchanged spec, our docs alone; datamodel-code-generator on the JSON Schema
  (``--output-model-type dataclasses.dataclass``); LinkML ``gen-python`` and ``gen-doc`` on the LinkML schema
  (LinkML runs from its own venv, bench/.venvs/linkml: ``bash bench/setup.sh``).
- Cycles: the pydantic modules that datamodel-code-generator and LinkML (``gen-pydantic``) make from the
  300- and 1,000-class schemas, imported in a fresh interpreter; and our generated package, imported (its
  import time) and loading a document that follows references through the cycles.

Every tool runs in a subprocess, the tools taking turns within each round; figures are medians of the rounds
(wall clock; the CPU time, children included, is kept too). Round 1 runs for every size first; further rounds
run while the time budget allows. Writes bench/results/generation.md, generation.json and generation.png.
"""

from __future__ import annotations

import argparse
import json
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from itertools import pairwise
from pathlib import Path
from typing import Any

import yaml

from . import synth_to_idl
from .common import (
    LINKML_VENV,
    PYTHON,
    RESULTS,
    ROOT,
    Machine,
    Run,
    clean_env,
    fmt_ratio,
    fmt_time,
    git_state,
    last_error,
    median,
    pip_version,
    run_timed,
    table,
)

VENV_BIN = Path(PYTHON).parent
LINKML_BIN = LINKML_VENV / "bin"
DEFAULT_ROUNDS = {30: 5, 300: 3, 1000: 1}
#: LinkML gen-doc grows quadratically: one run is enough at this size and above.
GEN_DOC_ONCE_FROM = 1000

OURS_CODE = "ours: code + docs, cold"
OURS_COLD = "ours: generate all, cold"
OURS_WARM = "ours: generate, unchanged spec"
OURS_DOCS = "ours: docs only"
DMCG = "datamodel-codegen (dataclasses)"
LML_PY = "LinkML gen-python"
LML_DOC = "LinkML gen-doc"


#: Seconds of ``import yaml`` (with its C loader) in a fresh interpreter: the yardstick of import times.
_YAML_IMPORT_PROBE = "import time; s = time.perf_counter(); import yaml; yaml.CSafeLoader; print(time.perf_counter() - s)"


@dataclass
class Cell:
    """The runs of one tool on one spec."""

    runs: list[Run] = field(default_factory=list)

    @property
    def ok_runs(self) -> list[Run]:
        return [r for r in self.runs if r.ok]

    @property
    def wall(self) -> float:
        return median([r.wall for r in self.ok_runs])

    @property
    def cpu(self) -> float:
        return median([r.cpu for r in self.ok_runs])

    @property
    def error(self) -> str:
        return next((r.error for r in self.runs if not r.ok), "")

    def summary(self) -> dict[str, Any]:
        return {"wall": self.wall, "cpu": self.cpu, "runs": [asdict(r) for r in self.runs], "error": self.error}


class Workspace:
    """A scratch folder, with a fresh sub-folder per run."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.count = 0

    def fresh(self, name: str) -> Path:
        self.count += 1
        path = self.root / "runs" / f"{self.count:04d}-{name}"
        path.mkdir(parents=True)
        return path

    def drop(self, path: Path) -> None:
        shutil.rmtree(path, ignore_errors=True)


#: The targets of "code + docs": the package, the docs in both languages and the JSON Schema; not
#: the pydantic models that datamodel-code-generator makes from the schema.
CODE_TARGETS = "package,docs,schema"


def ours_generate(
    spec_dir: Path, spec: str, out: Path, cache: Path, command: str = "generate", targets: str | None = None
) -> Run:
    """``python -m generator generate|check --out OUT SPEC`` run next to the spec's folder."""
    env = clean_env(GENERATOR_CACHE=str(cache), PYTHONPATH=str(ROOT))  # this checkout's generator
    only = ["--targets", targets] if targets else []
    return run_timed([PYTHON, "-m", "generator", command, *only, "--out", str(out), spec], cwd=spec_dir, env=env)


# -- the CommandJob spec -------------------------------------------------------------------------------------------


def _but_the_commandjob_spec(_folder: str, names: list[str]) -> list[str]:
    """What of spec/ the CommandJob benchmark does not copy: the other specs, bytecode."""
    return [n for n in names if n == "__pycache__" or (n.endswith(".yaml") and n != "aml_entities.yaml")]


def bench_commandjob(ws: Workspace, rounds: int) -> dict[str, Cell]:
    work = ws.root / "commandjob"
    work.mkdir(parents=True, exist_ok=True)
    # the folder but the other specs: the spec ships a module of its own (package.modules) beside it
    shutil.copytree(ROOT / "spec", work / "spec", ignore=_but_the_commandjob_spec)
    spec = "spec/aml_entities.yaml"
    warm_out, warm_cache = work / "generated", work / "cache"
    first = ours_generate(work, spec, warm_out, warm_cache)
    cells = {
        k: Cell() for k in ("generate, cold (empty black cache)", "generate, unchanged spec", "check, unchanged spec")
    }
    if not first.ok:
        for cell in cells.values():
            cell.runs.append(first)
        return cells
    for _ in range(rounds):
        scratch = ws.fresh("cj-cold")
        cells["generate, cold (empty black cache)"].runs.append(
            ours_generate(work, spec, scratch / "out", scratch / "cache")
        )
        ws.drop(scratch)
        cells["generate, unchanged spec"].runs.append(ours_generate(work, spec, warm_out, warm_cache))
        cells["check, unchanged spec"].runs.append(ours_generate(work, spec, warm_out, warm_cache, "check"))
    return cells


# -- synthetic specs ------------------------------------------------------------------------------------------------


class Synthetic:
    """The tools on the synthetic spec of one size."""

    def __init__(self, ws: Workspace, n: int, with_linkml: bool) -> None:
        self.ws, self.n = ws, n
        self.dir = ws.root / f"synth_{n}"
        self.files = synth_to_idl.make_spec(n, self.dir)
        self.spec = f"spec/synth_{n}.yaml"
        self.warm_out, self.warm_cache = self.dir / "warm" / "out", self.dir / "warm" / "cache"
        self.prepared: Run | None = None
        self.tools: dict[str, Callable[[], Run]] = {
            OURS_CODE: self.ours_code,
            OURS_COLD: self.ours_cold,
            OURS_WARM: self.ours_warm,
            OURS_DOCS: self.ours_docs,
            DMCG: self.dmcg,
        }
        if with_linkml:
            self.tools[LML_PY] = self.linkml_python
            self.tools[LML_DOC] = self.linkml_doc
        self.cells: dict[str, Cell] = {name: Cell() for name in self.tools}

    def rounds_for(self, tool: str, wanted: int) -> int:
        return 1 if tool == LML_DOC and self.n >= GEN_DOC_ONCE_FROM else wanted

    def run_round(self, index: int) -> None:
        for name, tool in self.tools.items():
            if index < self.rounds_for(name, index + 1):
                print(f"  N={self.n} round {index + 1}: {name}", file=sys.stderr, flush=True)
                self.cells[name].runs.append(tool())

    def ours_cold(self) -> Run:
        if self.prepared is None:  # the first cold run also fills the folder and cache of the unchanged runs
            self.prepared = ours_generate(self.dir, self.spec, self.warm_out, self.warm_cache)
            return self.prepared
        scratch = self.ws.fresh(f"cold{self.n}")
        try:
            return ours_generate(self.dir, self.spec, scratch / "out", scratch / "cache")
        finally:
            self.ws.drop(scratch)

    def ours_code(self) -> Run:
        scratch = self.ws.fresh(f"code{self.n}")
        try:
            return ours_generate(self.dir, self.spec, scratch / "out", scratch / "cache", targets=CODE_TARGETS)
        finally:
            self.ws.drop(scratch)

    def ours_warm(self) -> Run:
        if self.prepared is None:
            self.prepared = ours_generate(self.dir, self.spec, self.warm_out, self.warm_cache)
        if not self.prepared.ok:  # the same spec fails the same way: not run again
            return Run(0.0, 0.0, self.prepared.code, self.prepared.error)
        return ours_generate(self.dir, self.spec, self.warm_out, self.warm_cache)

    def ours_docs(self) -> Run:
        scratch = self.ws.fresh(f"docs{self.n}")
        try:
            env = clean_env(PYTHONPATH=str(ROOT))
            return run_timed([PYTHON, "-m", "bench._ours_docs", self.spec, str(scratch / "out")], cwd=self.dir, env=env)
        finally:
            self.ws.drop(scratch)

    def dmcg(self) -> Run:
        scratch = self.ws.fresh(f"dmcg{self.n}")
        try:
            return run_timed(
                [
                    str(VENV_BIN / "datamodel-codegen"),
                    "--input",
                    str(self.files["jsonschema"]),
                    "--input-file-type",
                    "jsonschema",
                    "--output",
                    str(scratch / "models.py"),
                    "--output-model-type",
                    "dataclasses.dataclass",
                ],
                env=clean_env(),
            )
        finally:
            self.ws.drop(scratch)

    def linkml_python(self) -> Run:
        scratch = self.ws.fresh(f"genpy{self.n}")
        try:
            return run_timed(
                [str(LINKML_BIN / "gen-python"), str(self.files["linkml"])],
                stdout=scratch / "models.py",
                env=clean_env(),
            )
        finally:
            self.ws.drop(scratch)

    def linkml_doc(self) -> Run:
        scratch = self.ws.fresh(f"gendoc{self.n}")
        try:
            return run_timed(
                [str(LINKML_BIN / "gen-doc"), "-d", str(scratch / "docs"), str(self.files["linkml"])], env=clean_env()
            )
        finally:
            self.ws.drop(scratch)

    # -- cycles: do the generated modules import? ------------------------------------------------------------------

    def pydantic_imports(self, with_linkml: bool) -> dict[str, dict[str, Any]]:
        """Generate pydantic modules with the other tools and import them in a fresh interpreter."""
        out: dict[str, dict[str, Any]] = {}
        folder = self.dir / "pydantic"
        folder.mkdir(exist_ok=True)
        dmcg_file = folder / f"dmcg_pydantic_{self.n}.py"
        made = run_timed(
            [
                str(VENV_BIN / "datamodel-codegen"),
                "--input",
                str(self.files["jsonschema"]),
                "--input-file-type",
                "jsonschema",
                "--output",
                str(dmcg_file),
                "--output-model-type",
                "pydantic_v2.BaseModel",
            ],
            env=clean_env(),
        )
        out["datamodel-codegen (pydantic v2)"] = self._import(made, PYTHON, dmcg_file)
        if with_linkml:
            lml_file = folder / f"linkml_pydantic_{self.n}.py"
            made = run_timed(
                [str(LINKML_BIN / "gen-pydantic"), str(self.files["linkml"])], stdout=lml_file, env=clean_env()
            )
            out["LinkML gen-pydantic"] = self._import(made, LINKML_BIN / "python", lml_file)
        return out

    @staticmethod
    def _import(made: Run, python: Path | str, module: Path) -> dict[str, Any]:
        if not made.ok:
            return {"generated": False, "imports": False, "error": made.error, "generate_seconds": made.wall}
        run = run_timed([str(python), "-c", f"import {module.stem}"], cwd=module.parent, env=clean_env(), timeout=300)
        return {
            "generated": True,
            "imports": run.ok,
            "error": run.error,
            "generate_seconds": made.wall,
            "import_seconds": run.wall,
        }

    def ours_import(self, rounds: int = 5) -> dict[str, Any]:
        """Import time of our generated package (fresh interpreters) and loading a document with cycles."""
        if self.prepared is None:
            self.prepared = ours_generate(self.dir, self.spec, self.warm_out, self.warm_cache)
        if not self.prepared.ok:
            return {"imports": False, "error": f"generation failed: {self.prepared.error}"}
        neutral = yaml.load(self.files["neutral"].read_text(), Loader=yaml.CSafeLoader)
        document = synth_to_idl.make_document(neutral)
        doc_path = self.dir / "document.yaml"
        doc_path.write_text(yaml.safe_dump(document, sort_keys=False), encoding="utf-8")
        package = f"synth_{self.n}"
        probe = (
            "import io, statistics, sys, time, yaml\n"
            "start = time.perf_counter()\n"
            f"import {package} as pkg\n"
            "took = time.perf_counter() - start\n"
            "start = time.perf_counter()\n"
            "pkg.load_document  # its modules load on first use\n"
            "used = took + time.perf_counter() - start\n"
            "start = time.perf_counter()\n"
            "doc = pkg.load_document(sys.argv[1])\n"
            "first = time.perf_counter() - start\n"
            "text = open(sys.argv[1], encoding='utf-8').read()\n"
            "loads, parses = [], []\n"
            "for _ in range(5):\n"
            "    start = time.perf_counter(); pkg.load_document(io.StringIO(text)); loads.append(time.perf_counter() - start)\n"
            "    start = time.perf_counter(); yaml.load(text, Loader=yaml.CSafeLoader); parses.append(time.perf_counter() - start)\n"
            "same = doc.to_dict() == pkg.load_document(sys.argv[1]).to_dict()\n"
            "print(took, used, first, statistics.median(loads), statistics.median(parses), same)\n"
        )
        env = clean_env(PYTHONPATH=str(self.warm_out / package))
        cmd = [PYTHON, "-c", probe, str(doc_path)]
        first = subprocess.run(cmd, capture_output=True, text=True, env=env, check=False)  # compiles the bytecode
        if first.returncode != 0:
            return {"imports": False, "error": last_error(first.stderr)}
        yaml_cmd = [PYTHON, "-c", _YAML_IMPORT_PROBE]
        imports, uses, yamls, loads, parses = [], [], [], [], []
        same = ""
        for _ in range(rounds):  # the package's import and yaml's take turns, each in a fresh interpreter
            proc = subprocess.run(cmd, capture_output=True, text=True, env=env, check=True)
            took, used, _first, loaded, parsed, same = proc.stdout.split()
            yamls.append(float(subprocess.run(yaml_cmd, capture_output=True, text=True, env=env, check=True).stdout))
            imports.append(float(took))
            uses.append(float(used))
            loads.append(float(loaded))
            parses.append(float(parsed))
        objects = _count_objects(document)
        return {
            "imports": True,
            "import_seconds": median(imports),
            "first_use_seconds": median(uses),
            "yaml_import_seconds": median(yamls),
            "first_import_seconds": float(first.stdout.split()[0]),
            "load_seconds": median(loads),
            "parse_seconds": median(parses),
            "document_objects": objects,
            "document_bytes": doc_path.stat().st_size,
            "round_trip_stable": same == "True",
            "error": "",
        }


def _count_objects(value: Any) -> int:
    if isinstance(value, dict):
        return 1 + sum(_count_objects(v) for v in value.values())
    if isinstance(value, list):
        return sum(_count_objects(v) for v in value)
    return 0


# -- report -----------------------------------------------------------------------------------------------------------


def parse_rounds(text: str) -> dict[int, int]:
    return {int(k): int(v) for k, v in (part.split(":") for part in text.split(",") if part)}


def cell_text(cell: dict[str, Any]) -> str:
    if cell["wall"] == cell["wall"]:
        return fmt_time(cell["wall"])
    return "**failed**"


def exponent(t1: float, t2: float, n1: int, n2: int) -> float:
    """The k of time ∝ N^k between two sizes (1 is linear)."""
    import math

    if not (t1 > 0 and t2 > 0):
        return float("nan")
    return math.log(t2 / t1) / math.log(n2 / n1)


def verdicts(result: dict[str, Any]) -> list[tuple[str, str, str, str]]:
    """(target, measured, by how much, met) for each generation target of issues 7 and 19."""
    rows: list[tuple[str, str, str, str]] = []
    cj = result["commandjob"].get("check, unchanged spec")
    if cj:
        t = cj["wall"]
        rows.append(
            (
                "`check` on the unchanged CommandJob spec < 0.3 s",
                cell_text(cj),
                f"{t / 0.3:.2f}× the target" if t == t else cj["error"],
                _met(t == t and t < 0.3),
            )
        )
    synth = result["synthetic"]
    big = str(max(int(n) for n in synth)) if synth else None
    if big:
        cells = synth[big]["cells"]
        ours, dmcg = cells[OURS_CODE], cells[DMCG]
        r = ours["wall"] / dmcg["wall"]
        rows.append(
            (
                f"cold generation of {big} entities, code and docs in both languages (`--targets {CODE_TARGETS}`) "
                "≤ 0.5× datamodel-codegen (code only)",
                f"{cell_text(ours)} vs {cell_text(dmcg)}",
                f"{r:.2f}× datamodel-codegen ({r / 0.5:.2f}× the target)" if r == r else ours["error"] or dmcg["error"],
                _met(r == r and r <= 0.5),
            )
        )
        cold = cells[OURS_COLD]
        r = cold["wall"] / dmcg["wall"]
        rows.append(
            (
                f"cold generation of {big} entities, every target (pydantic included) < datamodel-codegen "
                "(code only) (issue 19)",
                f"{cell_text(cold)} vs {cell_text(dmcg)}",
                f"{r:.2f}× datamodel-codegen" if r == r else cold["error"] or dmcg["error"],
                _met(r == r and r < 1),
            )
        )
        warm = cells[OURS_WARM]
        r = dmcg["wall"] / warm["wall"]
        rows.append(
            (
                f"unchanged {big}-entity spec ≥ 20× faster than datamodel-codegen",
                f"{cell_text(warm)} vs {cell_text(dmcg)}",
                f"{r:.1f}× faster" if r == r else warm["error"],
                _met(r == r and r >= 20),
            )
        )
        if LML_DOC in cells:
            docs, gen_doc = cells[OURS_DOCS], cells[LML_DOC]
            r = gen_doc["wall"] / docs["wall"]
            rows.append(
                (
                    f"docs of {big} entities ≥ 20× faster than LinkML gen-doc",
                    f"{cell_text(docs)} vs {cell_text(gen_doc)}",
                    f"{r:.1f}× faster" if r == r else docs["error"] or gen_doc["error"],
                    _met(r == r and r >= 20),
                )
            )
        for tool, what in ((OURS_CODE, "cold code + docs"), (OURS_COLD, "cold, all targets"), (OURS_DOCS, "docs only")):
            measured = [int(n) for n in sorted(synth, key=int) if synth[n]["cells"][tool]["cpu"] > 0]
            steps = [
                (a, b, exponent(synth[str(a)]["cells"][tool]["cpu"], synth[str(b)]["cells"][tool]["cpu"], a, b))
                for a, b in pairwise(measured)
            ]
            missing = [n for n in sorted(synth, key=int) if int(n) not in measured]
            rows.append(
                (
                    f"time grows linearly with the number of entities ({what}, CPU time)",
                    ", ".join(f"∝ N^{k:.2f} from {a} to {b}" for a, b, k in steps) or "n/a",
                    "1.00 is linear" + (f"; no figure at N={', '.join(missing)}" if missing else ""),
                    _met(bool(steps) and all(k <= 1.15 for _, _, k in steps) and not missing),
                )
            )
        imp = synth[big].get("ours_import", {})
        if imp.get("imports") and "yaml_import_seconds" in imp:  # figures saved before it was measured lack it
            for what, key in (("import", "import_seconds"), ("import and first use (its models loaded)", "first_use_seconds")):
                r = imp[key] / imp["yaml_import_seconds"]
                rows.append(
                    (
                        f"{what} of the {big}-entity package ≤ 10× `import yaml` (issue 19"
                        + ("" if key == "import_seconds" else ": beyond it") + ")",
                        f"{fmt_time(imp[key])} vs {fmt_time(imp['yaml_import_seconds'])}",
                        f"{r:.2f}× yaml's",
                        _met(r <= 10),
                    )
                )
        rows.append(
            (
                f"generates, imports and loads documents at {big} entities with cycles",
                f"import {fmt_time(imp['import_seconds'])}, load {fmt_time(imp['load_seconds'])} "
                f"({imp['load_seconds'] / imp['parse_seconds']:.2f}× the CSafeLoader parse)"
                if imp.get("imports")
                else imp.get("error", "not measured"),
                "",
                _met(bool(imp.get("imports"))),
            )
        )
    return rows


def _to_yaml(imp: dict[str, Any]) -> str:
    """The import and the first use of a package against ``import yaml``, as a clause."""
    if "yaml_import_seconds" not in imp:  # figures saved before it was measured
        return ""
    yml = imp["yaml_import_seconds"]
    return (
        f", {imp['import_seconds'] / yml:.2f}× `import yaml` ({fmt_time(yml)}); with its models loaded (first use) in "
        f"{fmt_time(imp['first_use_seconds'])}, {imp['first_use_seconds'] / yml:.2f}×"
    )


def _met(ok: bool) -> str:
    return "yes" if ok else "**no**"


def write_results(result: dict[str, Any]) -> str:
    v = result["versions"]
    lines = [
        "# Generation benchmarks",
        "",
        f"Measured by `python -m bench.bench_generate` at {result['commit']} ({result['machine']}); datamodel-code-generator {v['dmcg']}, "
        f"LinkML {v['linkml'] or 'not installed'}, black {v['black']}. Wall-clock medians of interleaved rounds "
        "(runs = how many rounds fit the time budget); CPU = user + system seconds of the process and its children.",
        "",
        "## CommandJob spec",
        "",
    ]
    rows = [[name, cell_text(c), fmt_time(c["cpu"]), str(len(c["runs"]))] for name, c in result["commandjob"].items()]
    lines.append(table(["command", "time", "CPU", "runs"], rows))
    lines += ["## Synthetic specs (with reference cycles)", ""]
    synth = result["synthetic"]
    sizes = sorted(synth, key=int)
    tools = list(synth[sizes[0]]["cells"]) if sizes else []
    rows = []
    for tool in tools:
        row = [tool]
        for n in sizes:
            c = synth[n]["cells"][tool]
            cpu = f" / {fmt_time(c['cpu'])}" if c["cpu"] == c["cpu"] else ""
            row.append(f"{cell_text(c)}{cpu} ({len(c['runs'])})")
        rows.append(row)
    lines.append(table(["tool", *[f"N={n}: wall / CPU (runs)" for n in sizes]], rows))
    lines += [
        "CPU time is the steadier figure on a shared machine (the share of a core a process gets varies during a "
        "run); the growth curve and its exponents use it. Ratios below are of wall-clock medians of the same run.",
        "",
    ]
    lines += ["Ratios (same run):", ""]
    rows = []
    for n in sizes:
        cells = synth[n]["cells"]
        code, cold, warm, docs, dmcg = (cells[k]["wall"] for k in (OURS_CODE, OURS_COLD, OURS_WARM, OURS_DOCS, DMCG))
        gen_doc = cells[LML_DOC]["wall"] if LML_DOC in cells else float("nan")
        gen_py = cells[LML_PY]["wall"] if LML_PY in cells else float("nan")
        rows.append(
            [
                n,
                fmt_ratio(code / dmcg),
                fmt_ratio(cold / dmcg),
                fmt_ratio(code / gen_py),
                fmt_ratio(dmcg / warm),
                fmt_ratio(gen_doc / docs),
            ]
        )
    lines.append(
        table(
            [
                "N",
                "ours code + docs, cold ÷ datamodel-codegen",
                "ours all targets, cold ÷ datamodel-codegen",
                "ours code + docs, cold ÷ gen-python",
                "datamodel-codegen ÷ ours unchanged",
                "gen-doc ÷ ours docs",
            ],
            rows,
        )
    )
    failures = [(n, tool, c["error"]) for n in sizes for tool, c in synth[n]["cells"].items() if c["error"]]
    failures += [("CommandJob", tool, c["error"]) for tool, c in result["commandjob"].items() if c["error"]]
    if failures:
        lines += ["Failures:", ""]
        lines += [f"- N={n}, {tool}: `{err}`" for n, tool, err in failures]
        lines.append("")
    lines += ["## Reference cycles: do the generated modules import?", ""]
    rows = []
    for n in sizes:
        imp = synth[n].get("ours_import")
        if imp:
            what = (
                f"imports in {fmt_time(imp['import_seconds'])}{_to_yaml(imp)} "
                f"(the first run, compiling: {fmt_time(imp['first_import_seconds'])}); "
                f"loads a {imp['document_objects']}-object document ({imp['document_bytes'] // 1024} KB) in "
                f"{fmt_time(imp['load_seconds'])}, {imp['load_seconds'] / imp['parse_seconds']:.2f}× the CSafeLoader parse"
                if imp.get("imports")
                else f"**fails**: `{imp.get('error')}`"
            )
            rows.append([n, "ours (generated package)", what])
        for tool, r in synth[n].get("pydantic", {}).items():
            if not r["generated"]:
                what = f"generation fails: `{r['error']}`"
            else:
                made = f"generated in {fmt_time(r['generate_seconds'])}; "
                what = made + ("imports" if r["imports"] else f"**import fails**: `{r['error']}`")
            rows.append([n, tool, what])
    lines.append(table(["N", "module", "result"], rows))
    lines += ["## Targets (issues 7 and 19)", ""]
    lines.append(table(["target", "measured", "vs target", "met"], [list(r) for r in result["verdicts"]]))
    text = "\n".join(lines)
    (RESULTS / "generation.md").write_text(text, encoding="utf-8")
    return text


def plot(result: dict[str, Any]) -> Path:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    synth = result["synthetic"]
    sizes = sorted(synth, key=int)
    styles = {
        OURS_CODE: ("#1f77b4", "-", "o"),
        OURS_COLD: ("#9467bd", "-", "P"),
        OURS_WARM: ("#1f77b4", ":", "s"),
        OURS_DOCS: ("#17becf", "--", "^"),
        DMCG: ("#ff7f0e", "-", "D"),
        LML_PY: ("#2ca02c", "-", "v"),
        LML_DOC: ("#d62728", "-", "x"),
    }
    fig, (ax1, ax2) = plt.subplots(1, 2, figsize=(12, 4.2), dpi=80)
    for tool in styles:
        points = [(int(n), synth[n]["cells"][tool]["cpu"]) for n in sizes if tool in synth[n]["cells"]]
        points = [(n, t) for n, t in points if t == t]
        if not points:
            continue
        color, line, marker = styles[tool]
        xs, ys = zip(*points, strict=True)
        ax1.plot(xs, ys, line, marker=marker, color=color, label=tool)
        ax2.plot(xs, [t / n * 1e3 for n, t in points], line, marker=marker, color=color, label=tool)
        for n in sizes:
            if tool in synth[n]["cells"] and synth[n]["cells"][tool]["wall"] != synth[n]["cells"][tool]["wall"]:
                ax1.annotate("failed", (int(n), 0), color=color, fontsize=7, rotation=90, va="bottom")
    ax1.set_xlabel("entities")
    ax1.set_ylabel("CPU seconds (median)")
    ax1.set_title("Generation CPU time vs number of entities", fontsize=10)
    ax1.grid(alpha=0.3)
    ax1.legend(fontsize=7)
    ax2.set_xscale("log")
    ax2.set_yscale("log")
    ax2.set_xlabel("entities (log)")
    ax2.set_ylabel("CPU ms per entity (log)")
    ax2.set_title("CPU time per entity: flat = linear growth", fontsize=10)
    ax2.grid(alpha=0.3, which="both")
    fig.tight_layout()
    path = RESULTS / "generation.png"
    fig.savefig(path, dpi=80)
    plt.close(fig)
    return path


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.bench_generate", description=__doc__.split("\n")[0])
    parser.add_argument("--sizes", default="30,300,1000", help="synthetic spec sizes (default 30,300,1000)")
    parser.add_argument(
        "--rounds",
        default=",".join(f"{k}:{v}" for k, v in DEFAULT_ROUNDS.items()),
        help="rounds per size, N:R,... (default %(default)s)",
    )
    parser.add_argument("--commandjob-rounds", type=int, default=5, help="rounds on the CommandJob spec (default 5)")
    parser.add_argument(
        "--budget", type=float, default=600, help="seconds after which no new round starts (default 600)"
    )
    parser.add_argument("--no-linkml", action="store_true", help="leave LinkML out")
    parser.add_argument("--keep", action="store_true", help="keep the work folder")
    parser.add_argument(
        "--report", type=Path, metavar="JSON", help="only rewrite the table and plot from saved figures"
    )
    args = parser.parse_args(argv)
    if args.report:
        saved = json.loads(args.report.read_text(encoding="utf-8"))
        saved["verdicts"] = verdicts(saved)
        RESULTS.mkdir(parents=True, exist_ok=True)
        (RESULTS / "generation.json").write_text(json.dumps(saved, indent=1) + "\n", encoding="utf-8")
        print(write_results(saved))
        print(f"plot: {plot(saved).relative_to(ROOT)}")
        return 0
    sizes = [int(n) for n in args.sizes.split(",") if n]
    wanted = {**DEFAULT_ROUNDS, **parse_rounds(args.rounds)}
    with_linkml = not args.no_linkml and (LINKML_BIN / "gen-python").exists()
    if not args.no_linkml and not with_linkml:
        print(f"LinkML not found in {LINKML_VENV}: run bash bench/setup.sh (leaving it out)", file=sys.stderr)
    RESULTS.mkdir(parents=True, exist_ok=True)
    start = time.perf_counter()
    ws = Workspace(Path(tempfile.mkdtemp(prefix="idl-bench-gen-")))
    result: dict[str, Any] = {
        "machine": Machine().line(),
        "commit": git_state(),
        "versions": {
            "dmcg": pip_version(PYTHON, "datamodel-code-generator"),
            "black": pip_version(PYTHON, "black"),
            "linkml": pip_version(LINKML_BIN / "python", "linkml") if with_linkml else "",
        },
    }
    try:
        print("CommandJob spec...", file=sys.stderr, flush=True)
        result["commandjob"] = {k: c.summary() for k, c in bench_commandjob(ws, args.commandjob_rounds).items()}
        benches = {n: Synthetic(ws, n, with_linkml) for n in sizes}
        first_round: dict[int, float] = {}
        for index in range(max(wanted.get(n, 1) for n in sizes)):
            for n in sizes:
                if index >= wanted.get(n, 1):
                    continue
                elapsed = time.perf_counter() - start
                if index and elapsed + first_round[n] > args.budget:
                    print(f"  N={n} round {index + 1}: skipped (time budget)", file=sys.stderr, flush=True)
                    continue
                began = time.perf_counter()
                benches[n].run_round(index)
                first_round.setdefault(n, time.perf_counter() - began)
        synth: dict[str, Any] = {}
        for n, bench in benches.items():
            entry: dict[str, Any] = {"cells": {k: c.summary() for k, c in bench.cells.items()}}
            print(f"N={n}: importing the generated modules...", file=sys.stderr, flush=True)
            entry["ours_import"] = bench.ours_import()
            if n >= 300:
                entry["pydantic"] = bench.pydantic_imports(with_linkml)
            synth[str(n)] = entry
        result["synthetic"] = synth
    finally:
        if not args.keep:
            shutil.rmtree(ws.root, ignore_errors=True)
        else:
            print(f"work folder kept: {ws.root}", file=sys.stderr)
    result["verdicts"] = verdicts(result)
    result["seconds"] = time.perf_counter() - start
    (RESULTS / "generation.json").write_text(json.dumps(result, indent=1) + "\n", encoding="utf-8")
    print(write_results(result))
    print(f"plot: {plot(result).relative_to(ROOT)}; took {result['seconds']:.0f} s")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
