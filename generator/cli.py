"""The command line (``idlgen``, or ``python -m generator``): its arguments, nothing else.

``generate`` and ``check`` (exit 0 in sync, 1 out of date, 2 on a spec error), ``diff`` two
versions of a spec (exit 0 compatible, 1 breaking, 2 on an error), and ``watch``. What a flag
does not say comes from the project's ``[tool.idl-generator]`` (see :mod:`generator.config`).
Ctrl-C stops ``generate``, ``check`` and ``diff`` with exit 130, the output as it was.
"""

from __future__ import annotations

import argparse
import shlex
import sys
from pathlib import Path

from . import __version__, app
from .config import ConfigError, Flags, options, target_list
from .targets import TARGET_NAMES
from .terminal import Paint

#: Output formats of ``diff`` (``generator.diff.report.FORMATS``; named here so that ``check`` does not import it).
DIFF_FORMATS = ("text", "markdown", "json", "changelog-entry")
DESCRIPTION = "Generate a Python package, its docs, a JSON Schema and pydantic models from YAML IDL specs."
#: The exit code of a run stopped by Ctrl-C (128 + SIGINT), as shells report it.
EXIT_INTERRUPTED = 130


def _targets(text: str) -> tuple[str, ...]:
    try:
        return target_list(text)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None


def _config_argument(cmd: argparse.ArgumentParser) -> None:
    cmd.add_argument(
        "--config",
        type=Path,
        metavar="FILE",
        help="the TOML file to read [tool.idl-generator] from (default: the pyproject.toml found from the specs "
        "or the current folder up to the top of the repository)",
    )


def _generation_arguments(cmd: argparse.ArgumentParser) -> argparse.ArgumentParser:
    """The arguments of the commands that generate: ``generate``, ``check`` and ``watch``."""
    cmd.add_argument("specs", nargs="*", type=Path, help="spec files (default: the config's specs, else every *.yaml and *.yml of the spec folder)")
    cmd.add_argument("--spec-dir", type=Path, help="folder of spec files (default: the config's spec_dir, else spec)")
    cmd.add_argument("--out", type=Path, help="output folder (default: the config's out, else generated)")
    cmd.add_argument(
        "--targets",
        type=_targets,
        metavar="NAMES",
        help=f"comma-separated targets to generate, the others' folders left as they are (default: the config's "
        f"targets, else all: {','.join(TARGET_NAMES)})",
    )
    cmd.add_argument("--templates", type=Path, metavar="DIR", help="a folder of templates that replace ours of the same names")
    cache = cmd.add_mutually_exclusive_group()
    cache.add_argument("--cache", type=Path, metavar="DIR", help="the cache folder (default: $GENERATOR_CACHE, else ~/.cache/idl-generator)")
    cache.add_argument("--no-cache", action="store_true", help="generate and format everything anew (use no cache)")
    _config_argument(cmd)
    return cmd


def _parser(prog: str = app.PROG) -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog=prog, description=DESCRIPTION)
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
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
        "to compare (default: every spec of the spec folder)",
    )
    cmd.add_argument("--against", metavar="REV", help="compare each spec with itself at this git revision (e.g. main)")
    cmd.add_argument("--spec-dir", type=Path, help="folder of spec files (default: the config's spec_dir, else spec)")
    cmd.add_argument("--format", choices=DIFF_FORMATS, default="text", help="output format (default: text)")
    cmd.add_argument("--allow-breaking", action="store_true", help="exit 0 even when a change breaks something")
    cmd.add_argument(
        "--fail-on",
        choices=("any", "api", "document"),
        default="any",
        help="which breaking changes make the exit code 1: for the Python API, for documents, or any (default)",
    )
    _config_argument(cmd)
    text = "regenerate the output folder whenever a spec or a template changes"
    cmd = _generation_arguments(sub.add_parser("watch", help=text, description=text))
    cmd.add_argument("--interval", type=float, default=0.5, help="seconds between two looks at the files (default: 0.5)")
    cmd.add_argument("--cycles", type=int, metavar="N", help="stop after N generations (the first one included)")
    cmd.add_argument("--timeout", type=float, metavar="SECONDS", help="stop after this many seconds")
    return parser


def _flags(args: argparse.Namespace) -> Flags:
    """What the arguments said (None where they said nothing: the config or the defaults decide)."""
    specs = getattr(args, "specs", None) or [Path(s) for s in getattr(args, "sides", [])] or None
    cache = False if getattr(args, "no_cache", False) else getattr(args, "cache", None)
    return Flags(
        specs=specs,
        spec_dir=args.spec_dir,
        out=getattr(args, "out", None),
        targets=getattr(args, "targets", None),
        cache=cache,
        templates=getattr(args, "templates", None),
        config=args.config,
    )


def _update_command(prog: str, argv: list[str]) -> str:
    """The command that updates what ``check`` found out of date: the same arguments, ``generate``."""
    words = list(argv)
    if "check" in words:
        words[words.index("check")] = "generate"
    return shlex.join([*shlex.split(prog), *words])


def _run(args: argparse.Namespace, prog: str, argv: list[str]) -> int:
    if args.command == "diff":
        if args.against and not args.sides:  # the specs of the project, as generate finds them
            opts = options(_flags(args))
            spec_dir, specs = opts.spec_dir, opts.specs
        else:
            spec_dir, specs = args.spec_dir or Path("spec"), []
        diff = app.DiffOptions(args.sides, args.against, spec_dir, args.format, args.allow_breaking, args.fail_on, specs)
        return app.diff(diff)
    opts = options(_flags(args))
    if args.command == "watch":
        from .watch import WatchOptions, watch  # imports jinja2: only when watching

        return watch(WatchOptions(opts, interval=args.interval, cycles=args.cycles, timeout=args.timeout))
    return app.generate(opts, check=args.command == "check", update=_update_command(prog, argv))


def main(argv: list[str] | None = None, prog: str = app.PROG) -> int:
    """Run the command line (``argv``: the arguments, default ``sys.argv[1:]``); returns the exit code."""
    words = sys.argv[1:] if argv is None else list(argv)
    args = _parser(prog).parse_args(words)
    try:
        return _run(args, prog, words)
    except ConfigError as exc:
        print(Paint(sys.stderr).problem(f"{exc}"), file=sys.stderr, flush=True)
        return app.EXIT_ERROR
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr, flush=True)
        return EXIT_INTERRUPTED
