"""``python -m generator``: generate and check (exit 0 in sync, 1 out of date, 2 on a spec error),
diff two versions of a spec (exit 0 compatible, 1 breaking, 2 on an error), and watch."""

from __future__ import annotations

import argparse
from pathlib import Path

from . import app
from .targets import TARGET_NAMES

#: Output formats of ``diff`` (``generator.diff.report.FORMATS``; named here so that ``check`` does not import it).
DIFF_FORMATS = ("text", "markdown", "json", "changelog-entry")


def _target_list(text: str) -> tuple[str, ...]:
    """``package,docs`` → the targets named, checked against the known ones."""
    names = tuple(dict.fromkeys(n.strip() for n in text.split(",") if n.strip()))
    unknown = [n for n in names if n not in TARGET_NAMES]
    if unknown or not names:
        raise argparse.ArgumentTypeError(f"unknown target {', '.join(unknown) or '(none given)'}: choose among {', '.join(TARGET_NAMES)}")
    return names


def _generation_arguments(cmd: argparse.ArgumentParser) -> argparse.ArgumentParser:
    """The arguments of the commands that generate: ``generate``, ``check`` and ``watch``."""
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
    return cmd


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m generator", description=__doc__)
    sub = parser.add_subparsers(dest="command", required=True)
    for name, text in (
        ("generate", "regenerate the output folder from the spec files"),
        ("check", "exit 0 if the output folder is what the specs generate, 1 (with a diff) if not"),
    ):
        _generation_arguments(sub.add_parser(name, help=text, description=text))
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
    cmd = _generation_arguments(sub.add_parser("watch", help=text, description=text))
    cmd.add_argument("--interval", type=float, default=0.5, help="seconds between two looks at the files (default: 0.5)")
    cmd.add_argument("--cycles", type=int, metavar="N", help="stop after N generations (the first one included)")
    cmd.add_argument("--timeout", type=float, metavar="SECONDS", help="stop after this many seconds")
    return parser


def _generate_options(args: argparse.Namespace) -> app.GenerateOptions:
    return app.GenerateOptions(
        specs=list(args.specs), spec_dir=args.spec_dir, out=args.out, targets=args.targets, use_cache=not args.no_cache
    )


def _watch(args: argparse.Namespace) -> int:
    from .watch import WatchOptions, watch  # imports jinja2: only when watching

    options = WatchOptions(_generate_options(args), interval=args.interval, cycles=args.cycles, timeout=args.timeout)
    return watch(options)


def main(argv: list[str] | None = None) -> int:
    """Run the command line; returns the exit code."""
    args = _parser().parse_args(argv)
    if args.command == "diff":
        options = app.DiffOptions(args.sides, args.against, args.spec_dir, args.format, args.allow_breaking, args.fail_on)
        return app.diff(options)
    if args.command == "watch":
        return _watch(args)
    return app.generate(_generate_options(args), check=args.command == "check")
