"""Real servers for the server and sync tests: PostgreSQL 15 (initdb into a temp dir, run as the
unprivileged ``postgres`` user on a free loopback port) and ``desk-server`` in a subprocess.

Nothing here skips: if PostgreSQL is missing the fixture fails loudly with the reason.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import requests

PG_BIN = Path("/usr/lib/postgresql/15/bin")
PG_USER = "postgres"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _pg_user() -> dict[str, str]:
    """As root, PostgreSQL must run as an unprivileged user: exec it directly as ``postgres``
    (not through runuser, which would not pass our signals on)."""
    return {"user": PG_USER, "group": PG_USER} if os.geteuid() == 0 else {}


@dataclass
class Postgres:
    """One throwaway PostgreSQL cluster."""

    port: int
    data_dir: Path
    process: subprocess.Popen[bytes] | None = None
    databases: list[str] = field(default_factory=list)

    def url(self, database: str) -> str:
        return f"postgresql+psycopg://{PG_USER}@127.0.0.1:{self.port}/{database}"

    def create_database(self, name: str, template: str | None = None) -> str:
        import psycopg

        with psycopg.connect(self.url("postgres").replace("+psycopg", ""), autocommit=True) as c:
            c.execute(f'DROP DATABASE IF EXISTS "{name}"')
            suffix = f' TEMPLATE "{template}"' if template else ""
            c.execute(f'CREATE DATABASE "{name}"{suffix}')
        self.databases.append(name)
        return self.url(name)

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.send_signal(signal.SIGQUIT)  # immediate: the cluster is thrown away
            try:
                self.process.wait(20)
            except subprocess.TimeoutExpired:
                self.process.kill()
        shutil.rmtree(self.data_dir.parent, ignore_errors=True)


def start_postgres(*, durable: bool = False, max_connections: int = 200) -> Postgres:
    initdb = PG_BIN / "initdb"
    if not initdb.exists():
        raise RuntimeError(
            f"PostgreSQL 15 is required ({initdb} missing): apt-get install postgresql"
        )
    root = Path(tempfile.mkdtemp(prefix="desk-pg-"))
    data = root / "data"
    if os.geteuid() == 0:
        shutil.chown(root, PG_USER, PG_USER)
    subprocess.run(
        [str(initdb), "-D", str(data), "-A", "trust", "-U", PG_USER, "-E", "UTF8", "--no-sync"],
        check=True,
        capture_output=True,
        cwd=root,
        **_pg_user(),  # type: ignore[arg-type]
    )
    port = free_port()
    options = [
        "-c",
        f"port={port}",
        "-c",
        "listen_addresses=127.0.0.1",
        "-c",
        f"unix_socket_directories={root}",
        "-c",
        f"max_connections={max_connections}",
        "-c",
        "shared_buffers=128MB",
    ]
    if not durable:  # tests: crash safety of the OS is not what they test
        options += ["-c", "fsync=off", "-c", "synchronous_commit=off", "-c", "full_page_writes=off"]
    process = subprocess.Popen(
        [str(PG_BIN / "postgres"), "-D", str(data), *options],
        cwd=root,
        **_pg_user(),  # type: ignore[arg-type]
        stdout=subprocess.DEVNULL,
        stderr=open(root / "postgres.log", "wb"),  # noqa: SIM115 - lives as long as the server
    )
    server = Postgres(port=port, data_dir=data, process=process)
    import psycopg

    deadline = time.monotonic() + 30
    while True:
        try:
            with psycopg.connect(server.url("postgres").replace("+psycopg", ""), connect_timeout=2):
                return server
        except psycopg.OperationalError:
            if process.poll() is not None or time.monotonic() > deadline:
                log = (root / "postgres.log").read_text(errors="replace")
                server.stop()
                raise RuntimeError(f"PostgreSQL did not start:\n{log}") from None
            time.sleep(0.1)


# -- desk-server --------------------------------------------------------------------------------
def server_cli(database_url: str, *args: str, stdin: str | None = None) -> str:
    result = subprocess.run(
        [sys.executable, "-m", "desk_app.server.cli", "--database", database_url, *args],
        input=stdin,
        capture_output=True,
        text=True,
        timeout=60,
    )
    if result.returncode != 0:
        raise RuntimeError(f"desk-server {args}: {result.stderr}")
    return result.stdout.strip()


@dataclass
class DeskServer:
    """``desk-server serve`` in a subprocess; SIGKILL and restart like a real crash."""

    database_url: str
    port: int = field(default_factory=free_port)
    env: dict[str, str] = field(default_factory=dict)
    workers: int = 1
    process: subprocess.Popen[bytes] | None = None
    log_path: Path | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self, **extra_env: str) -> DeskServer:
        env = os.environ | self.env | extra_env
        self.log_path = Path(tempfile.mkstemp(prefix="desk-server-", suffix=".log")[1])
        self.process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "desk_app.server.cli",
                "--database",
                self.database_url,
                "serve",
                "--port",
                str(self.port),
                "--workers",
                str(self.workers),
            ],
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=open(self.log_path, "wb"),  # noqa: SIM115
        )
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"desk-server exited:\n{self.log()}")
            with contextlib.suppress(requests.RequestException):
                if requests.get(self.url + "/health", timeout=1).ok:
                    return self
            time.sleep(0.05)
        raise RuntimeError(f"desk-server did not answer:\n{self.log()}")

    def log(self) -> str:
        return self.log_path.read_text(errors="replace") if self.log_path else ""

    def kill(self) -> None:
        """SIGKILL: no cleanup, like a power cut."""
        if self.process is not None and self.process.poll() is None:
            self.process.kill()
            self.process.wait(10)

    def wait_exit(self, timeout: float) -> int | None:
        assert self.process is not None
        try:
            return self.process.wait(timeout)
        except subprocess.TimeoutExpired:
            return None

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(10)
            except subprocess.TimeoutExpired:
                self.process.kill()


def init_server_db(database_url: str, users: dict[str, tuple[str, str | None]]) -> dict[str, str]:
    """``desk-server init-db`` (the real CLI), then users created in-process (faster than one
    CLI process each; the CLI's create-user has its own test). Password is ``password-<username>``.
    Returns username -> user id."""
    from uuid import UUID

    from desk_app.domain.enums import Role
    from desk_app.server.account_routes import create_user_in
    from desk_app.server.db import open_database
    from desk_app.server.models import Team
    from desk_app.server.schemas import UserCreate

    server_cli(database_url, "init-db")
    database = open_database(database_url)
    ids: dict[str, str] = {}
    try:
        with database.writes.begin() as session:
            teams: dict[str, str] = {}
            for username, (role, team) in users.items():
                if team and team not in teams:
                    row = Team(name=team)
                    session.add(row)
                    session.flush()
                    teams[team] = row.id
                body = UserCreate(
                    username=username,
                    password=f"password-{username}",
                    display_name=username.capitalize(),
                    role=Role(role),
                    team_id=UUID(teams[team]) if team else None,
                )
                ids[username] = create_user_in(session, body, database.is_postgres).id
    finally:
        database.dispose()
    return ids


@contextlib.contextmanager
def running(server: DeskServer) -> Iterator[DeskServer]:
    server.start()
    try:
        yield server
    finally:
        server.stop()
