#!/usr/bin/env bash
# Sets up what the benchmarks need, beside the project's own .venv (see README, "Performance"):
# the bench extra (msgspec, matplotlib) and azure-ai-ml in .venv, and LinkML in a venv of its own
# (bench/.venvs/linkml: LinkML's dependencies never enter the project's environment).
set -euo pipefail
cd "$(dirname "$0")/.."
LINKML_VERSION=1.12.1
[ -x .venv/bin/python ] || python3 -m venv .venv
.venv/bin/pip install -q -e '.[bench,interop]' -e generated/aml_entities
if ! bench/.venvs/linkml/bin/python -c "import importlib.metadata as m; assert m.version('linkml') == '$LINKML_VERSION'" 2>/dev/null; then
    python3 -m venv bench/.venvs/linkml
    bench/.venvs/linkml/bin/pip install -q "linkml==$LINKML_VERSION"
fi
