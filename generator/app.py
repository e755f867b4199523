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

from .api import EXIT_DIFFERENT, EXIT_ERROR, EXIT_OK, run
from .config import GenerateOptions, spec_files
from .errors import SpecError, SpecProblem
from .pipeline import display_name
from .terminal import Paint, ProgressLine, located

if TYPE_CHECKING:
    from .diff import Side
    from .diff.sides import SpecText

__all__ = ["EXIT_DIFFERENT", "EXIT_ERROR", "EXIT_OK", "DiffOptions", "GenerateOptions", "diff", "generate", "print_problems"]

#: The command that runs the generator, as messages tell it (``python -m generator`` sets its own).
PROG = "idlgen"


def print_problems(problems: Iterable[SpecProblem], stderr: TextIO, consequence: str = "") -> None:
    """Each problem on a line (``file:line:col: message``), then how many, and what it means."""
    paint = Paint(stderr)
    listed = list(problems)
    for problem in listed:
        print(paint.problem(str(problem)), file=stderr)
    count = f"{len(listed)} error{'s' if len(listed) != 1 else ''}"
    print(paint.error(f"{count}; {consequence}" if consequence else count), file=stderr, flush=True)


def generate(
    options: GenerateOptions,
    *,
    check: bool = False,
    stdout: TextIO | None = None,
    stderr: TextIO | None = None,
    kept: str = "",
    update: str = "",
) -> int:
    """Generate (or, with ``check``, compare with) the output folder; returns the exit code.

    ``kept`` says what happens to the output on an error (default: it is left untouched);
    ``update``: the command that updates the output, which ``check`` tells when it is out of date.
    """
    out_stream = stdout or sys.stdout
    err = stderr or sys.stderr
    progress = ProgressLine(err)
    try:
        result = run(options, check=check, progress=progress)
    finally:
        progress.done()
    paint = Paint(err)
    if result.problems:
        print_problems(result.problems, err, kept or f"{options.out}/ left untouched")
    elif result.error is not None:
        message = result.error if located(result.error) else f"error: {result.error}"
        print(paint.problem(message + (f"; {kept}" if kept else "")), file=err, flush=True)
    elif check and result.files:
        out_stream.write(Paint(out_stream).diff(stale_report(result.diffs, options.out)))
        out_stream.flush()
        command = update or f"{PROG} generate"
        print(paint.error(f"\n{options.out}/ is out of date; update it with: {command}"), file=err, flush=True)
    elif check:
        print(f"{options.out}/ is up to date", file=out_stream, flush=True)
    else:
        plural = "s" if len(result.files) != 1 else ""
        print(f"generated {len(result.files)} changed file{plural} in {options.out}/", file=out_stream, flush=True)
    return result.exit_code


def stale_report(diffs: dict[str, str], out: Path) -> str:
    """What ``check`` prints of the files out of date: the unified diff of each file ``out`` holds
    and should, and only the paths of those it lacks or should not hold (a missing output folder
    would otherwise print every line of every file)."""
    changed: list[str] = []
    missing: list[str] = []
    extra: list[str] = []
    for rel, text in diffs.items():
        old, new = text.split("\n", 2)[:2]
        if old == "--- /dev/null":
            missing.append(rel)
        elif new == "+++ /dev/null":
            extra.append(rel)
        else:
            changed.append(text)
    parts = ["".join(changed)] if changed else []
    for paths, what in ((missing, "missing from"), (extra, "no longer generated but still in")):
        if paths:
            plural = "s" if len(paths) != 1 else ""
            parts.append(f"{len(paths)} file{plural} {what} {out}/:\n" + "".join(f"  {rel}\n" for rel in paths))
    return "\n".join(parts)


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
    specs: list[Path] = field(default_factory=list)


def _spec_text(arg: str) -> SpecText:
    """One side of a diff: a spec file, or ``REV:path`` for a git revision of it."""
    from .diff.sides import DiffError, SpecText, git_text, parse_side_argument, read_text

    rev, path = parse_side_argument(arg)
    label = display_name(path, Path.cwd())
    if rev is None:
        return SpecText(read_text(path, label), label, str(path))
    found = git_text(rev, path)
    if found is None:
        raise DiffError(f"{label}: no such file in {rev}")
    return found


def _diff_sides(options: DiffOptions, stderr: TextIO) -> list[tuple[Side, Side]] | None:
    """The (old, new) pairs to compare; None (after a message) when the arguments do not say."""
    from .diff.sides import NoCommits, build_side, git_text

    texts: list[tuple[SpecText, SpecText]] = []
    problems: list[SpecProblem] = []
    if options.against:
        specs = [Path(s) for s in options.sides] or list(options.specs) or spec_files(options.spec_dir)
        if not specs:
            print(f"error: no spec files (*.yaml, *.yml) in {options.spec_dir}", file=stderr)
            return None
        for spec in specs:
            try:
                old = git_text(options.against, spec)
            except NoCommits as exc:  # the first commit: every spec is new, none breaks anything
                print(f"{exc}", file=stderr)
                return []
            if old is None:
                print(f"{display_name(spec, Path.cwd())}: not in {options.against}, nothing to compare (a new spec)", file=stderr)
                continue
            try:
                texts.append((old, _spec_text(str(spec))))
            except SpecError as exc:
                problems += exc.problems
    elif len(options.sides) == 2:
        read: list[SpecText] = []
        for arg in options.sides:
            try:
                read.append(_spec_text(arg))
            except SpecError as exc:
                problems += exc.problems
        if len(read) == 2:
            texts.append((read[0], read[1]))
    else:
        print(f"error: diff needs OLD and NEW specs, or --against REV (see {PROG} diff --help)", file=stderr)
        return None
    pairs: list[tuple[Side, Side]] = []
    for old_side, new_side in texts:
        sides: list[Side] = []
        for source in (old_side, new_side):
            try:
                sides.append(build_side(source.text, source.label, source.location, source.files))
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
