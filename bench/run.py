"""Run every benchmark: ``python -m bench.run [--quick]`` (``bash bench/run.sh`` sets up the venvs first).

The generation benchmarks (bench/bench_generate.py), then the runtime ones (bench/bench_runtime.py, and
bench/bench_workflows.py for the GitHub Actions workflow package); each
writes its table (Markdown), its figures (JSON) and its plot (PNG) into bench/results/. ``--quick`` is a
short check that everything runs (sizes 30 and 300, one round, LinkML gen-doc left in): not for publishing.
"""

from __future__ import annotations

import argparse

from . import bench_generate, bench_runtime, bench_workflows


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.run", description=__doc__.split("\n")[0])
    parser.add_argument("--quick", action="store_true", help="a short run that checks everything works")
    args = parser.parse_args(argv)
    if args.quick:
        bench_generate.main(["--sizes", "30,300", "--rounds", "30:1,300:1", "--commandjob-rounds", "1"])
        bench_runtime.main(["--rounds", "5", "--import-rounds", "2", "--large-rounds", "1"])
        bench_workflows.main(["--rounds", "2"])
    else:
        bench_generate.main([])
        bench_runtime.main([])
        bench_workflows.main([])
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
