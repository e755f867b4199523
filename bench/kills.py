"""``generate`` runs SIGKILLed at any moment, alone or beside another run: the output is never a mix.

Each round copies the out-of-date tree of ``bench.concurrency`` (an edited module, a stale generated page, a
hand-written ``NOTES.md``) and starts ``python -m generator generate`` on it, then SIGKILLs it: half of the
rounds at a moment spread over a whole run, half just after its staging folder appears (while it writes). With
``--pairs``, a second run is started beside the first and only the first is killed: the second must finish
with the new tree. After each kill:

- ``generated/`` is, byte for byte, the old tree or the new one (``mixed``: anything else), and the
  hand-written file is there (``hand-written lost``);
- a normal run afterwards gives the new tree and leaves nothing beside the output folder (``leftovers``).

    python -m bench.kills                      # 100 kills of a run alone, 100 beside another run
    python -m bench.kills --kills 20 --pairs 0
    python -m bench.kills --no-cache           # longer runs (every stage), kills spread over them

Exit 0 when every round ended well, else 1. ``tests/test_never_destroy.py`` kills 20 runs in CI.
"""

from __future__ import annotations

import argparse
import os
import random
import shutil
import signal
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

from .concurrency import NOTES, NOTES_TEXT, ROOT, SPEC, generate, leftovers, make_stale, snapshot


def _staging_appeared(repo: Path) -> bool:
    return any(".generating-" in name for name in leftovers(repo))


def kill_round(work: Path, trees: dict[str, dict[str, bytes]], env: dict[str, str], args: argparse.Namespace,
               rng: random.Random, number: int, pair: bool) -> Counter[str]:
    """One round: start (one or two runs), kill the first, check, repair; the counts of what happened."""
    repo = work / "repo"
    out = repo / "generated"
    shutil.rmtree(out, ignore_errors=True)
    shutil.copytree(work / "old", out)
    extra = ("--no-cache",) if args.no_cache else ()
    victim = generate(repo, env, *extra)
    other = generate(repo, env, *extra) if pair else None
    if number % 2 == 0:
        time.sleep(rng.uniform(0, args.duration * 1.05))
    else:
        deadline = time.monotonic() + args.duration * 3
        while not _staging_appeared(repo) and victim.poll() is None and time.monotonic() < deadline:
            time.sleep(0.0005)
        time.sleep(rng.uniform(0, 0.03))
    victim.send_signal(signal.SIGKILL)
    found: Counter[str] = Counter()
    found["killed" if victim.wait(timeout=600) != 0 else "finished before the kill"] += 1
    if other is not None and other.wait(timeout=600) != 0:
        found["the other run failed"] += 1
        print(f"    the other run: {other.stderr.read().decode(errors='replace').strip() if other.stderr else ''}", file=sys.stderr)
    after = snapshot(out) if out.is_dir() else {}
    if after.pop(NOTES, None) != NOTES_TEXT.encode():
        found["hand-written lost"] += 1
    state = "old" if after == trees["old"] else "new" if after == trees["new"] else "mixed"
    found[f"then {state}"] += 1
    if other is not None and state != "new":
        found["the other run's tree lost"] += 1
    repair = generate(repo, env)
    if repair.wait(timeout=600) != 0:
        found["the next run failed"] += 1
    after = snapshot(out)
    after.pop(NOTES, None)
    if after != trees["new"]:
        found["the next run's tree is wrong"] += 1
    if leftovers(repo):
        found["leftovers"] += 1
        print(f"    left: {leftovers(repo)}", file=sys.stderr)
    return found


BAD = ("then mixed", "hand-written lost", "the other run failed", "the other run's tree lost",
       "the next run failed", "the next run's tree is wrong", "leftovers")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.kills", description=__doc__.split("\n")[0])
    parser.add_argument("--kills", type=int, default=100, help="rounds with a run alone (default: 100)")
    parser.add_argument("--pairs", type=int, default=100, help="rounds with a second run beside the killed one (default: 100)")
    parser.add_argument("--no-cache", action="store_true", help="runs regenerate everything (longer runs)")
    parser.add_argument("--code", type=Path, default=ROOT, help="the checkout of the generator to run (default: this one)")
    parser.add_argument("--spec", type=Path, default=SPEC, help="the spec to generate (default: spec/aml_entities.yaml)")
    parser.add_argument("--seed", type=int, default=18)
    args = parser.parse_args(argv)
    rng = random.Random(args.seed)
    with tempfile.TemporaryDirectory(prefix="kills-") as tmp:
        work = Path(tmp)
        repo = work / "repo"
        (repo / "spec").mkdir(parents=True)
        shutil.copy(args.spec, repo / "spec" / "aml_entities.yaml")
        env = {**os.environ, "PYTHONPATH": str(args.code.resolve()), "GENERATOR_CACHE": str(work / "cache")}
        began = time.monotonic()
        if generate(repo, env).wait(timeout=600) != 0:
            print("error: the first generation failed", file=sys.stderr)
            return 1
        shutil.copytree(repo / "generated", work / "old")
        make_stale(work / "old")
        trees = {"new": snapshot(repo / "generated"), "old": snapshot(work / "old")}
        trees["old"].pop(NOTES)
        shutil.rmtree(repo / "generated")
        shutil.copytree(work / "old", repo / "generated")
        timed = time.monotonic()
        generate(repo, env, *(("--no-cache",) if args.no_cache else ())).wait(timeout=600)
        args.duration = time.monotonic() - timed  # how long a run takes, to spread the kills over it
        totals: Counter[str] = Counter()
        for number in range(args.kills + args.pairs):
            pair = number >= args.kills
            found = kill_round(work, trees, env, args, rng, number, pair)
            totals.update({f"{'pair' if pair else 'alone'}: {k}": v for k, v in found.items()})
            if any(found[kind] for kind in BAD):
                print(f"  round {number + 1} ({'pair' if pair else 'alone'}): {dict(found)}", file=sys.stderr)
        took = time.monotonic() - began
    print(f"{args.kills} kills of a run alone, {args.pairs} beside another run ({'no cache' if args.no_cache else 'cache warm'}, "
          f"a run {args.duration:.2f} s, {took:.0f} s in all):")
    for kind, count in sorted(totals.items()):
        print(f"  {kind}: {count}")
    return 1 if any(count for kind, count in totals.items() if kind.split(": ", 1)[1] in BAD) else 0


if __name__ == "__main__":
    raise SystemExit(main())
