"""Stand-in for ansible-test's pip bootstrap script (get-pip.py).

ansible-test downloads get-pip.py from a host this machine cannot reach. This shim does the
same job offline: it runs pip straight from the pip wheel that tools/sanity.sh fetched from
PyPI into WHEEL_DIR (``python pip.whl/pip install pip.whl`` is pip's documented way to
install itself), then installs the packages ansible-test asked for (e.g. ``pip==24.2``).
tools/sanity.sh copies this file to ansible-test's cache path and sets WHEEL_DIR.
"""
import glob
import os
import subprocess
import sys

WHEEL_DIR = os.environ.get("DOCKYARD_PIP_WHEEL_DIR", "@WHEEL_DIR@")
args = [a for a in sys.argv[1:] if a not in ("--no-setuptools", "--no-wheel")]
wheels = sorted(glob.glob(os.path.join(WHEEL_DIR, "pip-*.whl")))
if not wheels:
    sys.exit("no pip wheel in %s (tools/sanity.sh downloads it)" % WHEEL_DIR)
wheel = wheels[-1]
subprocess.check_call([sys.executable, os.path.join(wheel, "pip"), "install", "--no-index",
                       "--find-links", WHEEL_DIR] + args)
