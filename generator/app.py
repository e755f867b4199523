"""The application layer: runs a command and turns what happened into text and an exit code.

Every command (``generate``, ``check``, ``diff``, ``watch``) reports spec problems, write errors
and results here, in one place: exit 0 when all is well (in sync, compatible), 1 when something
differs (out of date, an unacknowledged breaking change), 2 on an error (a bad spec, an output
that cannot be written).
"""

from __future__ import annotations

import sys
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, TextIO

from .errors import SpecError, SpecProblem
from .pipeline import diff_all, display_name, generate_all, spec_files, write_all
from .targets import TARGET_NAMES
from .write import WriteError, cleanup_leftovers

if TYPE_CHECKING:
    from .diff import Side

EXIT_OK, EXIT_DIFFERENT, EXIT_ERROR = 0, 1, 2


def print_problems(problems: Iterable[SpecProblem], stderr: TextIO, consequence: str = "") -> None:
    """Each problem on a line (``file:line:col: message``), then how many, and what it means."""
    listed = list(problems)
    for problem in listed:
        print(problem, file=stderr)
    count = f"{len(listed)} error{'s' if len(listed) != 1 else ''}"
    print(f"{count}; {consequence}" if consequence else count, file=stderr, flush=True)


@dataclass
class GenerateOptions:
    """What ``generate`` and ``check`` (and each round of ``watch``) work on."""

    specs: list[Path] = field(default_factory=list)
    spec_dir: Path = Path("spec")
    out: Path = Path("generated")
    targets: tuple[str, ...] = TARGET_NAMES
    use_cache: bool = True
    base: Path = field(default_factory=Path.cwd)

    def spec_list(self) -> list[Path]:
        """The specs named, else every ``*.yaml`` of the spec folder now."""
        return list(self.specs) or spec_files(self.spec_dir)


def generate(
    options: GenerateOptions,
    *,
    check: bool = False,
    stdout: TextIO | None = None,
    stderr: TextIO | None = None,
    kept: str = "",
) -> int:
    """Generate (or, with ``check``, compare with) the output folder; returns the exit code.

    ``kept`` says what happens to the output on an error (default: it is left untouched).
    """
    out_stream = stdout or sys.stdout
    err = stderr or sys.stderr
    consequence = kept or f"{options.out}/ left untouched"
    specs = options.spec_list()
    if not specs:
        print(f"error: no spec files (*.yaml) in {options.spec_dir}" + (f"; {kept}" if kept else ""), file=err, flush=True)
        return EXIT_ERROR
    try:
        generations = generate_all(specs, options.base, use_cache=options.use_cache, only=options.targets)
    except SpecError as exc:
        print_problems(exc.problems, err, consequence)
        return EXIT_ERROR
    if check:
        diff = diff_all(options.out, generations)
        if diff:
            out_stream.write(diff)
            print(f"\n{options.out}/ is out of date; update it with: python -m generator generate", file=err)
            return EXIT_DIFFERENT
        print(f"{options.out}/ is up to date", file=out_stream)
        return EXIT_OK
    try:
        cleanup_leftovers(options.out)
        changed = write_all(options.out, generations)
    except (WriteError, OSError) as exc:
        print(f"error: {exc}" + (f"; {kept}" if kept else ""), file=err, flush=True)
        return EXIT_ERROR
    plural = "s" if len(changed) != 1 else ""
    print(f"generated {len(changed)} changed file{plural} in {options.out}/", file=out_stream, flush=True)
    return EXIT_OK


# -- diff --------------------------------------------------------------------------------------


@dataclass
class DiffOptions:
    """What ``diff`` compares and how it reports."""

    sides: list[str] = field(default_factory=list)
    against: str | None = None
    spec_dir: Path = Path("spec")
    format: str = "text"
    allow_breaking: bool = False
    fail_on: str = "any"


def _spec_text(arg: str) -> tuple[str, str]:
    """(text, label) of one side of a diff: a spec file, or ``REV:path`` for a git revision of it."""
    from .diff.sides import DiffError, git_text, parse_side_argument, read_text

    rev, path = parse_side_argument(arg)
    label = display_name(path, Path.cwd())
    if rev is None:
        return read_text(path, label), label
    found = git_text(rev, path)
    if found is None:
        raise DiffError(f"{label}: no such file in {rev}")
    return found


def _diff_sides(options: DiffOptions, stderr: TextIO) -> list[tuple[Side, Side]] | None:
    """The (old, new) pairs to compare; None (after a message) when the arguments do not say."""
    from .diff.sides import build_side, git_text

    texts: list[tuple[tuple[str, str], tuple[str, str]]] = []
    problems: list[SpecProblem] = []
    if options.against:
        specs = [Path(s) for s in options.sides] or spec_files(options.spec_dir)
        if not specs:
            print(f"error: no spec files (*.yaml) in {options.spec_dir}", file=stderr)
            return None
        for spec in specs:
            old = git_text(options.against, spec)
            if old is None:
                print(f"{display_name(spec, Path.cwd())}: not in {options.against}, nothing to compare (a new spec)", file=stderr)
                continue
            try:
                texts.append((old, _spec_text(str(spec))))
            except SpecError as exc:
                problems += exc.problems
    elif len(options.sides) == 2:
        read: list[tuple[str, str]] = []
        for arg in options.sides:
            try:
                read.append(_spec_text(arg))
            except SpecError as exc:
                problems += exc.problems
        if len(read) == 2:
            texts.append((read[0], read[1]))
    else:
        print("error: diff needs OLD and NEW specs, or --against REV (see python -m generator diff --help)", file=stderr)
        return None
    pairs: list[tuple[Side, Side]] = []
    for old_side, new_side in texts:
        sides: list[Side] = []
        for text, label in (old_side, new_side):
            try:
                sides.append(build_side(text, label))
            except SpecError as exc:
                problems += exc.problems
        if len(sides) == 2:
            pairs.append((sides[0], sides[1]))
    if problems:
        raise SpecError(problems)
    return pairs


def diff(options: DiffOptions, *, stdout: TextIO | None = None, stderr: TextIO | None = None) -> int:
    """Compare spec versions; exit 0 when nothing unacknowledged breaks, 1 when something does, 2 on an error."""
    from .diff import compare
    from .diff.report import render
    from .diff.sides import DiffError

    out = stdout or sys.stdout
    err = stderr or sys.stderr
    try:
        pairs = _diff_sides(options, err)
    except SpecError as exc:
        print_problems(exc.problems, err)
        return EXIT_ERROR
    except DiffError as exc:
        print(f"error: {exc}", file=err)
        return EXIT_ERROR
    if pairs is None:
        return EXIT_ERROR
    comparisons = [compare(old, new) for old, new in pairs]
    out.write(render(comparisons, options.format, options.fail_on))
    failing = [c for comp in comparisons for c in comp.failing(options.fail_on)]
    if failing and not options.allow_breaking:
        print(
            f"{len(failing)} breaking change{'s' if len(failing) != 1 else ''} not acknowledged; acknowledge "
            "them in the spec (package.changelog, acknowledged_breaking: [id, ...]) or pass --allow-breaking",
            file=err,
        )
        return EXIT_DIFFERENT
    return EXIT_OK
