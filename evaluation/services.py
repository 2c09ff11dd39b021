"""Real PostgreSQL and Redis servers on loopback, in temporary folders (Debian's postgresql, redis-server).

For the scale-out, persistence and fault tests and for `make bench-load`. As root (as CI runs), PostgreSQL
runs as the `postgres` user that Debian's package creates, since it refuses to run as root.
"""
from __future__ import annotations

import glob
import os
import shutil
import signal
import subprocess
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import List, Optional

from evaluation.stack import free_port, launch, stop

DATABASE = "clinic"
USER = "clinic"


def postgres_bin_dir() -> Optional[Path]:
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/postgres"))
    return Path(found[-1]).parent if found else None


def installed_postgres() -> Path:
    found = postgres_bin_dir()
    assert found, "PostgreSQL is not installed (apt-get install postgresql)"
    return found


def missing_services() -> List[str]:
    """Debian packages whose servers are not installed here."""
    missing = []
    if postgres_bin_dir() is None:
        missing.append("postgresql")
    if shutil.which("redis-server") is None:
        missing.append("redis-server")
    return missing


def _server_user() -> dict:
    return {"user": "postgres", "group": "postgres"} if os.geteuid() == 0 else {}


def _wait(check, what: str, process: subprocess.Popen, log: Path, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"{what} exited with {process.returncode}:\n{log.read_text()[-2000:]}")
        if check():
            return
        time.sleep(0.2)
    raise TimeoutError(f"{what} not ready after {timeout}s:\n{log.read_text()[-2000:]}")


def _server_owned_dir() -> Path:
    """A fresh folder the server user can reach (pytest's temporary folders are private to root)."""
    folder = Path(tempfile.mkdtemp(prefix="clinic-postgres-"))
    if os.geteuid() == 0:
        shutil.chown(folder, "postgres")
    return folder


@dataclass
class Postgres:
    workdir: Path = field(default_factory=_server_owned_dir)
    port: int = field(default_factory=free_port)
    process: Optional[subprocess.Popen] = None

    @property
    def url(self) -> str:
        return f"postgresql://{USER}@127.0.0.1:{self.port}/{DATABASE}"

    @property
    def log(self) -> Path:
        return self.workdir / "postgres.log"

    def init(self) -> None:
        bin_dir = installed_postgres()
        subprocess.run(
            [str(bin_dir / "initdb"), "-D", str(self.workdir / "data"), "-U", USER, "--auth=trust", "-E", "UTF8",
             "--no-sync"],
            check=True, capture_output=True, cwd=self.workdir, **_server_user(),
        )
        self.start()
        subprocess.run([str(bin_dir / "createdb"), "-h", "127.0.0.1", "-p", str(self.port), "-U", USER, DATABASE],
                       check=True, capture_output=True)

    def start(self) -> None:
        bin_dir = installed_postgres()
        self.process = launch(
            [str(bin_dir / "postgres"), "-D", str(self.workdir / "data"), "-p", str(self.port),
             "-c", "listen_addresses=127.0.0.1", "-c", f"unix_socket_directories={self.workdir}",
             "-c", "max_connections=200"],
            self.log, cwd=self.workdir, **_server_user(),
        )
        ready = [str(bin_dir / "pg_isready"), "-q", "-h", "127.0.0.1", "-p", str(self.port), "-U", USER]
        _wait(lambda: subprocess.run(ready).returncode == 0, "PostgreSQL", self.process, self.log)

    def stop(self) -> None:
        """Fast shutdown: open connections (Rasa's pool) are closed, as when a database server goes down."""
        if self.process and self.process.poll() is None:
            self.process.send_signal(signal.SIGINT)
            self.process.wait(timeout=60)

    def remove(self) -> None:
        self.stop()
        shutil.rmtree(self.workdir, ignore_errors=True)


@dataclass
class Redis:
    workdir: Path
    port: int = field(default_factory=free_port)
    process: Optional[subprocess.Popen] = None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/1"

    def start(self) -> None:
        self.workdir.mkdir(parents=True, exist_ok=True)
        log = self.workdir / "redis.log"
        self.process = launch(
            ["redis-server", "--port", str(self.port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no",
             "--dir", str(self.workdir)],
            log,
        )
        _wait(lambda: self.cli("PING") == "PONG", "Redis", self.process, log)

    def cli(self, *args: str) -> str:
        done = subprocess.run(["redis-cli", "-p", str(self.port), *args], capture_output=True, text=True)
        return done.stdout.strip()

    def stop(self) -> None:
        stop(self.process)
