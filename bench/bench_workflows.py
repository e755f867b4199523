"""Runtime of the second golden package (GitHub Actions workflows, generated/github_workflow), side by side
with pydantic models of the same shape (generated/github_workflow_pydantic: datamodel-code-generator's, from
our JSON Schema, strict) and check-jsonschema's validator of the published workflow schema.

    python -m bench.bench_workflows [--rounds 15]

On every file of the corpus (tests/formats/github_actions/corpus) that check-jsonschema accepts and both our
loader and the pydantic models take, each sample handles all of them once: ``from_dict`` (the YAML read
beforehand, as GitHub reads it: ``on`` is a key), ``to_dict`` (back to the document form), the published
schema's validation of the same data (a verdict, no object), and loading from the text against libyaml's
parse alone. The cases are interleaved within every round; figures are medians, ratios from the same run.
Writes bench/results/workflows.md and workflows.json.
"""

from __future__ import annotations

import argparse
import io
import json
import sys
from typing import Any

import yaml

from .common import (
    PYTHON,
    RESULTS,
    ROOT,
    Machine,
    fmt_ratio,
    fmt_time,
    git_state,
    interleaved,
    median,
    pip_version,
    table,
)

GENERATED = ROOT / "generated"


def _importable() -> None:
    """The generated packages of this checkout and the tests' corpus helpers, ahead of any installed copy."""
    for folder in (ROOT / "tests", GENERATED / "github_workflow", GENERATED / "github_workflow_pydantic"):
        if str(folder) not in sys.path:
            sys.path.insert(0, str(folder))


def corpus() -> tuple[list[str], list[Any]]:
    """The texts and the read documents of the corpus files every library takes."""
    import github_workflow
    from formats.github_actions import judge
    from github_workflow_pydantic.models import Workflow

    texts, docs = [], []
    for item in judge.collected():
        if not item.valid:
            continue
        doc = judge.read_yaml(item.text)
        try:
            github_workflow.Workflow.from_dict(doc)
            Workflow.model_validate(doc)
        except (github_workflow.DocumentError, ValueError):
            continue  # a disagreement the README lists
        texts.append(item.text)
        docs.append(doc)
    return texts, docs


def measure(rounds: int) -> dict[str, Any]:
    _importable()
    import github_workflow
    from formats.github_actions import judge
    from github_workflow_pydantic.models import Workflow

    texts, docs = corpus()
    published = judge.Published().validator
    ours = [github_workflow.Workflow.from_dict(d) for d in docs]
    pyd = [Workflow.model_validate(d) for d in docs]
    assert all(o.to_dict() == d for o, d in zip(ours, docs, strict=True)), "ours round trips"

    def each(fn: Any, items: list[Any]) -> Any:
        return lambda: [fn(x) for x in items]

    cases = {
        "from_dict/ours": each(github_workflow.Workflow.from_dict, docs),
        "from_dict/pydantic (datamodel-code-generator)": each(Workflow.model_validate, docs),
        "from_dict/check-jsonschema (validation only)": each(published.is_valid, docs),
        "to_dict/ours": each(lambda o: o.to_dict(), ours),
        "to_dict/pydantic (datamodel-code-generator)": each(lambda m: m.model_dump(by_alias=True, exclude_unset=True), pyd),
        "load (text)/ours": each(lambda t: github_workflow.load_workflow(io.StringIO(t)), texts),
        "load (text)/CSafeLoader parse": each(lambda t: yaml.load(t, Loader=yaml.CSafeLoader), texts),
    }
    samples = interleaved(cases, rounds)
    out: dict[str, dict[str, float]] = {}
    for key, values in samples.items():
        op, lib = key.split("/", 1)
        out.setdefault(op, {})[lib] = median(values)
    return {"files": len(docs), "bytes": sum(len(t.encode("utf-8")) for t in texts), "operations": out}


def write_results(result: dict[str, Any]) -> str:
    ops = result["operations"]
    v = result["versions"]
    lines = [
        "# Runtime of the GitHub Actions workflow package",
        "",
        f"Measured by `python -m bench.bench_workflows` at {result['commit']} ({result['machine']}). "
        f"The {result['files']} workflow files of the corpus ({result['bytes'] / 1e3:.0f} kB) that check-jsonschema "
        "accepts and both our loader and the pydantic models take, each handled once per sample; medians of "
        f"{result['rounds']} interleaved rounds; pydantic {v['pydantic']}, check-jsonschema {v['check-jsonschema']}, "
        f"PyYAML {v['pyyaml']}.",
        "",
    ]
    rows = []
    for op, libs in ops.items():
        first = next(iter(libs.values()))
        for lib, secs in libs.items():
            rows.append([f"`{op}`", lib, fmt_time(secs), fmt_time(secs / result["files"]), fmt_ratio(secs / first)])
    lines.append(table(["operation", "library", "the corpus", "per file", "× ours"], rows))
    text = "\n".join(lines)
    (RESULTS / "workflows.md").write_text(text, encoding="utf-8")
    return text


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.bench_workflows", description=__doc__.split("\n")[0])
    parser.add_argument("--rounds", type=int, default=15, help="interleaved rounds (default 15)")
    args = parser.parse_args(argv)
    RESULTS.mkdir(parents=True, exist_ok=True)
    machine = Machine().line()
    result = measure(args.rounds)
    result.update(
        machine=machine,
        commit=git_state(),
        rounds=args.rounds,
        versions={p: pip_version(PYTHON, p) for p in ("pydantic", "check-jsonschema", "pyyaml")},
    )
    (RESULTS / "workflows.json").write_text(json.dumps(result, indent=1) + "\n", encoding="utf-8")
    print(write_results(result))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
