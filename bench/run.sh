#!/usr/bin/env bash
# Runs every benchmark (about 15 minutes on 2 cores) and writes bench/results/: bash bench/run.sh [--quick]
set -euo pipefail
cd "$(dirname "$0")/.."
bash bench/setup.sh
exec .venv/bin/python -m bench.run "$@"
