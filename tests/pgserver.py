"""A throwaway PostgreSQL server for tests and benchmarks: initdb and pg_ctl in a temp folder.

Debian's ``postgresql`` package puts the server binaries in /usr/lib/postgresql/N/bin (not on
PATH); ``make test`` installs it when missing. PostgreSQL refuses to run as root, so as root
(CI) the server runs as the package's ``postgres`` user. It listens on a free loopback port
and a socket in its own folder, trusts local connections, and is removed on ``stop()``.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import socket
import subprocess
import tempfile
import time
from pathlib import Path

USER = "factionmap"


def find_bindir() -> Path | None:
    """The folder holding initdb and pg_ctl (newest installed version), or None."""
    env = os.environ.get("FACTIONMAP_PG_BINDIR")
    candidates = [Path(env)] if env else []
    on_path = shutil.which("pg_ctl")
    if on_path:
        candidates.append(Path(on_path).resolve().parent)
    installed = sorted(Path("/usr/lib/postgresql").glob("*/bin"),
                       key=lambda p: int(p.parent.name) if p.parent.name.isdigit() else 0)
    candidates.extend(reversed(installed))
    for folder in candidates:
        if (folder / "initdb").is_file() and (folder / "pg_ctl").is_file():
            return folder
    return None


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class TempPostgres:
    """One server in a temp folder. ``durable=False`` turns fsync off (tests)."""

    def __init__(self, bindir: Path, *, durable: bool = False) -> None:
        self.bindir = bindir
        self.durable = durable
        self.root = Path(tempfile.mkdtemp(prefix="factionmap-pg-"))
        self.data = self.root / "data"
        self.port = _free_port()
        self._as_root = os.geteuid() == 0

    def _run(self, *args: str) -> subprocess.CompletedProcess[str]:
        command = list(args)
        if self._as_root:  # initdb and postgres refuse root: run as the package's user
            command = ["runuser", "-u", "postgres", "--", *command]
        return subprocess.run(command, capture_output=True, text=True, check=False)

    def start(self) -> TempPostgres:
        if self._as_root:
            os.chmod(self.root, 0o755)
            shutil.chown(self.root, user="postgres", group="postgres")
        init = self._run(str(self.bindir / "initdb"), "-D", str(self.data), "-U", USER,
                         "--auth=trust", "-E", "UTF8", "--no-locale", "--no-sync")
        if init.returncode != 0:
            raise RuntimeError(f"initdb failed: {init.stderr.strip() or init.stdout.strip()}")
        options = [f"-p {self.port}", f"-k {self.root}", "-c listen_addresses=127.0.0.1",
                   "-c max_connections=200"]
        if not self.durable:
            options += ["-c fsync=off", "-c synchronous_commit=off", "-c full_page_writes=off"]
        started = self._run(str(self.bindir / "pg_ctl"), "-D", str(self.data), "-l",
                            str(self.root / "server.log"), "-o", " ".join(options), "-w",
                            "-t", "60", "start")
        if started.returncode != 0:
            log = (self.root / "server.log")
            detail = log.read_text(errors="replace")[-2000:] if log.exists() else started.stderr
            raise RuntimeError(f"pg_ctl start failed: {detail}")
        return self

    def url(self, database: str = "postgres") -> str:
        return f"postgresql+psycopg://{USER}@127.0.0.1:{self.port}/{database}"

    def _admin(self, sql: str) -> None:
        import psycopg

        with psycopg.connect(host="127.0.0.1", port=self.port, user=USER, dbname="postgres",
                             autocommit=True) as conn:
            conn.execute(sql)  # type: ignore[arg-type]

    def create_database(self, name: str) -> str:
        self._admin(f'CREATE DATABASE "{name}"')
        return self.url(name)

    def drop_database(self, name: str) -> None:
        self._admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')

    def stop(self) -> None:
        self._run(str(self.bindir / "pg_ctl"), "-D", str(self.data), "-m", "immediate", "-w",
                  "stop")
        for _ in range(50):  # the postmaster may take a moment to release its files
            with contextlib.suppress(OSError):
                shutil.rmtree(self.root)
                return
            time.sleep(0.1)
