"""The HTTP protocol client: one keep-alive :class:`~desk_app.sync.transport.Transport` per worker
thread, typed failures.

Failures the worker treats differently: :class:`Offline` (no connection, timeout, 5xx — retry
with backoff), :class:`NotSignedIn` (401 — ask the operator to sign in again),
:class:`Forbidden` (403), :class:`CursorReset` (410 — re-fetch from scratch).
"""

from __future__ import annotations

from dataclasses import dataclass
from json import loads
from typing import Any
from urllib.parse import urlencode

LONG_POLL_SECONDS = 25.0


class SyncError(Exception):
    pass


class Offline(SyncError):
    """The server cannot be reached right now (or answered 5xx)."""


class NotSignedIn(SyncError):
    pass


class Forbidden(SyncError):
    pass


class CursorReset(SyncError):
    """The server cannot continue from our cursor: re-fetch everything."""


class BadRequest(SyncError):
    pass


@dataclass(frozen=True)
class Page:
    cursor: str
    more: bool
    changes: list[dict[str, Any]]


class SyncClient:
    """One per worker thread: one keep-alive connection, the token in prepared headers."""

    def __init__(self, base_url: str, token: str | None = None, timeout: float = 15.0) -> None:
        from desk_app.sync.transport import Transport

        self.base_url = base_url.rstrip("/")
        self.timeout = timeout
        self.http = Transport(self.base_url)
        self.token = token

    @property
    def token(self) -> str | None:
        return self._token

    @token.setter
    def token(self, value: str | None) -> None:
        self._token = value
        self.http.authorization(f"Bearer {value}" if value else None)

    def close(self) -> None:
        self.http.close()

    def _call(
        self,
        method: str,
        path: str,
        *,
        timeout: float | None = None,
        json: Any = None,
        params: dict[str, Any] | None = None,
    ) -> Any:
        from desk_app.sync.transport import TransportError

        if params:
            path = f"{path}?{urlencode(params)}"
        try:
            status, data = self.http.request(method, path, json, timeout or self.timeout)
        except TransportError as error:
            raise Offline(str(error)) from error
        if status >= 500:
            raise Offline(f"server error {status}")
        if status == 401:
            raise NotSignedIn(_detail(data))
        if status == 403:
            raise Forbidden(_detail(data))
        if status == 410:
            raise CursorReset(_detail(data))
        if status >= 300:  # a redirect is not followed: the server address is wrong
            raise BadRequest(f"{status}: {_detail(data)}")
        return None if status == 204 else loads(data)

    # -- protocol ------------------------------------------------------------------------------
    def login(self, username: str, password: str) -> dict[str, Any]:
        """Signs in; keeps the token on this client and returns ``{token, user}``."""
        body = self._call("POST", "/auth/login", json={"username": username, "password": password})
        self.token = body["token"]
        return dict(body)

    def me(self) -> dict[str, Any]:
        return dict(self._call("GET", "/me"))

    def push(self, mutations: list[dict[str, Any]]) -> list[dict[str, Any]]:
        body = self._call("POST", "/sync/push", json={"mutations": mutations}, timeout=60.0)
        return list(body["results"])

    def changes(self, cursor: str, *, wait: float = 0.0, limit: int = 500) -> Page:
        body = self._call(
            "GET",
            "/sync/changes",
            params={"cursor": cursor, "wait": wait, "limit": limit},
            timeout=wait + self.timeout,
        )
        return Page(cursor=body["cursor"], more=body["more"], changes=body["changes"])

    def heartbeat(self, ticket_id: str, state: str) -> list[dict[str, Any]]:
        body = self._call(
            "POST", "/presence", json={"ticket_id": ticket_id, "state": state}, timeout=5.0
        )
        return list(body)

    def present(self, ticket_id: str) -> list[dict[str, Any]]:
        return list(self._call("GET", f"/presence/{ticket_id}", timeout=5.0))


def _detail(data: bytes) -> str:
    """The server's ``detail`` (FastAPI's error body), else the start of the body."""
    text = data.decode("utf-8", "replace")
    try:
        body = loads(data)
    except ValueError:
        return text[:200]
    return str(body.get("detail", text)) if isinstance(body, dict) else text[:200]
