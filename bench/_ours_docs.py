"""Our docs alone, end to end, for comparison with LinkML gen-doc: load, validate, resolve, render the bilingual
Markdown reference, write it. ``python -m bench._ours_docs SPEC OUTDIR`` (run with cwd next to spec/)."""

from __future__ import annotations

import sys
from pathlib import Path

from generator.pipeline import build_package
from generator.render import environment
from generator.targets.docs import render_docs
from generator.write import write_tree


def main(argv: list[str]) -> int:
    spec, out = Path(argv[0]), Path(argv[1])
    package = build_package(spec)
    files = render_docs(package, environment())
    write_tree(out, files, sorted({f.path.split("/", 1)[0] for f in files}))
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
