"""Runtime of the generated package on a realistic command job, side by side with the alternatives.

    python -m bench.bench_runtime [--rounds 25] [--import-rounds 7]

The job (bench/data/command_job.yml): 3 inputs, 2 outputs, identity, distribution, resources, limits, a
service. Compared: the generated ``aml_entities``; azure-ai-ml 1.35.2; hand-written pydantic v2 models of
the same shape (bench/models_pydantic.py); msgspec Structs (bench/models_msgspec.py, compiled: the
practical limit); libyaml's CSafeLoader parsing the text alone (the floor of any YAML load).

Import times are measured in fresh interpreters (bytecode caches warm), the libraries taking turns in
every round; the operations are timed in this process, each case calibrated to about 20 ms per sample and
the cases interleaved within every round. Figures are medians; ratios come from the same run. Memory is
what tracemalloc counts for 2,000 loaded jobs, per job; the large document (about 10 MB: thousands of
inputs and environment variables) is loaded from its text against libyaml's parse of the same text.
Writes bench/results/runtime.md, runtime.json and runtime.png.
"""

from __future__ import annotations

import argparse
import io
import json
import os
import shutil
import subprocess
import sys
import tempfile
import warnings
from pathlib import Path
from typing import Any

import yaml

from .common import (
    PYTHON,
    RESULTS,
    ROOT,
    Machine,
    clean_env,
    fmt_ratio,
    fmt_time,
    git_state,
    interleaved,
    median,
    pip_version,
    table,
)

JOB = ROOT / "bench" / "data" / "command_job.yml"
#: The generated package of this checkout (ahead of any installed copy).
PACKAGE_DIR = ROOT / "generated" / "aml_entities"

#: What each import measures: a statement run in a fresh interpreter.
IMPORTS = {
    "aml_entities (ours)": "import aml_entities",
    # its modules load when a name is first used (PEP 562): what a program that uses it pays
    "aml_entities, first use (ours)": "from aml_entities import CommandJob, load_job",
    "pydantic v2 models": "import bench.models_pydantic",
    "msgspec structs": "import bench.models_msgspec",
    "yaml (CSafeLoader)": "import yaml; yaml.CSafeLoader",
    "azure-ai-ml": "import azure.ai.ml",
}
#: Seconds of the import, then the resident memory in kB (VmRSS: ru_maxrss would count pages of the parent).
_IMPORT_PROBE = """
import sys, time
start = time.perf_counter()
exec(sys.argv[1])
took = time.perf_counter() - start
rss = next(line.split()[1] for line in open("/proc/self/status") if line.startswith("VmRSS:"))
print(took, rss)
"""

TARGETS = {
    "import": "under 30 ms (issue 7); at most 1.3× `import yaml` in the same run (issue 19)",
    "load_job": "within 1.1× the CSafeLoader parse alone",
    "from_dict": "faster than pydantic v2's (issue 7), twice its speed (issue 19), with full, strict validation",
    "to_dict": "at most half of pydantic v2's (issue 7), a third (issue 19); 500× faster than azure-ai-ml's _to_dict",
    "memory": "a loaded job no larger than pydantic's (issue 19)",
    "large": "a 10 MB document loaded within 1.0× the CSafeLoader parse of its text (issue 19)",
}
#: Jobs loaded to measure the memory of one.
MEMORY_JOBS = 2000


def measure_imports(rounds: int) -> dict[str, Any]:
    """Median seconds and extra resident memory (MB over an empty interpreter) of each import."""
    env = clean_env(PYTHONPATH=os.pathsep.join([str(ROOT), str(PACKAGE_DIR)]))
    probe = [PYTHON, "-c", _IMPORT_PROBE]

    def once(stmt: str) -> tuple[float, float]:
        proc = subprocess.run([*probe, stmt], capture_output=True, text=True, env=env, cwd=ROOT, check=True)
        took, rss = proc.stdout.split()
        return float(took), float(rss) / 1024

    for stmt in IMPORTS.values():  # warm the bytecode caches, discarded
        once(stmt)
    base = median([once("pass")[1] for _ in range(3)])
    times: dict[str, list[float]] = {name: [] for name in IMPORTS}
    mems: dict[str, list[float]] = {name: [] for name in IMPORTS}
    for _ in range(rounds):
        for name, stmt in IMPORTS.items():
            took, rss = once(stmt)
            times[name].append(took)
            mems[name].append(rss - base)
    return {
        name: {"seconds": median(times[name]), "samples": times[name], "mb": median(mems[name])} for name in IMPORTS
    }


def measure_operations(rounds: int) -> dict[str, dict[str, float]]:
    """Median seconds per call of every operation of every library."""
    import aml_entities
    from azure.ai.ml import load_job as azure_load_job

    from . import models_msgspec, models_pydantic

    text = JOB.read_text(encoding="utf-8")
    data = yaml.load(text, Loader=yaml.CSafeLoader)
    ours = aml_entities.CommandJob.from_dict(data)
    pyd = models_pydantic.from_dict(data)
    msg = models_msgspec.from_dict(data)
    # the same values through every library (msgspec leaves out the default `type: command`; ours writes
    # back the keys its document gave)
    want = {k: v for k, v in data.items() if k != "type"}
    assert ours.to_dict() == data, "aml_entities round trip"
    assert models_pydantic.to_dict(pyd) == data, "pydantic round trip"
    assert models_msgspec.to_dict(msg) == want, "msgspec round trip"
    assert aml_entities.load_job(io.StringIO(text)).to_dict() == data

    folder = Path(tempfile.mkdtemp(prefix="bench-runtime-"))
    try:
        for sub in ("src", "data"):
            (folder / sub).mkdir()
        job_path = folder / "job.yml"
        job_path.write_text(text, encoding="utf-8")
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            azure_job = azure_load_job(job_path)
            azure_job._to_dict()
            cases = {
                "load_job/ours": lambda: aml_entities.load_job(io.StringIO(text)),
                "load_job/CSafeLoader parse": lambda: yaml.load(text, Loader=yaml.CSafeLoader),
                "load_job/azure-ai-ml": lambda: azure_load_job(job_path),
                "from_dict/ours": lambda: aml_entities.CommandJob.from_dict(data),
                "from_dict/pydantic v2": lambda: models_pydantic.from_dict(data),
                "from_dict/msgspec": lambda: models_msgspec.from_dict(data),
                "to_dict/ours": ours.to_dict,
                "to_dict/pydantic v2": lambda: models_pydantic.to_dict(pyd),
                "to_dict/msgspec": lambda: models_msgspec.to_dict(msg),
                "to_dict/azure-ai-ml": azure_job._to_dict,
            }
            samples = interleaved(cases, rounds)
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    out: dict[str, dict[str, float]] = {}
    for key, values in samples.items():
        op, lib = key.split("/", 1)
        out.setdefault(op, {})[lib] = median(values)
    return out


def measure_memory() -> dict[str, float]:
    """Bytes per loaded CommandJob of each library (tracemalloc: what loading :data:`MEMORY_JOBS` jobs from
    the same data allocates and keeps, per job; the input's strings are shared by all)."""
    import gc
    import tracemalloc

    import aml_entities

    from . import models_msgspec, models_pydantic

    data = yaml.load(JOB.read_text(encoding="utf-8"), Loader=yaml.CSafeLoader)
    out: dict[str, float] = {}
    for name, fn in (
        ("ours", aml_entities.CommandJob.from_dict),
        ("pydantic v2", models_pydantic.from_dict),
        ("msgspec", models_msgspec.from_dict),
    ):
        fn(data)  # caches and lazy imports first
        gc.collect()
        tracemalloc.start()
        before = tracemalloc.get_traced_memory()[0]
        kept = [fn(data) for _ in range(MEMORY_JOBS)]
        after = tracemalloc.get_traced_memory()[0]
        tracemalloc.stop()
        out[name] = (after - before) / len(kept)
        del kept
    return out


def large_job_text(target_bytes: int = 10_000_000) -> str:
    """A command job of about ``target_bytes`` of YAML: the benchmark job with thousands of inputs (data
    bindings and literals) and as many environment variables (their number scaled from a small one)."""
    base = yaml.load(JOB.read_text(encoding="utf-8"), Loader=yaml.CSafeLoader)

    def job(n: int) -> str:
        base["inputs"] = {
            f"input_{i}": (
                {"type": "uri_file", "path": f"azureml://datastores/workspaceblobstore/paths/data/{i}.csv", "mode": "download"}
                if i % 3
                else i * 0.5
            )
            for i in range(n)
        }
        base["environment_variables"] = {f"VARIABLE_{i}": f"value-{i}" for i in range(n)}
        return yaml.dump(base, Dumper=yaml.CSafeDumper, sort_keys=False, width=1000)

    sample = 2000
    return job(int(sample * target_bytes / len(job(sample))))


def measure_large(rounds: int) -> dict[str, Any]:
    """Seconds to load the large job from its text, against the CSafeLoader parse of the same text."""
    import time

    import aml_entities

    text = large_job_text()
    job = aml_entities.load_job(io.StringIO(text))
    assert job.to_dict() == yaml.load(text, Loader=yaml.CSafeLoader), "the large job round trips"
    cases = {
        "ours": lambda: aml_entities.load_job(io.StringIO(text)),
        "CSafeLoader parse": lambda: yaml.load(text, Loader=yaml.CSafeLoader),
    }
    samples: dict[str, list[float]] = {name: [] for name in cases}
    for _ in range(rounds):
        for name, fn in cases.items():
            start = time.perf_counter()
            fn()
            samples[name].append(time.perf_counter() - start)
    return {
        "bytes": len(text.encode("utf-8")),
        "inputs": len(job.inputs or {}),
        "seconds": {name: median(values) for name, values in samples.items()},
        "rounds": rounds,
    }


def strictness() -> dict[str, str]:
    """What each library does with ``limits.timeout: '7200'`` (a string for an int)."""
    import aml_entities

    from . import models_msgspec, models_pydantic

    data = yaml.load(JOB.read_text(encoding="utf-8"), Loader=yaml.CSafeLoader)
    data["limits"] = {"timeout": "7200"}
    verdicts: dict[str, str] = {}
    for name, fn in (
        ("ours", aml_entities.CommandJob.from_dict),
        ("pydantic v2", models_pydantic.from_dict),
        ("msgspec", models_msgspec.from_dict),
    ):
        try:
            fn(data)
            verdicts[name] = "accepts it"
        except Exception as exc:  # every library has its own error class
            verdicts[name] = f"rejects it ({type(exc).__name__})"
    return verdicts


def verdicts(
    imports: dict[str, Any], ops: dict[str, dict[str, float]], memory: dict[str, float], large: dict[str, Any]
) -> list[tuple[str, str, str, bool]]:
    """(target, measured, by how much, met) for each runtime target of issues 7 and 19."""
    rows: list[tuple[str, str, str, bool]] = []
    ours_import = imports["aml_entities (ours)"]["seconds"]
    rows.append(
        ("import under 30 ms", fmt_time(ours_import), f"{ours_import / 0.030:.2f}× the target", ours_import < 0.030)
    )
    to_yaml = ours_import / imports["yaml (CSafeLoader)"]["seconds"]
    rows.append(
        ("import ≤ 1.3× `import yaml` (issue 19)", f"{to_yaml:.2f}× yaml's", f"{to_yaml / 1.3:.2f}× the target", to_yaml <= 1.3)
    )
    used = imports["aml_entities, first use (ours)"]["seconds"] / imports["yaml (CSafeLoader)"]["seconds"]
    rows.append(
        (
            "import and first use ≤ 1.3× `import yaml` (beyond issue 19: the models loaded)",
            f"{used:.2f}× yaml's",
            f"{used / 1.3:.2f}× the target",
            used <= 1.3,
        )
    )
    load = ops["load_job"]["ours"] / ops["load_job"]["CSafeLoader parse"]
    rows.append(
        ("load_job ≤ 1.1× CSafeLoader parse", f"{load:.2f}× the parse", f"{load / 1.1:.2f}× the target", load <= 1.1)
    )
    azure_load = ops["load_job"]["azure-ai-ml"] / ops["load_job"]["ours"]
    rows.append(("load_job ~10× faster than azure-ai-ml", f"{azure_load:.1f}× faster", "", azure_load >= 10))
    fd = ops["from_dict"]["pydantic v2"] / ops["from_dict"]["ours"]
    rows.append(("from_dict faster than pydantic v2", f"{fd:.2f}× pydantic's speed", "", fd > 1))
    rows.append(("from_dict ≥ 2× pydantic v2's speed (issue 19)", f"{fd:.2f}× pydantic's speed", f"{fd / 2:.2f}× the target", fd >= 2))
    td = ops["to_dict"]["ours"] / ops["to_dict"]["pydantic v2"]
    rows.append(
        ("to_dict ≤ 0.5× pydantic v2's time", f"{td:.2f}× pydantic's time", f"{td / 0.5:.2f}× the target", td <= 0.5)
    )
    rows.append(
        ("to_dict ≤ ⅓ of pydantic v2's time (issue 19)", f"{td:.2f}× pydantic's time", f"{td * 3:.2f}× the target", td <= 1 / 3)
    )
    mem = memory["ours"] / memory["pydantic v2"]
    rows.append(
        ("a loaded job no larger than pydantic's (issue 19)", f"{memory['ours']:,.0f} B: {mem:.2f}× pydantic's", "", mem <= 1)
    )
    big = large["seconds"]["ours"] / large["seconds"]["CSafeLoader parse"]
    rows.append(("10 MB document ≤ 1.0× the CSafeLoader parse (issue 19)", f"{big:.2f}× the parse", "", big <= 1.0))
    az = ops["to_dict"]["azure-ai-ml"] / ops["to_dict"]["ours"]
    rows.append(
        (
            "to_dict ≥ 500× faster than azure-ai-ml _to_dict",
            f"{az:.0f}× faster",
            f"{az / 500:.2f}× the target",
            az >= 500,
        )
    )
    return rows


def write_results(result: dict[str, Any]) -> str:
    imports, ops = result["imports"], result["operations"]
    v = result["versions"]
    lines = [
        "# Runtime of the generated package",
        "",
        f"Measured by `python -m bench.bench_runtime` at {result['commit']} ({result['machine']}). A realistic command job "
        "(bench/data/command_job.yml: 3 inputs, 2 outputs, identity, distribution, resources, limits, a service). "
        f"Medians of {result['rounds']} interleaved rounds (imports: {result['import_rounds']} fresh interpreters each); "
        f"azure-ai-ml {v['azure-ai-ml']}, pydantic {v['pydantic']}, msgspec {v['msgspec']}, PyYAML {v['pyyaml']}.",
        "",
        "## Import (fresh interpreter)",
        "",
    ]
    rows = [
        [
            name,
            fmt_time(x["seconds"]),
            f"{x['mb']:.0f} MB",
            fmt_ratio(x["seconds"] / imports["aml_entities (ours)"]["seconds"]),
        ]
        for name, x in imports.items()
    ]
    lines.append(table(["library", "import", "memory added", "× ours"], rows))
    lines += ["## Operations (per job)", ""]
    rows = []
    for op, libs in ops.items():
        for lib, secs in libs.items():
            rows.append([f"`{op}`", lib, fmt_time(secs), fmt_ratio(secs / libs["ours"])])
    lines.append(table(["operation", "library", "time", "× ours"], rows))
    memory, large = result["memory"], result["large"]
    lines += [
        "## Memory (per loaded job, tracemalloc)",
        "",
        table(
            ["library", "bytes per job", "× ours"],
            [[lib, f"{b:,.0f}", fmt_ratio(b / memory["ours"])] for lib, b in memory.items()],
        ),
        "## A 10 MB document",
        "",
        f"The benchmark job with {large['inputs']:,} inputs and as many environment variables: "
        f"{large['bytes'] / 1e6:.1f} MB of YAML; medians of {large['rounds']} interleaved loads.",
        "",
        table(
            ["load", "time", "× the parse"],
            [
                [lib, fmt_time(t), fmt_ratio(t / large["seconds"]["CSafeLoader parse"])]
                for lib, t in large["seconds"].items()
            ],
        ),
    ]
    lines += ["## Targets (issues 7 and 19)", ""]
    lines.append(
        table(
            ["target", "measured", "vs target", "met"],
            [[t, m, b, "yes" if ok else "**no**"] for t, m, b, ok in result["verdicts"]],
        )
    )
    s = result["strictness"]
    lines += [
        "",
        f"`limits.timeout: '7200'` (a string for an int): ours {s['ours']}; pydantic v2 {s['pydantic v2']}; "
        f"msgspec {s['msgspec']}.",
        "",
    ]
    text = "\n".join(lines)
    (RESULTS / "runtime.md").write_text(text, encoding="utf-8")
    return text


def plot(result: dict[str, Any]) -> Path:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    from matplotlib.ticker import FuncFormatter

    ops = result["operations"]
    imports = result["imports"]
    colors = {
        "ours": "#1f77b4",
        "aml_entities (ours)": "#1f77b4",
        "aml_entities, first use (ours)": "#6baed6",
        "pydantic v2": "#ff7f0e",
        "pydantic v2 models": "#ff7f0e",
        "msgspec": "#2ca02c",
        "msgspec structs": "#2ca02c",
        "azure-ai-ml": "#d62728",
        "CSafeLoader parse": "#7f7f7f",
        "yaml (CSafeLoader)": "#7f7f7f",
    }
    fig, axes = plt.subplots(1, 4, figsize=(13, 3.6), dpi=80)
    panels = [
        ("import", {k: v["seconds"] for k, v in imports.items()}),
        *[(f"{op}()", libs) for op, libs in ops.items()],
    ]
    for ax, (title, libs) in zip(axes, panels, strict=True):
        names = list(libs)
        values = [libs[n] * 1e3 for n in names]
        ax.barh(range(len(names)), values, color=[colors.get(n, "#999999") for n in names])
        ax.set_yticks(range(len(names)), [n.replace(" (ours)", "\n(ours)") for n in names], fontsize=8)
        ax.invert_yaxis()
        ax.set_xscale("log")
        ax.set_xlabel("log scale", fontsize=8)
        ax.xaxis.set_major_formatter(FuncFormatter(lambda v, _pos: fmt_time(v / 1e3)))
        ax.set_title(title, fontsize=10)
        for i, v in enumerate(values):
            ax.text(v, i, " " + fmt_time(v / 1e3), va="center", fontsize=7)
        ax.set_xlim(min(values) / 3, max(values) * 30)
        ax.tick_params(axis="x", labelsize=7)
    fig.suptitle("Runtime on a realistic command job (median, lower is better)", fontsize=11)
    fig.tight_layout()
    path = RESULTS / "runtime.png"
    fig.savefig(path, dpi=80)
    plt.close(fig)
    return path


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.bench_runtime", description=__doc__.split("\n")[0])
    parser.add_argument("--rounds", type=int, default=25, help="interleaved rounds of the operations (default 25)")
    parser.add_argument("--import-rounds", type=int, default=7, help="fresh interpreters per import (default 7)")
    parser.add_argument("--large-rounds", type=int, default=5, help="loads of the 10 MB document (default 5)")
    args = parser.parse_args(argv)
    RESULTS.mkdir(parents=True, exist_ok=True)
    sys.path.insert(0, str(PACKAGE_DIR))
    machine = Machine().line()
    print("imports...", file=sys.stderr, flush=True)
    imports = measure_imports(args.import_rounds)
    print("operations...", file=sys.stderr, flush=True)
    ops = measure_operations(args.rounds)
    print("memory, large document...", file=sys.stderr, flush=True)
    memory = measure_memory()
    large = measure_large(args.large_rounds)
    result = {
        "machine": machine,
        "commit": git_state(),
        "rounds": args.rounds,
        "import_rounds": args.import_rounds,
        "versions": {p: pip_version(PYTHON, p) for p in ("azure-ai-ml", "pydantic", "msgspec", "pyyaml")},
        "imports": imports,
        "operations": ops,
        "memory": memory,
        "large": large,
        "strictness": strictness(),
    }
    result["verdicts"] = verdicts(imports, ops, memory, large)
    (RESULTS / "runtime.json").write_text(json.dumps(result, indent=1) + "\n", encoding="utf-8")
    print(write_results(result))
    print(f"plot: {plot(result).relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
