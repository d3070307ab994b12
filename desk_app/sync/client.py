"""The HTTP protocol client: one ``requests.Session`` per worker thread, typed failures.

Failures the worker treats differently: :class:`Offline` (no connection, timeout, 5xx — retry
with backoff), :class:`NotSignedIn` (401 — ask the operator to sign in again),
:class:`Forbidden` (403), :class:`CursorReset` (410 — re-fetch from scratch).
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # imported lazily: a standalone profile never loads the HTTP stack
    import requests

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
    def __init__(self, base_url: str, token: str | None = None, timeout: float = 15.0) -> None:
        self.base_url = base_url.rstrip("/")
        self.timeout = timeout
        import requests

        self.http = requests.Session()
        # Proxy and CA settings from the environment are read once here: with ``trust_env``
        # requests re-reads them (and ~/.netrc) on every call, a fifth of a long-poll's CPU.
        self.http.proxies.update(requests.utils.get_environ_proxies(self.base_url))
        bundle = os.environ.get("REQUESTS_CA_BUNDLE") or os.environ.get("CURL_CA_BUNDLE")
        self.http.verify = bundle or True
        self.http.trust_env = False
        self.token = token

    @property
    def token(self) -> str | None:
        return self._token

    @token.setter
    def token(self, value: str | None) -> None:
        self._token = value
        if value:
            self.http.headers["Authorization"] = f"Bearer {value}"
        else:
            self.http.headers.pop("Authorization", None)

    def close(self) -> None:
        self.http.close()

    def _call(self, method: str, path: str, *, timeout: float | None = None, **kwargs: Any) -> Any:
        import requests

        try:
            response = self.http.request(
                method, self.base_url + path, timeout=timeout or self.timeout, **kwargs
            )
        except requests.RequestException as error:
            raise Offline(str(error)) from error
        status = response.status_code
        if status >= 500:
            raise Offline(f"server error {status}")
        if status == 401:
            raise NotSignedIn(_detail(response))
        if status == 403:
            raise Forbidden(_detail(response))
        if status == 410:
            raise CursorReset(_detail(response))
        if status >= 400:
            raise BadRequest(f"{status}: {_detail(response)}")
        return None if status == 204 else response.json()

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


def _detail(response: requests.Response) -> str:
    try:
        return str(response.json().get("detail", response.text))
    except ValueError:
        return response.text[:200]
