#!/usr/bin/env bash
# Run `ansible-test sanity` on a copy of the collection placed where ansible-test wants it
# (ansible_collections/dockyard/docker), with the local Python 3.11 and no test containers.
# ansible-test's own pinned linters go into a separate venv (.lab/sanity-venv) so they never
# clash with the project's tools.
set -euo pipefail
# One sanity run at a time: ansible-test shares its venv cache in ~/.ansible/test.
if [ -z "${DOCKYARD_SANITY_LOCKED:-}" ]; then
  exec env DOCKYARD_SANITY_LOCKED=1 flock /tmp/dockyard-sanity.lock "$0" "$@"
fi
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
PY_VERSION="$(python3 -c 'import sys; print("%d.%d" % sys.version_info[:2])')"
# ansible-test cannot bootstrap its own venvs here (it downloads get-pip from a host that is
# not reachable), so its pinned sanity requirements are installed from PyPI into our own venv.
VENV="$ROOT/.lab/sanity-venv"
REQ_DIR="$ROOT/.venv/lib/python$PY_VERSION/site-packages/ansible_test/_data/requirements"
CORE="$("$ROOT/.venv/bin/python" -c 'import ansible; print(ansible.__version__)')"
STAMP="$VENV/.stamp-$CORE"
if [ ! -f "$STAMP" ]; then
  echo "[sanity] preparing ansible-test's sanity tools in .lab/sanity-venv (ansible-core $CORE)"
  python3 -m venv "$VENV"
  cat "$REQ_DIR"/sanity.*.txt | grep -v '^#' | sort -u > "$VENV/requirements.txt"
  "$VENV/bin/pip" install -q --disable-pip-version-check "ansible-core==$CORE" -r "$VENV/requirements.txt"
  touch "$STAMP"
fi
# ...and its per-test venvs get pip from our shim instead of the unreachable get-pip download.
PIP_VERSION="$("$VENV/bin/python" -c 'from ansible_test._internal.python_requirements import get_venv_packages as g; from types import SimpleNamespace as N; print(g(N(version="'"$PY_VERSION"'"))["pip"])')"
mkdir -p "$HOME/.ansible/test/cache"
WHEELS="$ROOT/.lab/wheels"
ls "$WHEELS"/pip-"$PIP_VERSION"-*.whl >/dev/null 2>&1 || \
  "$VENV/bin/pip" download -q --disable-pip-version-check --no-deps -d "$WHEELS" "pip==$PIP_VERSION"
sed "s|@WHEEL_DIR@|$WHEELS|" "$ROOT/tools/get_pip_shim.py" > "$HOME/.ansible/test/cache/get_pip_${PIP_VERSION//./_}.py"
# A venv left half-made by an interrupted run (no marker.txt or no python) makes ansible-test trip.
for d in "$HOME"/.ansible/test/venv/*/*/*; do
  [ -d "$d" ] || continue
  { [ -e "$d/marker.txt" ] && [ -x "$d/bin/python" ]; } || rm -rf "$d"
done
WORK="$(mktemp -d /tmp/dockyard-sanity.XXXXXX)"
trap 'rm -rf "$WORK"' EXIT
DEST="$WORK/ansible_collections/dockyard/docker"
mkdir -p "$DEST"
# Copy only what git tracks or would track (no venvs, lab state, caches); ansible-test
# inspects git-visible files.
( cd "$ROOT" && git ls-files -co --exclude-standard -z | xargs -0 -I{} cp --parents {} "$DEST"/ 2>/dev/null || true )
cd "$DEST"
git init -q . && git add -A >/dev/null 2>&1
"$VENV/bin/ansible-test" sanity --python "$PY_VERSION" --color no \
  $(for d in tools benchmarks molecule; do [ -d "$d" ] && echo --exclude "$d/"; done) "$@"
