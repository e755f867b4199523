"""``python -m generator``: generate and check (exit 0 in sync, 1 out of date, 2 on a spec error)."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from .errors import SpecError
from .pipeline import diff_all, generate_all, spec_files, write_all
from .write import WriteError, cleanup_leftovers

EXIT_OK, EXIT_DIFFERENT, EXIT_ERROR = 0, 1, 2


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m generator", description=__doc__)
    sub = parser.add_subparsers(dest="command", required=True)
    for name, text in (
        ("generate", "regenerate the output folder from the spec files"),
        ("check", "exit 0 if the output folder is what the specs generate, 1 (with a diff) if not"),
    ):
        cmd = sub.add_parser(name, help=text, description=text)
        cmd.add_argument("specs", nargs="*", type=Path, help="spec files (default: every spec/*.yaml)")
        cmd.add_argument("--spec-dir", type=Path, default=Path("spec"), help="folder of spec files (default: spec)")
        cmd.add_argument("--out", type=Path, default=Path("generated"), help="output folder (default: generated)")
        cmd.add_argument("--no-cache", action="store_true", help="format everything anew (ignore the black cache)")
    return parser


def main(argv: list[str] | None = None) -> int:
    """Run the command line; returns the exit code."""
    args = _parser().parse_args(argv)
    specs: list[Path] = args.specs or spec_files(args.spec_dir)
    if not specs:
        print(f"error: no spec files (*.yaml) in {args.spec_dir}", file=sys.stderr)
        return EXIT_ERROR
    try:
        generations = generate_all(specs, Path.cwd(), use_cache=not args.no_cache)
    except SpecError as exc:
        for problem in exc.problems:
            print(problem, file=sys.stderr)
        count = len(exc.problems)
        print(f"{count} error{'s' if count != 1 else ''}; {args.out}/ left untouched", file=sys.stderr)
        return EXIT_ERROR
    if args.command == "check":
        diff = diff_all(args.out, generations)
        if diff:
            sys.stdout.write(diff)
            print(f"\n{args.out}/ is out of date; update it with: python -m generator generate", file=sys.stderr)
            return EXIT_DIFFERENT
        print(f"{args.out}/ is up to date")
        return EXIT_OK
    try:
        cleanup_leftovers(args.out)
        changed = write_all(args.out, generations)
    except WriteError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return EXIT_ERROR
    print(f"generated {len(changed)} changed file{'s' if len(changed) != 1 else ''} in {args.out}/")
    return EXIT_OK
