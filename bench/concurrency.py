"""Two (or more) ``generate`` runs at the same time on one repository: nothing may be lost.

Each trial copies a repository (``spec/aml_entities.yaml`` and a ``generated/`` tree that is out of date:
an edited module, a stale page of a removed type, a hand-written ``NOTES.md`` beside the generated folders),
starts ``--runs`` processes of ``python -m generator generate`` on it within a few milliseconds of each
other, and then checks what they left:

- every run reported success (exit 0);
- ``generated/`` is, byte for byte, the tree the spec generates (``lost``: a run said it succeeded while
  the tree is something else), and the hand-written file is still there, unchanged (``hand-written lost``);
- nothing is left beside the output folder (staging folders, the lock file).

    python -m bench.concurrency                    # 30 trials of 2 runs, the output cache warm
    python -m bench.concurrency --trials 100 --runs 3 --no-cache
    python -m bench.concurrency --code /tmp/old    # another checkout of the generator (e.g. before a fix)

Exit 0 when every trial ended well, else 1. ``tests/test_faults.py`` runs a few trials in CI.
"""

from __future__ import annotations

import argparse
import os
import random
import shutil
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SPEC = ROOT / "spec" / "aml_entities.yaml"
NOTES = "NOTES.md"
NOTES_TEXT = "Hand-written notes about the generated folders.\n"


def snapshot(out: Path) -> dict[str, bytes]:
    """Every file under ``out`` but byproducts (caches, build folders), with its bytes."""
    found: dict[str, bytes] = {}
    for path in sorted(out.rglob("*")):
        rel = path.relative_to(out)
        if any(p.startswith(".") or p in ("__pycache__", "build") or p.endswith(".egg-info") for p in rel.parts):
            continue
        if path.is_file():
            found[rel.as_posix()] = path.read_bytes()
    return found


def generate(repo: Path, env: dict[str, str], *extra: str) -> subprocess.Popen[bytes]:
    """Start one ``generate`` run in ``repo``."""
    return subprocess.Popen(
        [sys.executable, "-m", "generator", "generate", *extra, "spec/aml_entities.yaml"],
        cwd=repo, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
    )


def make_stale(out: Path) -> None:
    """Make the tree out of date in ways a run must repair: an edited module, a stale generated page."""
    models = out / "aml_entities" / "aml_entities" / "models.py"
    models.write_text(models.read_text(encoding="utf-8") + "# edited\n", encoding="utf-8")
    page = out / "aml_entities_docs" / "docs" / "en" / "Stale.md"
    index = (out / "aml_entities_docs" / "docs" / "en" / "index.md").read_text(encoding="utf-8")
    page.write_text(index.splitlines()[0] + "\n\n# A page of a removed type\n", encoding="utf-8")
    (out / NOTES).write_text(NOTES_TEXT, encoding="utf-8")


def leftovers(repo: Path) -> list[str]:
    """What runs left beside ``generated/``: staging folders, parked trees, the lock."""
    return sorted(p.name for p in repo.iterdir() if p.name.startswith((".generated", ".replaced-")))


def trial(work: Path, expected: dict[str, bytes], env: dict[str, str], args: argparse.Namespace, rng: random.Random) -> Counter[str]:
    """One trial; the counts of what went wrong (empty when all is well)."""
    repo = work / "repo"
    out = repo / "generated"
    shutil.rmtree(out, ignore_errors=True)
    for item in leftovers(repo):
        shutil.rmtree(repo / item, ignore_errors=True)
    shutil.copytree(work / "expected", out)
    make_stale(out)
    extra = ("--no-cache",) if args.no_cache else ()
    runs = []
    for _ in range(args.runs):
        runs.append(generate(repo, env, *extra))
        time.sleep(rng.uniform(0, args.stagger))
    codes = [run.wait(timeout=600) for run in runs]
    errors = [run.stderr.read().decode("utf-8", "replace").strip() if run.stderr else "" for run in runs]
    found: Counter[str] = Counter()
    if any(codes):
        found["a run failed"] += 1
        for code, error in zip(codes, errors, strict=True):
            if code:
                print(f"    exit {code}: {error.splitlines()[-1] if error else ''}", file=sys.stderr)
    after = snapshot(out) if out.is_dir() else {}
    notes = after.pop(NOTES, None)
    if notes != NOTES_TEXT.encode():
        found["hand-written lost"] += 1
    if after != expected:
        found["lost" if not any(codes) else "wrong tree"] += 1
        print(f"    generated/ holds {len(after)} of {len(expected)} files", file=sys.stderr)
    if leftovers(repo):
        found["leftovers"] += 1
    return found


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.concurrency", description=__doc__.split("\n")[0])
    parser.add_argument("--trials", type=int, default=30, help="how many trials (default: 30)")
    parser.add_argument("--runs", type=int, default=2, help="runs started together in each trial (default: 2)")
    parser.add_argument("--stagger", type=float, default=0.03, help="most seconds between two starts (default: 0.03)")
    parser.add_argument("--no-cache", action="store_true", help="runs regenerate everything (longer runs)")
    parser.add_argument("--code", type=Path, default=ROOT, help="the checkout of the generator to run (default: this one)")
    parser.add_argument("--spec", type=Path, default=SPEC, help="the spec to generate (default: spec/aml_entities.yaml)")
    parser.add_argument("--seed", type=int, default=18)
    args = parser.parse_args(argv)
    rng = random.Random(args.seed)
    with tempfile.TemporaryDirectory(prefix="concurrency-") as tmp:
        work = Path(tmp)
        repo = work / "repo"
        (repo / "spec").mkdir(parents=True)
        shutil.copy(args.spec, repo / "spec" / "aml_entities.yaml")
        env = {**os.environ, "PYTHONPATH": str(args.code.resolve()), "GENERATOR_CACHE": str(work / "cache")}
        first = generate(repo, env)
        if first.wait(timeout=600) != 0:
            print(f"error: the first generation failed: {first.stderr.read().decode() if first.stderr else ''}", file=sys.stderr)
            return 1
        shutil.move(repo / "generated", work / "expected")
        expected = snapshot(work / "expected")
        totals: Counter[str] = Counter()
        began = time.monotonic()
        for number in range(args.trials):
            found = trial(work, expected, env, args, rng)
            totals.update(found)
            totals["bad trials" if found else "good trials"] += 1
            if found:
                print(f"  trial {number + 1}: {', '.join(sorted(found))}", file=sys.stderr)
        took = time.monotonic() - began
    print(
        f"{args.trials} trials of {args.runs} concurrent runs ({'no cache' if args.no_cache else 'cache warm'}, "
        f"{len(expected)} files, {took:.0f} s): {totals['good trials']} good, {totals['bad trials']} bad"
    )
    for kind in ("a run failed", "lost", "wrong tree", "hand-written lost", "leftovers"):
        if totals[kind]:
            print(f"  {kind}: {totals[kind]}")
    return 1 if totals["bad trials"] else 0


if __name__ == "__main__":
    raise SystemExit(main())
