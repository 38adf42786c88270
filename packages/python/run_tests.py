"""Runs the Python package's tests and the Django example's tests against one real PROTUS server.

    /usr/bin/python3 packages/python/run_tests.py

1. installs the package from a copy of this folder with ``pip install --no-index`` (no pip
   configuration, no package index: what passes here passes on a machine without either) into
   a temporary folder, so the tests import the package as a partner would have it;
2. starts PROTUS (``apps/api/dist/cli.js``, PGlite in a temporary folder) once for the run;
3. runs ``unittest`` over ``tests/`` and ``manage.py test`` in ``examples/messages-django`` side by
   side, both against that server;
4. stops the server and runs ``protus ledger verify`` on its database: every test's money must
   add up afterwards.

With ``PROTUS_TEST_DATABASE_URL`` (a PostgreSQL URL, usually with a ``search_path`` of a fresh
schema: ``npm test`` makes one when ``DATABASE_URL`` is set) PROTUS runs on that database instead.

Exits non-zero when anything fails. Arguments are passed to ``unittest`` (``-k charge``).
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
EXAMPLE = HERE.parents[1] / "examples" / "messages-django"

sys.path.insert(0, str(HERE))
from tests.support.server import ProtusServer  # noqa: E402


def install(target: Path) -> None:
    """``pip install ./packages/python`` into ``target``, offline and without the machine's pip settings."""
    source = target.parent / "source"
    shutil.copytree(HERE, source, ignore=shutil.ignore_patterns("build", "*.egg-info", "__pycache__", "tests"))
    env = {k: v for k, v in os.environ.items() if not k.startswith("PIP_")}
    env["PIP_CONFIG_FILE"] = os.devnull
    command = [sys.executable, "-m", "pip", "install", "--quiet", "--no-index", "--no-build-isolation",
               "--no-deps", "--disable-pip-version-check", "--root-user-action=ignore", "--target", str(target), str(source)]
    subprocess.run(command, env=env, check=True)


def start(name: str, command: list[str], cwd: Path, env: dict[str, str]) -> tuple[str, subprocess.Popen[str]]:
    process = subprocess.Popen(command, cwd=cwd, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    return name, process


def main() -> int:
    began = time.monotonic()
    work = Path(tempfile.mkdtemp(prefix="protus-python-tests-"))
    server: ProtusServer | None = None
    try:
        site = work / "site"
        install(site)
        server = ProtusServer(database_url=os.environ.get("PROTUS_TEST_DATABASE_URL")).start()
        print(f"==== PROTUS on {server.database} at {server.url}", flush=True)
        env = {**os.environ, "PROTUS_URL": server.url, "PYTHONPATH": f"{site}{os.pathsep}{HERE}",
               "PYTHONDONTWRITEBYTECODE": "1"}
        suites = [
            start("package", [sys.executable, "-m", "unittest", "discover", "-s", "tests", "-t", ".", *sys.argv[1:]],
                  HERE, env),
            start("example", [sys.executable, "manage.py", "test", "--noinput"], EXAMPLE, env),
        ]
        failed = False
        for name, process in suites:
            output, _ = process.communicate(timeout=900)
            ran = re.findall(r"^Ran (\d+) tests? in ([\d.]+)s", output, re.MULTILINE)
            print(f"==== {name}: exit {process.returncode}\n{output}", flush=True)
            if process.returncode != 0 or not ran or int(ran[-1][0]) == 0:
                failed = True
                print(f"==== {name} FAILED" + ("" if ran else " (no tests ran)"), flush=True)
            else:
                print(f"==== {name} passed: {ran[-1][0]} tests in {ran[-1][1]} s", flush=True)
        server.stop()
        ok, report = server.verify_ledger()
        print(f"==== ledger after the run: {report}", flush=True)
        if not ok:
            failed = True
            print("==== the ledger does not add up: FAILED\n" + server.output(), flush=True)
        print(f"==== python tests {'FAILED' if failed else 'passed'} in {time.monotonic() - began:.1f} s", flush=True)
        return 1 if failed else 0
    finally:
        if server is not None:
            server.stop()
            server.remove()
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
