#!/usr/bin/env bash
# Build the collection tarball as Galaxy would, check it carries no venvs / lab state / caches,
# install it into an EMPTY collections path (no Galaxy access: --offline, no dependencies) and
# use it from there: ansible-doc lists every module, and a playbook runs a module from it
# against this machine's engine.
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
BIN="$ROOT/.venv/bin"
WORK="$(mktemp -d /tmp/dockyard-galaxy.XXXXXX)"
trap 'rm -rf "$WORK"' EXIT
cd "$ROOT"
"$BIN/ansible-galaxy" collection build --force --output-path "$WORK" . >/dev/null
TARBALL="$(ls "$WORK"/dockyard-docker-*.tar.gz)"
echo "[galaxy] built $(basename "$TARBALL") ($(du -h "$TARBALL" | cut -f1))"
CONTENT="$(tar -tzf "$TARBALL")"
if grep -E '(^|/)(\.venv|\.lab|\.cache|\.pytest_cache|__pycache__|tests/output|benchmarks/out)(/|$)' <<<"$CONTENT"; then
  echo "[galaxy] ERROR: the tarball carries the paths above (venv, lab state or caches)"; exit 1
fi
# Every plugin on disk and the licence text must be in the tarball.
for m in plugins/modules/*.py plugins/inventory/*.py plugins/connection/*.py plugins/plugin_utils/*.py COPYING; do
  grep -qx "$m" <<<"$CONTENT" || { echo "[galaxy] ERROR: $m missing from the tarball"; exit 1; }
done
mkdir -p "$WORK/empty"
cd "$WORK"
# A config of our own: nothing of the repository's (its collections path) may leak in.
printf '[defaults]\ncollections_path = %s\n' "$WORK/empty" > "$WORK/ansible.cfg"
export ANSIBLE_CONFIG="$WORK/ansible.cfg" ANSIBLE_COLLECTIONS_PATH="$WORK/empty"
"$BIN/ansible-galaxy" collection install --offline --no-deps -p "$WORK/empty" "$TARBALL" >/dev/null
echo "[galaxy] installed into an empty collections path with --offline"
listed="$("$BIN/ansible-doc" -l dockyard.docker | awk '{print $1}' | sort)"
for m in "$ROOT"/plugins/modules/*.py; do
  name="dockyard.docker.$(basename "$m" .py)"
  grep -qx "$name" <<<"$listed" || { echo "[galaxy] ERROR: ansible-doc -l does not list $name"; exit 1; }
done
echo "[galaxy] ansible-doc -l lists all $(wc -l <<<"$listed") modules"
cat > "$WORK/smoke.yml" <<'YML'
- name: Use the installed collection
  hosts: localhost
  connection: local
  gather_facts: false
  tasks:
    - name: Read this machine's engine through the installed collection
      dockyard.docker.engine_info:
      register: info
    - name: The engine answered
      ansible.builtin.assert:
        that:
          - info.engine.version | length > 0
YML
"$BIN/ansible-playbook" -i localhost, -e ansible_python_interpreter="$BIN/python" "$WORK/smoke.yml" >"$WORK/smoke.log" 2>&1 \
  || { cat "$WORK/smoke.log"; echo "[galaxy] ERROR: the playbook from the installed collection failed"; exit 1; }
echo "[galaxy] a playbook ran dockyard.docker.engine_info from the installed tarball"
