"""Where a run's options come from: the command line (or the Python API), the project's config
file, and the defaults, in that order.

The config is the ``[tool.idl-generator]`` table of a ``pyproject.toml`` (or of the TOML file
``--config`` names; a file not named ``pyproject.toml`` may also hold the keys at its top level).
Its keys are named like the flags: ``specs``, ``spec_dir``, ``out``, ``targets``, ``cache`` and
``templates``; its paths are relative to its own folder, the flags' to the current one.

Without ``--config``, the ``pyproject.toml`` is looked for from the folder of the specs named on
the command line (else the current folder) up to the top of the repository. Generated headers
name each spec relative to the project root: the config's folder, else the nearest folder above
the spec holding ``.git``, ``.hg`` or a ``pyproject.toml``, else the folder above the spec's own.
"""

from __future__ import annotations

import os
import re
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .errors import did_you_mean
from .targets import TARGET_NAMES

#: The table of ``pyproject.toml`` that configures the generator.
TABLE = "idl-generator"
#: The keys of that table, each named like its flag.
KEYS = ("specs", "spec_dir", "out", "targets", "cache", "templates")
#: Files and folders that mark the top of a project.
PROJECT_MARKERS = (".git", ".hg", "pyproject.toml")
#: The suffixes of spec files found in a spec folder.
SPEC_SUFFIXES = (".yaml", ".yml")


class ConfigError(Exception):
    """The config file cannot be read or holds a mistake; the message says where (``file:line:col``)."""


@dataclass
class GenerateOptions:
    """What ``generate`` and ``check`` (and each round of ``watch``) work on, every path resolved.

    ``base``: the project root that generated headers name specs relative to (None: found for
    each spec, see :func:`project_root`). ``cache_dir``: the cache folder (None: the default).
    ``templates``: a folder of templates layered over the built-in ones.
    """

    specs: list[Path] = field(default_factory=list)
    spec_dir: Path = Path("spec")
    out: Path = Path("generated")
    targets: tuple[str, ...] = TARGET_NAMES
    use_cache: bool = True
    base: Path | None = None
    cache_dir: Path | None = None
    templates: Path | None = None
    config: Path | None = None

    def spec_list(self) -> list[Path]:
        """The specs named, else every ``*.yaml`` and ``*.yml`` of the spec folder now."""
        return list(self.specs) or spec_files(self.spec_dir)


@dataclass
class Flags:
    """What the command line (or a caller of the Python API) said; None where it said nothing.

    ``cache``: a folder, or False for no cache. ``config``: a file, or False to read none.
    """

    specs: list[Path] | None = None
    spec_dir: Path | None = None
    out: Path | None = None
    targets: tuple[str, ...] | None = None
    cache: Path | bool | None = None
    templates: Path | None = None
    config: Path | bool | None = None


def spec_files(spec_dir: Path) -> list[Path]:
    """The spec files (``*.yaml``, ``*.yml``) of a folder, in name order."""
    return sorted(p for p in spec_dir.glob("*") if p.suffix in SPEC_SUFFIXES and p.is_file())


def project_root(spec: Path) -> Path:
    """The project a spec belongs to when no config says: the nearest folder above it holding
    ``.git``, ``.hg`` or ``pyproject.toml``, else the folder above the spec's own."""
    folder = spec.absolute().parent
    for candidate in (folder, *folder.parents):
        if any((candidate / marker).exists() for marker in PROJECT_MARKERS):
            return candidate
    return folder.parent


def find_config(start: Path) -> Path | None:
    """The first ``pyproject.toml`` with a ``[tool.idl-generator]`` table from ``start`` up to the
    top of its repository (a folder holding ``.git`` or ``.hg``), or None."""
    start = start.absolute()
    for folder in (start, *start.parents):
        candidate = shown(folder / "pyproject.toml")
        if candidate.is_file() and TABLE in _read(candidate) and _table(candidate) is not None:
            return candidate
        if (folder / ".git").exists() or (folder / ".hg").exists():
            return None
    return None


def _read(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(f"{path}:1:1: cannot read the config: {exc}") from None


def _table(path: Path) -> dict[str, Any] | None:
    """The generator's table of a TOML file, or None when it has none."""
    text = _read(path)
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        found = re.search(r"\(at line (\d+), column (\d+)\)", str(exc))
        where = f"{found[1]}:{found[2]}" if found else "1:1"
        raise ConfigError(f"{path}:{where}: {str(exc).split(' (at line')[0]}") from None
    tool = data.get("tool")
    table = tool.get(TABLE) if isinstance(tool, dict) else None
    if table is None and path.name != "pyproject.toml" and "tool" not in data:
        table = data  # a file of the generator's own: the keys at the top level
    if table is not None and not isinstance(table, dict):
        raise ConfigError(f"{_where(path, text, None)}: [tool.{TABLE}] must be a table")
    return table


def _where(path: Path, text: str, key: str | None) -> str:
    """``file:line:col`` of a key of the generator's table (tomllib keeps no positions), else of the table."""
    lines = text.splitlines()
    header = next((i for i, line in enumerate(lines) if re.match(rf"\s*\[\s*tool\.\"?{re.escape(TABLE)}\"?\s*\]", line)), None)
    if key is not None:
        pattern = re.compile(rf"\s*[\"']?{re.escape(key)}[\"']?\s*=")
        for i in range(header + 1 if header is not None else 0, len(lines)):
            if pattern.match(lines[i]):
                return f"{path}:{i + 1}:{len(lines[i]) - len(lines[i].lstrip()) + 1}"
    return f"{path}:{(header or 0) + 1}:1"


def read_config(path: Path) -> dict[str, Any]:
    """The checked keys of the config ``path``, its paths made relative to the current folder."""
    text = _read(path)
    table = _table(path)
    if table is None:
        raise ConfigError(f"{path}:1:1: no [tool.{TABLE}] table")
    folder = path.absolute().parent
    values: dict[str, Any] = {}
    for key, value in table.items():
        where = _where(path, text, key)
        if key not in KEYS:
            raise ConfigError(f"{where}: unknown key {key!r}{did_you_mean(key.replace('-', '_'), KEYS)}; the keys: {', '.join(KEYS)}")
        values[key] = _value(key, value, folder, where)
    return values


def _value(key: str, value: Any, folder: Path, where: str) -> Any:
    """One key's value, checked, with its paths resolved against the config's folder."""
    if key == "specs":
        items = [value] if isinstance(value, str) else value
        if not isinstance(items, list) or not items or not all(isinstance(v, str) for v in items):
            raise ConfigError(f"{where}: specs must be a list of spec files")
        return [shown(folder / v) for v in items]
    if key == "targets":
        names = value.split(",") if isinstance(value, str) else value
        if not isinstance(names, list) or not all(isinstance(n, str) for n in names):
            raise ConfigError(f"{where}: targets must be a list of names among {', '.join(TARGET_NAMES)}")
        try:
            return target_list(",".join(names))
        except ValueError as exc:
            raise ConfigError(f"{where}: {exc}") from None
    if key == "cache" and isinstance(value, bool):
        if value:
            raise ConfigError(f"{where}: cache must be a folder, or false for no cache")
        return False
    if not isinstance(value, str) or not value:
        raise ConfigError(f"{where}: {key} must be a path (a string)")
    return shown(folder / value)


def target_list(text: str) -> tuple[str, ...]:
    """``package,docs`` → the targets named, checked against the known ones (ValueError)."""
    names = tuple(dict.fromkeys(n.strip() for n in text.split(",") if n.strip()))
    unknown = [n for n in names if n not in TARGET_NAMES]
    if unknown or not names:
        raise ValueError(f"unknown target {', '.join(unknown) or '(none given)'}: choose among {', '.join(TARGET_NAMES)}")
    return names


def shown(path: Path) -> Path:
    """A path as messages show it: relative to the current folder when inside it, else absolute."""
    absolute = Path(os.path.normpath(path.absolute()))
    try:
        return absolute.relative_to(Path.cwd())
    except ValueError:
        return absolute


def config_path(flags: Flags) -> Path | None:
    """The config file a run reads: ``--config``, else the one found from the specs (or the current folder)."""
    if flags.config is False:
        return None
    if isinstance(flags.config, Path):
        if not flags.config.is_file():
            raise ConfigError(f"{flags.config}: no such config file")
        return flags.config
    named = flags.specs or ([flags.spec_dir / "x"] if flags.spec_dir else [])
    start = Path(os.path.commonpath([p.absolute().parent for p in named])) if named else Path.cwd()
    found = find_config(start)
    return shown(found) if found else None


def options(flags: Flags, *, use_cache: bool = True) -> GenerateOptions:
    """The options of a run: the flags, over the config's keys, over the defaults (raises ConfigError)."""
    path = config_path(flags)
    conf = read_config(path) if path else {}
    cache = flags.cache if flags.cache is not None else conf.get("cache")
    return GenerateOptions(
        specs=list(flags.specs or (conf.get("specs", []) if flags.spec_dir is None else [])),
        spec_dir=flags.spec_dir or conf.get("spec_dir", Path("spec")),
        out=flags.out or conf.get("out", Path("generated")),
        targets=flags.targets or conf.get("targets", TARGET_NAMES),
        use_cache=use_cache and cache is not False,
        base=path.absolute().parent if path else None,
        cache_dir=cache if isinstance(cache, Path) else None,
        templates=flags.templates or conf.get("templates"),
        config=path,
    )
