"""The sync client's HTTP transport: one keep-alive ``http.client`` connection, settings read once.

Why not ``requests`` (or urllib3 under it): their per-call machinery (session merge, hooks,
retry and timeout objects, response wrappers, encoding guess) cost 0.7–1.0 ms of CPU per call
on this protocol's small JSON bodies, and 50 workstations make ~700 calls/s; a persistent
``http.client`` connection costs a third of that. What ``requests`` gave the client is kept:
proxies from ``HTTP(S)_PROXY``/``ALL_PROXY``/``NO_PROXY`` read by requests' own helpers
(credentials in the proxy URL become ``Proxy-Authorization``; HTTPS goes through a CONNECT
tunnel), TLS verified against ``REQUESTS_CA_BUNDLE``/``CURL_CA_BUNDLE`` or certifi's bundle
with the host name checked, a connect and read timeout per call, no retries (the sync worker
owns backoff), gzip/deflate answers decoded. Redirects are not followed (the protocol has none):
a 3xx comes back as its status. Headers are never logged.
"""

from __future__ import annotations

import base64
import http.client
import os
import select
import ssl
import threading
import zlib
from json import JSONEncoder
from typing import Any
from urllib.parse import unquote, urlsplit

USER_AGENT = "desk-sync/1"
# one encoder: ``json.dumps`` with arguments builds a new one on every call
_encode = JSONEncoder(separators=(",", ":"), allow_nan=False).encode


class TransportError(Exception):
    """No answer: connection refused or dropped, timeout, TLS or proxy failure."""


def _proxy_for(base_url: str) -> str | None:
    """The proxy ``requests`` would use for ``base_url`` (its helpers, read once)."""
    from requests.utils import get_environ_proxies, select_proxy

    return select_proxy(base_url, get_environ_proxies(base_url))


def _tls_context() -> ssl.SSLContext:
    """Verification as ``requests`` did it: the bundle named by the environment, else certifi's."""
    from requests.utils import DEFAULT_CA_BUNDLE_PATH

    bundle = (
        os.environ.get("REQUESTS_CA_BUNDLE")
        or os.environ.get("CURL_CA_BUNDLE")
        or DEFAULT_CA_BUNDLE_PATH
    )
    if os.path.isdir(bundle):
        return ssl.create_default_context(capath=bundle)
    return ssl.create_default_context(cafile=bundle)


def _dropped(sock: Any) -> bool:
    """An idle keep-alive socket that is readable was closed by the server (or holds garbage):
    checked before reuse, as urllib3 does, so an idle client does not fail its next call."""
    if hasattr(select, "poll"):
        poller = select.poll()
        poller.register(sock, select.POLLIN)
        return bool(poller.poll(0))
    return bool(select.select([sock], [], [], 0)[0])


def _proxy_auth(proxy: Any) -> dict[str, str]:
    if not proxy.username:
        return {}
    pair = f"{unquote(proxy.username)}:{unquote(proxy.password or '')}"
    return {"Proxy-Authorization": "Basic " + base64.b64encode(pair.encode()).decode()}


class Transport:
    """Sends one request at a time on one persistent connection; returns ``(status, body)``.
    Meant for one thread (one client per worker thread); a lock keeps accidental sharing safe."""

    def __init__(self, base_url: str) -> None:
        target = urlsplit(base_url)
        self._https = target.scheme.lower() == "https"
        self._host = target.hostname or ""
        self._port = target.port or (443 if self._https else 80)
        self._prefix = target.path.rstrip("/")
        proxy = _proxy_for(base_url)
        self._proxy = urlsplit(proxy) if proxy else None
        # a plain-HTTP request through a proxy names the whole URL and carries the proxy's
        # credentials itself; HTTPS sends them only in the CONNECT that opens the tunnel
        self._forward = self._proxy is not None and not self._https
        if self._forward:
            self._prefix = f"http://{target.netloc.rpartition('@')[2]}{self._prefix}"
        self._context = _tls_context() if self._https else None
        self._conn: http.client.HTTPConnection | None = None
        self._lock = threading.Lock()
        self.authorization(None)

    def authorization(self, value: str | None) -> None:
        base = {"User-Agent": USER_AGENT, "Accept": "application/json"}
        base["Accept-Encoding"] = "gzip, deflate"
        if value:
            base["Authorization"] = value
        if self._forward and self._proxy is not None:
            base |= _proxy_auth(self._proxy)
        self._plain, self._json = base, base | {"Content-Type": "application/json"}

    def _connect(self, timeout: float) -> http.client.HTTPConnection:
        proxy = self._proxy
        if proxy is None:
            if self._https:
                return http.client.HTTPSConnection(
                    self._host, self._port, timeout=timeout, context=self._context
                )
            return http.client.HTTPConnection(self._host, self._port, timeout=timeout)
        scheme = proxy.scheme.lower()
        if scheme not in ("http", "https"):  # socks: requests needed PySocks for it, too
            raise TransportError(f"unsupported proxy scheme: {proxy.scheme}")
        host, port = proxy.hostname or "", proxy.port or (443 if scheme == "https" else 80)
        if scheme == "https":
            conn: http.client.HTTPConnection = http.client.HTTPSConnection(
                host, port, timeout=timeout, context=self._context or _tls_context()
            )
        else:
            conn = http.client.HTTPConnection(host, port, timeout=timeout)
        if self._https:  # end-to-end TLS through a CONNECT tunnel
            conn.set_tunnel(self._host, self._port, headers=_proxy_auth(proxy))
        return conn

    def request(self, method: str, path: str, json: Any, timeout: float) -> tuple[int, bytes]:
        """``path`` starts with ``/`` (query included); ``json`` is encoded once, compactly."""
        body = None if json is None else _encode(json).encode()
        with self._lock:
            try:
                return self._exchange(method, self._prefix + path, body, timeout)
            except (OSError, http.client.HTTPException) as error:
                self.close()
                raise TransportError(str(error) or type(error).__name__) from error

    def _exchange(
        self, method: str, target: str, body: bytes | None, timeout: float
    ) -> tuple[int, bytes]:
        conn = self._conn
        if conn is None:
            conn = self._conn = self._connect(timeout)
        elif conn.sock is not None and _dropped(conn.sock):
            conn.close()
        if conn.timeout != timeout:
            conn.timeout = timeout
            if conn.sock is not None:
                conn.sock.settimeout(timeout)
        conn.request(method, target, body, self._plain if body is None else self._json)
        response = conn.getresponse()
        data = response.read()
        encoding = (response.getheader("Content-Encoding") or "").lower()
        if encoding in ("gzip", "deflate"):
            try:
                data = zlib.decompress(data, 47)  # gzip or zlib header, detected
            except zlib.error as error:
                raise http.client.HTTPException(f"bad {encoding} body: {error}") from error
        return response.status, data

    def close(self) -> None:
        conn, self._conn = self._conn, None
        if conn is not None:
            conn.close()
