"""from_dict and to_dict of the realistic job alone, against pydantic v2, for work on the generated code.

    python -m bench.bench_codec [--rounds 40] [--baseline DIR]

The same cases as ``bench_runtime.measure_operations`` (bench/data/command_job.yml; pydantic's
``model_validate`` and ``model_dump(by_alias=True, exclude_none=True)``), interleaved in one process, many
rounds, medians; nothing is written. ``--baseline DIR``: a copy of an earlier generated package, its folder
renamed (``DIR/aml_base``, imported as ``aml_base``), timed in the same rounds, so that a change is told by
ratios of one run.
"""

from __future__ import annotations

import argparse
import importlib
import sys
from collections.abc import Callable
from pathlib import Path

import yaml

from .bench_runtime import JOB, PACKAGE_DIR
from .common import fmt_ratio, fmt_time, interleaved, median


def cases(baseline: Path | None) -> dict[str, Callable[[], object]]:
    """The timed calls, each checked once to give the same document back."""
    sys.path.insert(0, str(PACKAGE_DIR))
    import aml_entities

    from . import models_pydantic

    data = yaml.load(JOB.read_text(encoding="utf-8"), Loader=yaml.CSafeLoader)
    packages = {"ours": aml_entities}
    if baseline is not None:
        sys.path.insert(0, str(baseline))
        packages["baseline"] = importlib.import_module("aml_base")
    out: dict[str, Callable[[], object]] = {}
    for name, package in packages.items():
        job = package.CommandJob.from_dict(data)
        assert job.to_dict() == data, f"{name} round trip"
        out[f"from_dict/{name}"] = lambda package=package: package.CommandJob.from_dict(data)
        out[f"to_dict/{name}"] = job.to_dict
    pyd = models_pydantic.from_dict(data)
    assert models_pydantic.to_dict(pyd) == data, "pydantic round trip"
    out["from_dict/pydantic v2"] = lambda: models_pydantic.from_dict(data)
    out["to_dict/pydantic v2"] = lambda: models_pydantic.to_dict(pyd)
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.bench_codec", description=__doc__.split("\n")[0])
    parser.add_argument("--rounds", type=int, default=40, help="interleaved rounds (default 40)")
    parser.add_argument("--baseline", type=Path, help="a folder holding an earlier package as aml_base/")
    args = parser.parse_args(argv)
    samples = interleaved(cases(args.baseline), args.rounds)
    medians = {name: median(values) for name, values in samples.items()}
    for op in ("from_dict", "to_dict"):
        pyd = medians[f"{op}/pydantic v2"]
        for name, took in medians.items():
            if name.startswith(op + "/"):
                # from_dict: how many times pydantic's speed; to_dict: the fraction of pydantic's time
                ratio = pyd / took if op == "from_dict" else took / pyd
                print(f"{name:24} {fmt_time(took):>10}  {fmt_ratio(ratio)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
