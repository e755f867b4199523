"""The Python API for build tools: :func:`generate` and :func:`check`, returning a :class:`Result`.

They do what the commands of the same names do, with the same options and the same config
(``[tool.idl-generator]`` of the project's ``pyproject.toml``), and print nothing::

    import generator

    result = generator.generate()                      # as `idlgen generate` in the current folder
    result = generator.check(out="build/generated")    # as `idlgen check --out build/generated`
    if not result.ok:
        for problem in result.problems:                # spec problems: file:line:col: message
            print(problem)
        print(result.error or result.diff)
"""

from __future__ import annotations

import os
import sys
import traceback
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from .config import ConfigError, Flags, GenerateOptions, options, target_list
from .errors import SpecError, SpecProblem
from .pipeline import Progress, differences, display_name, generate_all, refuse_hand_written, write_all
from .write import WriteError, cleanup_leftovers

EXIT_OK, EXIT_DIFFERENT, EXIT_ERROR = 0, 1, 2


@dataclass
class Result:
    """What a run of :func:`generate` or :func:`check` did.

    ``files``: the paths under ``out`` that ``generate`` wrote, or that ``check`` found out of
    date (``diff`` holds their unified diff, ``diffs`` each file's, by path). ``problems``: the mistakes found in the specs, each
    with its position (``str()`` gives ``file:line:col: message``). ``error``: what went wrong
    besides the specs (no spec files, a bad config, a template error, an output that cannot be
    written), else None. When anything went wrong, nothing was written.
    """

    out: Path
    checked: bool = False
    files: list[str] = field(default_factory=list)
    problems: list[SpecProblem] = field(default_factory=list)
    error: str | None = None
    diff: str = ""
    diffs: dict[str, str] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        """True when the specs generated and, for a check, the output was up to date."""
        return not self.problems and self.error is None and not (self.checked and self.files)

    @property
    def exit_code(self) -> int:
        """What the command line exits with: 0 all well, 1 out of date, 2 an error."""
        if self.problems or self.error is not None:
            return EXIT_ERROR
        return EXIT_DIFFERENT if self.checked and self.files else EXIT_OK


@contextmanager
def cache_folder(folder: Path | None) -> Iterator[None]:
    """Within the block, the caches live in ``folder`` (None: where they are)."""
    if folder is None:
        yield
        return
    old = os.environ.get("GENERATOR_CACHE")
    os.environ["GENERATOR_CACHE"] = str(folder.absolute())
    try:
        yield
    finally:
        if old is None:
            del os.environ["GENERATOR_CACHE"]
        else:
            os.environ["GENERATOR_CACHE"] = old


def template_location(exc: BaseException, base: Path) -> str:
    """``templates/x.j2:LINE`` of a template error, from the error or its traceback."""
    name, line = getattr(exc, "filename", None) or getattr(exc, "name", None), getattr(exc, "lineno", None)
    if name and line:
        return f"{display_name(Path(name), base)}:{line}"
    frames = [f for f in traceback.extract_tb(exc.__traceback__) if f.filename.endswith(".j2")]
    if frames:
        return f"{display_name(Path(frames[-1].filename), base)}:{frames[-1].lineno}"
    return "templates"


def _template_error(exc: Exception) -> str | None:
    """The message of a Jinja template error (a user's template, say), else None."""
    jinja2 = sys.modules.get("jinja2")  # loaded only when something rendered
    if jinja2 is None or not isinstance(exc, jinja2.TemplateError):
        return None
    return f"{template_location(exc, Path.cwd())}: template error: {exc.message}"


def run(options: GenerateOptions, *, check: bool = False, progress: Progress | None = None) -> Result:
    """Generate (or, with ``check``, compare with) the output folder of ``options``."""
    result = Result(options.out, checked=check)
    specs = options.spec_list()
    if not specs:
        result.error = f"no spec files (*.yaml, *.yml) in {options.spec_dir}"
        return result
    with cache_folder(options.cache_dir):
        try:
            generations = generate_all(
                specs,
                options.base,
                use_cache=options.use_cache,
                only=options.targets,
                templates=options.templates,
                progress=progress,
                shown=Path.cwd(),
            )
        except SpecError as exc:
            result.problems = list(exc.problems)
            return result
        except Exception as exc:
            result.error = _template_error(exc)
            if result.error is None:
                raise
            return result
    if check:
        try:
            refuse_hand_written(options.out, generations)
        except (WriteError, OSError) as exc:
            result.error = str(exc)
            return result
        found = differences(options.out, generations)
        result.files, result.diff, result.diffs = list(found), "".join(found.values()), found
        return result
    if progress is not None:
        progress(f"writing {options.out}/")
    try:
        cleanup_leftovers(options.out)
        result.files = write_all(options.out, generations)
    except (WriteError, OSError) as exc:
        result.error = str(exc)
    return result


def _flags(
    specs: Sequence[str | os.PathLike[str]],
    spec_dir: str | os.PathLike[str] | None,
    out: str | os.PathLike[str] | None,
    targets: Sequence[str] | str | None,
    templates: str | os.PathLike[str] | None,
    cache: str | os.PathLike[str] | bool | None,
    config: str | os.PathLike[str] | bool | None,
) -> Flags:
    def path(value: str | os.PathLike[str] | None) -> Path | None:
        return Path(value) if value is not None else None

    names = None
    if targets is not None:
        names = target_list(targets if isinstance(targets, str) else ",".join(targets))
    return Flags(
        specs=[Path(s) for s in specs] or None,
        spec_dir=path(spec_dir),
        out=path(out),
        targets=names,
        cache=cache if isinstance(cache, bool) else path(cache),
        templates=path(templates),
        config=config if isinstance(config, bool) else path(config),
    )


def _api(check: bool, out: str | os.PathLike[str] | None, flags: Callable[[], Flags]) -> Result:
    """Run with the options the flags and the config say, a bad config or flag an error of the result."""
    try:
        opts = options(flags())
    except (ConfigError, ValueError) as exc:
        return Result(Path(out or "generated"), checked=check, error=str(exc))
    return run(opts, check=check)


def generate(
    specs: Sequence[str | os.PathLike[str]] = (),
    *,
    spec_dir: str | os.PathLike[str] | None = None,
    out: str | os.PathLike[str] | None = None,
    targets: Sequence[str] | str | None = None,
    templates: str | os.PathLike[str] | None = None,
    cache: str | os.PathLike[str] | bool | None = None,
    config: str | os.PathLike[str] | bool | None = None,
) -> Result:
    """Generate the output folder from the specs, as ``idlgen generate`` does; prints nothing.

    Each argument is a flag of the command (``targets``: names or ``"package,docs"``; ``cache``: a
    folder, or False for none; ``config``: a TOML file, or False to read none); what is not given
    comes from the project's ``[tool.idl-generator]``, found as the command finds it, else the
    defaults (``spec/*.yaml``, ``generated/``, every target). Paths are relative to the current folder.
    """
    return _api(False, out, lambda: _flags(specs, spec_dir, out, targets, templates, cache, config))


def check(
    specs: Sequence[str | os.PathLike[str]] = (),
    *,
    spec_dir: str | os.PathLike[str] | None = None,
    out: str | os.PathLike[str] | None = None,
    targets: Sequence[str] | str | None = None,
    templates: str | os.PathLike[str] | None = None,
    cache: str | os.PathLike[str] | bool | None = None,
    config: str | os.PathLike[str] | bool | None = None,
) -> Result:
    """Compare the output folder with what the specs generate, as ``idlgen check`` does; writes
    and prints nothing. ``Result.files`` lists the files out of date, ``Result.diff`` their diff."""
    return _api(True, out, lambda: _flags(specs, spec_dir, out, targets, templates, cache, config))
