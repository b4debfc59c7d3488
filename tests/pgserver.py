"""A throwaway PostgreSQL server for the test suite (initdb + pg_ctl in a temp dir).

The server refuses to run as root, so as root the directory is handed to the
`postgres` user and the binaries run through `runuser`. If the server cannot
start, the suite fails: it never silently skips PostgreSQL.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path


class PostgresStartError(RuntimeError):
    """initdb or pg_ctl failed; the message carries their output."""


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _as_postgres(command: list[str]) -> list[str]:
    if os.geteuid() == 0:
        return ["runuser", "-u", "postgres", "--", *command]
    return command


def _run(command: list[str], what: str) -> None:
    result = subprocess.run(_as_postgres(command), capture_output=True, text=True, check=False)
    if result.returncode != 0:
        raise PostgresStartError(f"{what} failed ({result.returncode}): {result.stderr.strip()}")


@dataclass
class PostgresServer:
    """A running server on 127.0.0.1; `url` connects as the superuser `postgres`."""

    directory: Path
    port: int

    @property
    def url(self) -> str:
        return f"postgresql+asyncpg://postgres@127.0.0.1:{self.port}/postgres"

    @classmethod
    def start(cls) -> PostgresServer:
        for binary in ("initdb", "pg_ctl"):
            if shutil.which(binary) is None:
                raise PostgresStartError(f"{binary} is not on PATH; install the PostgreSQL server.")
        directory = Path(tempfile.mkdtemp(prefix="studybot-pg-"))
        if os.geteuid() == 0:
            shutil.chown(directory, "postgres", "postgres")
        data = directory / "data"
        _run(["initdb", "-D", str(data), "-A", "trust", "-U", "postgres", "-E", "UTF8"], "initdb")
        port = _free_port()
        options = (
            f"-p {port} -k {directory} -c listen_addresses=127.0.0.1 -c fsync=off "
            "-c synchronous_commit=off -c full_page_writes=off -c max_connections=200"
        )
        _run(
            ["pg_ctl", "-D", str(data), "-o", options, "-l", str(directory / "log"), "-w", "start"],
            "pg_ctl start",
        )
        return cls(directory, port)

    def stop(self) -> None:
        subprocess.run(
            _as_postgres(["pg_ctl", "-D", str(self.directory / "data"), "-m", "fast", "stop"]),
            capture_output=True,
            check=False,
        )
        shutil.rmtree(self.directory, ignore_errors=True)
