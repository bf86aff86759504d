#!/usr/bin/env bash
# Regenerate the pinned, cross-platform lock files from pyproject.toml.
#   bash requirements/compile.sh            # keep current pins where still valid
#   bash requirements/compile.sh --upgrade  # move every pin to the newest allowed
# Needs network access to PyPI; uv is installed into a throwaway venv.
set -euo pipefail
cd "$(dirname "$0")/.."
tool_venv="${TMPDIR:-/tmp}/rsiviz-uv"
if [[ ! -x "$tool_venv/bin/uv" ]]; then
    python3 -m venv "$tool_venv"
    "$tool_venv/bin/python" -m pip install --quiet uv
fi
uv="$tool_venv/bin/uv"
common=(--universal --python-version 3.11 --annotation-style line
        --custom-compile-command "bash requirements/compile.sh" "$@")
# runtime + test + dev: what .ci/setup installs
"$uv" pip compile pyproject.toml --extra test --extra dev "${common[@]}" -o requirements/lock.txt >/dev/null
# runtime only: what an end-user install / the PyInstaller bundle needs
"$uv" pip compile pyproject.toml "${common[@]}" -o requirements/runtime.txt >/dev/null
