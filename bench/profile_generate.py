"""Profile one cold ``python -m generator generate`` of a synthetic spec with cProfile.

    python -m bench.profile_generate [N] [--top 25]

Runs the generator's command line in this process (an empty black cache, an empty output folder), prints
the top entries by cumulative time and writes them to bench/results/profile_N.txt. black runs in worker
processes when there is a lot to format: their time shows here as waiting (``format_many``, lock acquire).
"""

from __future__ import annotations

import argparse
import cProfile
import io
import os
import pstats
import shutil
import tempfile
import time
import traceback
from pathlib import Path

from . import synth_to_idl
from .common import RESULTS, Machine, git_state


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.profile_generate", description=__doc__.split("\n")[0])
    parser.add_argument("n", nargs="?", type=int, default=1000, help="entities (default 1000)")
    parser.add_argument("--top", type=int, default=25, help="entries to show (default 25)")
    args = parser.parse_args(argv)
    work = Path(tempfile.mkdtemp(prefix="idl-bench-prof-"))
    try:
        files = synth_to_idl.make_spec(args.n, work)
        os.environ["GENERATOR_CACHE"] = str(work / "cache")
        from generator.cli import main as generator_main

        here = Path.cwd()
        os.chdir(work)
        profile = cProfile.Profile()
        start = time.perf_counter()
        code: object = None
        try:
            profile.enable()
            try:
                code = generator_main(["generate", "--out", str(work / "out"), str(files["spec"].relative_to(work))])
            except BaseException as exc:  # a crash is a finding: report it with the profile so far
                frames = traceback.extract_tb(exc.__traceback__)
                where = "; ".join(f"{Path(f.filename).name}:{f.lineno} {f.name}" for f in frames[-3:])
                code = f"{type(exc).__name__}: {str(exc)[:200]} (at {where})"
            finally:
                profile.disable()
        finally:
            os.chdir(here)
        took = time.perf_counter() - start
        buf = io.StringIO()
        pstats.Stats(profile, stream=buf).sort_stats("cumulative").print_stats(args.top)
        head = (
            f"cold `python -m generator generate` of the {args.n}-entity synthetic spec: {took:.1f} s, "
            f"result {code!r}\n{Machine().line()}; generator at {git_state()}\n"
        )
        text = head + buf.getvalue()
        RESULTS.mkdir(parents=True, exist_ok=True)
        (RESULTS / f"profile_{args.n}.txt").write_text(text, encoding="utf-8")
        print(text)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
