"""Timing helpers shared by the benchmarks: interleaved rounds, medians, subprocess runs, Markdown."""

from __future__ import annotations

import os
import platform
import resource
import statistics
import subprocess
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "results"
#: The project's interpreter (the one running the benchmarks).
PYTHON = sys.executable
#: LinkML lives in a venv of its own, never in the project's.
LINKML_VENV = ROOT / "bench" / ".venvs" / "linkml"


def median(values: Sequence[float]) -> float:
    return statistics.median(values) if values else float("nan")


# -- subprocess runs ---------------------------------------------------------------------------------------------


@dataclass
class Run:
    """One timed subprocess: wall and CPU seconds (its own and its children's), exit code, last error line."""

    wall: float
    cpu: float
    code: int
    error: str = ""

    @property
    def ok(self) -> bool:
        return self.code == 0


def run_timed(
    cmd: Sequence[str],
    *,
    cwd: Path | None = None,
    env: dict[str, str] | None = None,
    stdout: Path | None = None,
    timeout: float = 900,
) -> Run:
    """Run ``cmd`` and time it; stdout goes to ``stdout`` (a file) or nowhere."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    out = open(stdout, "wb") if stdout else subprocess.DEVNULL  # noqa: SIM115 - closed below
    start = time.perf_counter()
    try:
        proc = subprocess.run(
            list(cmd), cwd=cwd, env=env, stdout=out, stderr=subprocess.PIPE, timeout=timeout, check=False
        )
        code, err = proc.returncode, proc.stderr.decode("utf-8", "replace")
    except subprocess.TimeoutExpired as exc:
        code, err = -1, f"timed out after {timeout:.0f} s\n" + (exc.stderr or b"").decode("utf-8", "replace")
    finally:
        if stdout:
            out.close()  # type: ignore[union-attr]
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return Run(wall, cpu, code, last_error(err) if code else "")


def last_error(stderr: str) -> str:
    """The line of a failed run's stderr that says what went wrong (a traceback's last line)."""
    lines = [line.strip() for line in stderr.strip().splitlines() if line.strip()]
    for line in reversed(lines):
        if "Error" in line or "error" in line or "Exception" in line:
            return line[:300]
    return (lines[-1] if lines else "no output")[:300]


def clean_env(**extra: str) -> dict[str, str]:
    """The environment for a timed subprocess: bytecode caches allowed (as users have them)."""
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    env.update(extra)
    return env


# -- in-process micro-benchmarks ---------------------------------------------------------------------------------


def calibrate(fn: Callable[[], object], target: float) -> int:
    """How many calls of ``fn`` take about ``target`` seconds (at least 1)."""
    number = 1
    while True:
        start = time.perf_counter()
        for _ in range(number):
            fn()
        took = time.perf_counter() - start
        if took >= target / 2 or number >= 1 << 20:
            return max(1, int(number * target / max(took, 1e-9)))
        number *= 4


def interleaved(cases: dict[str, Callable[[], object]], rounds: int, target: float = 0.02) -> dict[str, list[float]]:
    """Seconds per call of each case: ``rounds`` samples each, the cases taking turns within every round."""
    numbers = {name: calibrate(fn, target) for name, fn in cases.items()}
    samples: dict[str, list[float]] = {name: [] for name in cases}
    for _ in range(rounds):
        for name, fn in cases.items():
            number = numbers[name]
            start = time.perf_counter()
            for _ in range(number):
                fn()
            samples[name].append((time.perf_counter() - start) / number)
    return samples


# -- reporting ---------------------------------------------------------------------------------------------------


def fmt_time(seconds: float) -> str:
    """3.2 s, 41 ms, 7.5 µs."""
    if seconds != seconds:  # nan
        return "n/a"
    if seconds >= 1:
        return f"{seconds:.2f} s" if seconds < 10 else f"{seconds:.1f} s"
    if seconds >= 1e-3:
        return f"{seconds * 1e3:.3g} ms"
    return f"{seconds * 1e6:.3g} µs"


def fmt_ratio(x: float) -> str:
    if x != x:
        return "n/a"
    return f"{x:.2f}×" if x < 10 else f"{x:.0f}×"


def table(header: Sequence[str], rows: Sequence[Sequence[str]]) -> str:
    """A Markdown table."""
    lines = ["| " + " | ".join(header) + " |", "|" + "|".join(" --- " for _ in header) + "|"]
    lines += ["| " + " | ".join(row) + " |" for row in rows]
    return "\n".join(lines) + "\n"


@dataclass
class Machine:
    """Where the figures were measured."""

    cpus: int = field(default_factory=lambda: os.cpu_count() or 1)
    python: str = field(default_factory=platform.python_version)
    system: str = field(default_factory=lambda: f"{platform.system()} {platform.machine()}")

    def line(self) -> str:
        load = ", ".join(f"{x:.1f}" for x in os.getloadavg())
        return f"{self.system}, {self.cpus} cores, Python {self.python}; load average at the start: {load}"


def pip_version(python: Path | str, package: str) -> str:
    """The installed version of ``package`` in the environment of ``python`` ('' when missing)."""
    code = f"import importlib.metadata as m; print(m.version({package!r}))"
    proc = subprocess.run([str(python), "-c", code], capture_output=True, text=True, check=False)
    return proc.stdout.strip() if proc.returncode == 0 else ""


def git_state() -> str:
    """The commit the figures belong to, with ``+changes`` when generator/ or templates/ differ from it."""
    if os.environ.get("BENCH_COMMIT"):  # a copy of the repository without .git (git archive)
        return os.environ["BENCH_COMMIT"]
    head = subprocess.run(
        ["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True, check=False
    )
    dirty = subprocess.run(
        ["git", "status", "--porcelain", "--", "generator", "templates"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    return head.stdout.strip() + ("+changes" if dirty.stdout.strip() else "")
