"""``desk-server``: init-db, create-user, serve, fetcher.

The database is ``--database URL`` or ``$DESK_SERVER_DATABASE``, default a SQLite file in the
current directory, so ``desk-server init-db && desk-server serve`` is all a small team needs.
"""

from __future__ import annotations

import argparse
import getpass
import os
import sys
from collections.abc import Sequence
from uuid import UUID

from desk_app.domain.enums import Role
from desk_app.server.app import DATABASE_ENV
from desk_app.server.db import DEFAULT_URL, migrate, open_database


def _database_url(args: argparse.Namespace) -> str:
    return str(args.database or os.environ.get(DATABASE_ENV) or DEFAULT_URL)


def init_db(args: argparse.Namespace) -> int:
    database = open_database(_database_url(args))
    try:
        migrate(database)
    finally:
        database.dispose()
    print(f"database ready: {database.writer.url.render_as_string(hide_password=True)}")
    return 0


def _read_password(args: argparse.Namespace) -> str:
    if args.password_stdin:
        return sys.stdin.readline().rstrip("\n")
    first = getpass.getpass("Password: ")
    if first != getpass.getpass("Again: "):
        raise SystemExit("passwords differ")
    return first


def create_user(args: argparse.Namespace) -> int:
    from fastapi import HTTPException
    from pydantic import ValidationError

    from desk_app.server.account_routes import create_user_in
    from desk_app.server.models import Team
    from desk_app.server.schemas import UserCreate

    database = open_database(_database_url(args))
    try:
        with database.writes.begin() as session:
            team_id = None
            if args.team:
                team = session.query(Team).filter_by(name=args.team).first()
                if team is None:
                    team = Team(name=args.team)
                    session.add(team)
                    session.flush()
                team_id = team.id
            try:
                body = UserCreate(
                    username=args.username,
                    password=_read_password(args),
                    display_name=args.display_name or args.username,
                    email=args.email,
                    role=Role(args.role),
                    team_id=UUID(team_id) if team_id else None,
                )
            except ValidationError as error:
                raise SystemExit(f"invalid user: {error}") from error
            try:
                user = create_user_in(session, body, database.is_postgres)
            except HTTPException as error:  # username taken, unknown team
                raise SystemExit(f"cannot create user: {error.detail}") from None
            print(user.id)
    finally:
        database.dispose()
    return 0


def serve(args: argparse.Namespace) -> int:
    import uvicorn

    os.environ[DATABASE_ENV] = _database_url(args)
    uvicorn.run(
        "desk_app.server.app:create_app_from_env",
        factory=True,
        host=args.host,
        port=args.port,
        workers=args.workers,
        log_level=args.log_level,
        timeout_keep_alive=75,  # longer than a long-poll so connections are reused
    )
    return 0


def fetcher(args: argparse.Namespace) -> int:
    from desk_app.server.fetcher import run_fetcher

    password = sys.stdin.readline().rstrip("\n") if args.password_stdin else None
    return run_fetcher(args.profile, args.server, args.username, password, args.poll_seconds)


def parser() -> argparse.ArgumentParser:
    root = argparse.ArgumentParser(prog="desk-server", description=__doc__)
    root.add_argument("--database", help=f"SQLAlchemy URL (default ${DATABASE_ENV} or SQLite)")
    commands = root.add_subparsers(dest="command", required=True)

    commands.add_parser("init-db", help="create or upgrade the schema").set_defaults(run=init_db)

    user = commands.add_parser("create-user", help="add a user (password from the prompt)")
    user.add_argument("username")
    user.add_argument("--role", choices=[r.value for r in Role], default=Role.AGENT.value)
    user.add_argument("--display-name")
    user.add_argument("--email")
    user.add_argument("--team", help="team name (created if missing)")
    user.add_argument("--password-stdin", action="store_true", help="read one line from stdin")
    user.set_defaults(run=create_user)

    run = commands.add_parser("serve", help="run the HTTP server (uvicorn)")
    run.add_argument("--host", default="127.0.0.1")
    run.add_argument("--port", type=int, default=8765)
    run.add_argument("--workers", type=int, default=1, help="server processes")
    run.add_argument("--log-level", default="warning")
    run.set_defaults(run=serve)

    fetch = commands.add_parser(
        "fetcher", help="run the team's shared channel accounts and their outbox"
    )
    fetch.add_argument("--profile", required=True, help="the fetcher's own profile directory")
    fetch.add_argument("--server", required=True, help="server URL, e.g. http://127.0.0.1:8765")
    fetch.add_argument("--username", required=True, help="a lead/admin user (token in keyring)")
    fetch.add_argument("--poll-seconds", type=float, default=30.0, help="for channels without push")
    fetch.add_argument(
        "--password-stdin", action="store_true", help="sign in first (token to the keyring)"
    )
    fetch.set_defaults(run=fetcher)
    return root


def main(argv: Sequence[str] | None = None) -> int:
    args = parser().parse_args(argv)
    return int(args.run(args))


if __name__ == "__main__":
    raise SystemExit(main())
