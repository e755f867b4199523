"""``python -m generator``: generate and check (exit 0 in sync, 1 out of date, 2 on a spec error),
diff two versions of a spec (exit 0 compatible, 1 breaking, 2 on an error), and watch."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from .errors import SpecError, SpecProblem
from .pipeline import TARGET_NAMES, diff_all, display_name, generate_all, spec_files, write_all
from .write import WriteError, cleanup_leftovers

if TYPE_CHECKING:
    from . import diff as spec_diff

EXIT_OK, EXIT_DIFFERENT, EXIT_ERROR = 0, 1, 2
#: Output formats of ``diff`` (``generator.diff.FORMATS``; named here so that ``check`` does not import it).
DIFF_FORMATS = ("text", "markdown", "json", "changelog-entry")


def _target_list(text: str) -> tuple[str, ...]:
    """``package,docs`` → the targets named, checked against the known ones."""
    names = tuple(dict.fromkeys(n.strip() for n in text.split(",") if n.strip()))
    unknown = [n for n in names if n not in TARGET_NAMES]
    if unknown or not names:
        raise argparse.ArgumentTypeError(f"unknown target {', '.join(unknown) or '(none given)'}: choose among {', '.join(TARGET_NAMES)}")
    return names


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
        cmd.add_argument(
            "--targets",
            type=_target_list,
            default=TARGET_NAMES,
            metavar="NAMES",
            help=f"comma-separated targets to generate, the others' folders left as they are (default: all: "
            f"{','.join(TARGET_NAMES)})",
        )
    text = "compare two versions of a spec: what changed, and whether it breaks the Python API or documents"
    cmd = sub.add_parser("diff", help=text, description=text + " (exit 0 compatible, 1 breaking, 2 on an error)")
    cmd.add_argument(
        "sides",
        nargs="*",
        metavar="SPEC",
        help="OLD NEW (each a spec file, or REV:path for a git revision of it); with --against, the specs "
        "to compare (default: every spec/*.yaml)",
    )
    cmd.add_argument("--against", metavar="REV", help="compare each spec with itself at this git revision (e.g. main)")
    cmd.add_argument("--spec-dir", type=Path, default=Path("spec"), help="folder of spec files (default: spec)")
    cmd.add_argument("--format", choices=DIFF_FORMATS, default="text", help="output format (default: text)")
    cmd.add_argument("--allow-breaking", action="store_true", help="exit 0 even when a change breaks something")
    cmd.add_argument(
        "--fail-on",
        choices=("any", "api", "document"),
        default="any",
        help="which breaking changes make the exit code 1: for the Python API, for documents, or any (default)",
    )
    text = "regenerate the output folder whenever a spec or a template changes"
    cmd = sub.add_parser("watch", help=text, description=text)
    cmd.add_argument("specs", nargs="*", type=Path, help="spec files (default: every spec/*.yaml)")
    cmd.add_argument("--spec-dir", type=Path, default=Path("spec"), help="folder of spec files (default: spec)")
    cmd.add_argument("--out", type=Path, default=Path("generated"), help="output folder (default: generated)")
    cmd.add_argument("--no-cache", action="store_true", help="format everything anew (ignore the black cache)")
    cmd.add_argument("--interval", type=float, default=0.5, help="seconds between two looks at the files (default: 0.5)")
    cmd.add_argument("--cycles", type=int, metavar="N", help="stop after N generations (the first one included)")
    cmd.add_argument("--timeout", type=float, metavar="SECONDS", help="stop after this many seconds")
    return parser


def _print_problems(exc: SpecError) -> None:
    for problem in exc.problems:
        print(problem, file=sys.stderr)
    count = len(exc.problems)
    print(f"{count} error{'s' if count != 1 else ''}", file=sys.stderr)


def _spec_text(arg: str) -> tuple[str, str]:
    """(text, label) of one side of a diff: a spec file, or ``REV:path`` for a git revision of it."""
    from . import diff as spec_diff  # imported by diff only: check stays light

    rev, path = spec_diff.parse_side_argument(arg)
    label = display_name(path, Path.cwd())
    if rev is None:
        return spec_diff.read_text(path, label), label
    found = spec_diff.git_text(rev, path)
    if found is None:
        raise spec_diff.DiffError(f"{label}: no such file in {rev}")
    return found


def _diff_sides(args: argparse.Namespace) -> list[tuple[spec_diff.Side, spec_diff.Side]] | None:
    """The (old, new) pairs to compare; None (after a message) when the arguments do not say."""
    from . import diff as spec_diff  # imported by diff only: check stays light

    texts: list[tuple[tuple[str, str], tuple[str, str]]] = []
    problems: list[SpecProblem] = []
    if args.against:
        specs = [Path(s) for s in args.sides] or spec_files(args.spec_dir)
        if not specs:
            print(f"error: no spec files (*.yaml) in {args.spec_dir}", file=sys.stderr)
            return None
        for spec in specs:
            old = spec_diff.git_text(args.against, spec)
            if old is None:
                print(f"{display_name(spec, Path.cwd())}: not in {args.against}, nothing to compare (a new spec)", file=sys.stderr)
                continue
            try:
                texts.append((old, _spec_text(str(spec))))
            except SpecError as exc:
                problems += exc.problems
    elif len(args.sides) == 2:
        read: list[tuple[str, str]] = []
        for arg in args.sides:
            try:
                read.append(_spec_text(arg))
            except SpecError as exc:
                problems += exc.problems
        if len(read) == 2:
            texts.append((read[0], read[1]))
    else:
        print("error: diff needs OLD and NEW specs, or --against REV (see python -m generator diff --help)", file=sys.stderr)
        return None
    pairs: list[tuple[spec_diff.Side, spec_diff.Side]] = []
    for old, new in texts:
        sides: list[spec_diff.Side] = []
        for text, label in (old, new):
            try:
                sides.append(spec_diff.build_side(text, label))
            except SpecError as exc:
                problems += exc.problems
        if len(sides) == 2:
            pairs.append((sides[0], sides[1]))
    if problems:
        raise SpecError(problems)
    return pairs


def _diff(args: argparse.Namespace) -> int:
    from . import diff as spec_diff  # imported by diff only: check stays light

    try:
        pairs = _diff_sides(args)
    except SpecError as exc:
        _print_problems(exc)
        return EXIT_ERROR
    except spec_diff.DiffError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return EXIT_ERROR
    if pairs is None:
        return EXIT_ERROR
    comparisons = [spec_diff.compare(old, new) for old, new in pairs]
    sys.stdout.write(spec_diff.render(comparisons, args.format, args.fail_on))
    failing = [c for comp in comparisons for c in comp.failing(args.fail_on)]
    if failing and not args.allow_breaking:
        print(
            f"{len(failing)} breaking change{'s' if len(failing) != 1 else ''} not acknowledged; acknowledge "
            "them in the spec (package.changelog, acknowledged_breaking: [id, ...]) or pass --allow-breaking",
            file=sys.stderr,
        )
        return EXIT_DIFFERENT
    return EXIT_OK


def _watch(args: argparse.Namespace) -> int:
    from .watch import WatchOptions, watch  # imports jinja2: only when watching

    options = WatchOptions(
        specs=list(args.specs),
        spec_dir=args.spec_dir,
        out=args.out,
        interval=args.interval,
        cycles=args.cycles,
        timeout=args.timeout,
        use_cache=not args.no_cache,
    )
    return watch(options)


def main(argv: list[str] | None = None) -> int:
    """Run the command line; returns the exit code."""
    args = _parser().parse_args(argv)
    if args.command == "diff":
        return _diff(args)
    if args.command == "watch":
        return _watch(args)
    specs: list[Path] = args.specs or spec_files(args.spec_dir)
    if not specs:
        print(f"error: no spec files (*.yaml) in {args.spec_dir}", file=sys.stderr)
        return EXIT_ERROR
    try:
        generations = generate_all(specs, Path.cwd(), use_cache=not args.no_cache, only=args.targets)
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
