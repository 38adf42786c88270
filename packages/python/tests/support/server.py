"""The real PROTUS server for integration tests: the repository's own build, on PGlite.

``protus_url()`` answers ``$PROTUS_URL`` when the test runner started a server for the whole
run, or starts one for this test process (stopped when the process exits). The runner also
checks the ledger of that server's database after the suite (``ProtusServer.verify_ledger``).
"""

from __future__ import annotations

import atexit
import os
import secrets
import shutil
import socket
import subprocess
import tempfile
import threading
import time
from pathlib import Path

import requests

REPO = Path(__file__).resolve().parents[4]
CLI = REPO / "apps" / "api" / "dist" / "cli.js"


def free_port() -> int:
    """A free loopback port, so the server's public URL is known before it starts."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class ProtusServer:
    """``protus start`` as its own process on loopback: on PGlite in a temporary folder, or on the
    PostgreSQL database ``database_url`` names (a schema of its own, in sandbox mode)."""

    def __init__(self, env: dict[str, str] | None = None, database_url: str | None = None) -> None:
        if not CLI.exists():
            raise RuntimeError(f"{CLI} is missing: run `npm run build -w apps/api` first")
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.data_dir = tempfile.mkdtemp(prefix="protus-python-")
        self._env = {
            "PATH": os.environ.get("PATH", ""),
            "PORT": str(self.port),
            "HOST": "127.0.0.1",
            "PROTUS_DATA_DIR": self.data_dir,
            "PROTUS_PUBLIC_URL": self.url,
            "PROTUS_SECRET_KEY": secrets.token_hex(32),
            # Many people and top-ups come from one test address.
            "PROTUS_REGISTRATIONS_PER_HOUR": "1000000",
            "PROTUS_TOPUPS_PER_MINUTE": "1000000",
            # Webhooks go to receivers on loopback, and a failed one comes again after a second.
            "PROTUS_WEBHOOK_ALLOW_PRIVATE": "1",
            "PROTUS_WEBHOOK_POLL_MS": "50",
            "PROTUS_WEBHOOK_RETRY_SCHEDULE": "1,1,1",
            "LOG_LEVEL": "warn",
            **(env or {}),
        }
        if database_url:
            self._env.update(DATABASE_URL=database_url, PROTUS_MODE="sandbox", PROTUS_DB_POOL_SIZE="5")
        #: Where its data is, for the run's report.
        self.database = "PostgreSQL" if database_url else "PGlite"
        self._output: list[bytes] = []
        self._process: subprocess.Popen[bytes] | None = None

    def start(self, timeout: float = 90.0) -> ProtusServer:
        self._process = subprocess.Popen(
            ["node", str(CLI), "start"],
            env=self._env,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
        )
        self._drainer = threading.Thread(target=self._drain, daemon=True)
        self._drainer.start()
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self._process.poll() is not None:
                raise RuntimeError(f"PROTUS exited: {self.output()}")
            try:
                if requests.get(f"{self.url}/healthz", timeout=2).ok:
                    return self
            except requests.RequestException:
                pass
            time.sleep(0.1)
        self.stop()
        raise RuntimeError(f"PROTUS did not start in {timeout} s: {self.output()}")

    def _drain(self) -> None:
        assert self._process is not None and self._process.stdout is not None
        for line in self._process.stdout:
            self._output.append(line)

    def output(self) -> str:
        return b"".join(self._output).decode(errors="replace")

    def stop(self) -> None:
        if self._process is not None and self._process.poll() is None:
            self._process.terminate()
            try:
                self._process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self._process.kill()
                self._process.wait()
        if self._process is not None and self._process.stdout is not None:
            self._drainer.join(timeout=5)
            self._process.stdout.close()

    def verify_ledger(self) -> tuple[bool, str]:
        """Runs ``protus ledger verify`` on the stopped server's database: (ok, what it printed)."""
        env = {k: v for k, v in self._env.items() if k not in ("PORT", "HOST")}
        done = subprocess.run(
            ["node", str(CLI), "ledger", "verify"], env=env, capture_output=True, text=True, timeout=300
        )
        return done.returncode == 0, (done.stdout + done.stderr).strip()

    def remove(self) -> None:
        shutil.rmtree(self.data_dir, ignore_errors=True)


_started: ProtusServer | None = None
_lock = threading.Lock()


def protus_url() -> str:
    """The base URL of the PROTUS server the integration tests use."""
    global _started
    given = os.environ.get("PROTUS_URL")
    if given:
        return given.rstrip("/")
    with _lock:
        if _started is None:
            _started = ProtusServer().start()
            atexit.register(_stop_started)
        return _started.url


def _stop_started() -> None:
    if _started is not None:
        _started.stop()
        _started.remove()
