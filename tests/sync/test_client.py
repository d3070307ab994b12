"""The protocol client's transport against a scripted HTTP/1.1 server on loopback: how answers
become the exceptions the sync worker handles, keep-alive (and reconnecting when the server
closed an idle connection), timeouts, proxies from the environment, TLS verification."""

from __future__ import annotations

import base64
import gzip
import json
import queue
import socket
import ssl
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest

from desk_app.sync.client import (
    BadRequest,
    CursorReset,
    Forbidden,
    NotSignedIn,
    Offline,
    SyncClient,
)
from tests.channels.email.email_servers import make_certificate
from tests.serverkit import free_port

PROXY_VARS = ("http_proxy", "https_proxy", "all_proxy", "no_proxy")


@dataclass
class Answer:
    status: int = 200
    body: bytes = b"{}"
    headers: dict[str, str] = field(default_factory=dict)
    delay: float = 0.0
    close_after: bool = False  # drop the connection after answering, without saying so


@dataclass
class Seen:
    method: str
    target: str
    headers: dict[str, str]
    body: bytes
    connection: int


class Scripted(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self, tls: ssl.SSLContext | None = None) -> None:
        super().__init__(("127.0.0.1", 0), _Handler)
        if tls is not None:
            self.socket = tls.wrap_socket(self.socket, server_side=True)
        self.answers: queue.Queue[Answer] = queue.Queue()
        self.seen: list[Seen] = []
        self.connections = 0
        self.closed = threading.Event()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}"


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server: Scripted

    def setup(self) -> None:
        super().setup()
        self.server.connections += 1
        self.number = self.server.connections

    def log_message(self, format: str, *args: Any) -> None:
        return None

    def _answer(self) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length)
        headers = {k.lower(): v for k, v in self.headers.items()}
        self.server.seen.append(Seen(self.command, self.path, headers, body, self.number))
        answer = self.server.answers.get_nowait()
        time.sleep(answer.delay)
        self.send_response(answer.status)
        for name, value in answer.headers.items():
            self.send_header(name, value)
        self.send_header("Content-Length", str(len(answer.body)))
        self.end_headers()
        self.wfile.write(answer.body)
        self.wfile.flush()
        if answer.close_after:
            self.connection.shutdown(socket.SHUT_RDWR)
            self.close_connection = True
            self.server.closed.set()

    do_GET = do_POST = _answer


@pytest.fixture
def server(monkeypatch: pytest.MonkeyPatch) -> Iterator[Scripted]:
    for name in PROXY_VARS:
        monkeypatch.delenv(name, raising=False)
        monkeypatch.delenv(name.upper(), raising=False)
    scripted = Scripted()
    thread = threading.Thread(target=scripted.serve_forever, daemon=True)
    thread.start()
    yield scripted
    scripted.shutdown()
    scripted.server_close()


def _json(value: Any, status: int = 200) -> Answer:
    return Answer(status, json.dumps(value).encode(), {"Content-Type": "application/json"})


@pytest.mark.timeout(20)
def test_answers_become_the_exceptions_the_worker_handles(server: Scripted) -> None:
    client = SyncClient(server.url, "tok")
    cases: list[tuple[Answer, type[Exception], str]] = [
        (_json({"detail": "expired"}, 401), NotSignedIn, "expired"),
        (_json({"detail": "admins only"}, 403), Forbidden, "admins only"),
        (_json({"detail": [{"loc": ["body"]}]}, 422), BadRequest, "422: [{'loc': ['body']}]"),
        (Answer(400, b"not json"), BadRequest, "400: not json"),
        (Answer(500, b"boom"), Offline, "server error 500"),
        (Answer(503, b""), Offline, "server error 503"),
        (Answer(302, b"", {"Location": "https://elsewhere/me"}), BadRequest, "302: "),
    ]
    for answer, kind, message in cases:
        server.answers.put(answer)
        with pytest.raises(kind) as raised:
            client.me()
        assert str(raised.value) == message
    server.answers.put(_json({"detail": "cursor too old"}, 410))
    with pytest.raises(CursorReset, match="cursor too old"):
        client.changes("c1")
    server.answers.put(Answer(204, b""))
    assert client._call("POST", "/presence") is None
    assert server.connections == 1  # error answers keep the connection


@pytest.mark.timeout(20)
def test_one_kept_alive_connection_carries_token_and_compact_json(server: Scripted) -> None:
    client = SyncClient(server.url + "/", "tok")
    server.answers.put(_json({"results": [{"outcome": "applied"}]}))
    mutation = {"id": "m1", "kind": "ticket.priority", "payload": {"priority": 2, "note": "é"}}
    assert client.push([mutation]) == [{"outcome": "applied"}]
    server.answers.put(_json({"cursor": "c2", "more": False, "changes": []}))
    page = client.changes("c 1", wait=2.0, limit=10)
    assert (page.cursor, page.more, page.changes) == ("c2", False, [])
    client.token = None
    server.answers.put(_json({"id": "u"}))
    assert client.me() == {"id": "u"}
    client.token = "other"
    server.answers.put(Answer(200, gzip.compress(b'{"id": "g"}'), {"Content-Encoding": "gzip"}))
    assert client.me() == {"id": "g"}

    push, poll, anonymous, fresh = server.seen
    assert {s.connection for s in server.seen} == {1}
    assert (push.method, push.target) == ("POST", "/sync/push")
    assert push.headers["authorization"] == "Bearer tok"
    assert push.headers["content-type"] == "application/json"
    assert push.body == json.dumps({"mutations": [mutation]}, separators=(",", ":")).encode()
    assert poll.target == "/sync/changes?cursor=c+1&wait=2.0&limit=10"
    assert "authorization" not in anonymous.headers
    assert fresh.headers["authorization"] == "Bearer other"
    client.close()


@pytest.mark.timeout(20)
def test_reconnects_when_the_server_closed_the_idle_connection(server: Scripted) -> None:
    client = SyncClient(server.url, "tok")
    server.answers.put(Answer(200, b'{"n": 1}', close_after=True))
    assert client.me() == {"n": 1}
    assert server.closed.wait(5)
    time.sleep(0.05)  # the FIN reaches the client's socket
    server.answers.put(_json({"n": 2}))
    assert client.me() == {"n": 2}
    assert [s.connection for s in server.seen] == [1, 2]


@pytest.mark.timeout(20)
def test_timeouts_and_refused_connections_are_offline(server: Scripted) -> None:
    client = SyncClient(server.url, "tok", timeout=0.3)
    server.answers.put(Answer(200, b"{}", delay=1.0))
    started = time.monotonic()
    with pytest.raises(Offline):
        client.me()
    assert time.monotonic() - started < 0.9
    server.answers.put(_json({"ok": True}))
    assert client.me() == {"ok": True}  # a fresh connection after the timed-out one
    refused = SyncClient(f"http://127.0.0.1:{free_port()}", "tok")
    with pytest.raises(Offline):
        refused.me()


@pytest.mark.timeout(20)
def test_http_proxy_and_no_proxy_from_the_environment(
    server: Scripted, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("HTTP_PROXY", f"http://ann:p%40ss@127.0.0.1:{server.server_address[1]}")
    client = SyncClient("http://desk.example:8080/api", "tok")
    server.answers.put(_json({"via": "proxy"}))
    assert client.me() == {"via": "proxy"}
    seen = server.seen[-1]
    assert seen.target == "http://desk.example:8080/api/me"
    assert seen.headers["host"] == "desk.example:8080"
    assert seen.headers["proxy-authorization"] == "Basic " + base64.b64encode(b"ann:p@ss").decode()
    assert seen.headers["authorization"] == "Bearer tok"

    monkeypatch.setenv("HTTP_PROXY", f"http://127.0.0.1:{free_port()}")  # nobody there
    monkeypatch.setenv("NO_PROXY", "127.0.0.1")
    direct = SyncClient(server.url, "tok")
    server.answers.put(_json({"via": "direct"}))
    assert direct.me() == {"via": "direct"}
    assert server.seen[-1].target == "/me"


@pytest.mark.timeout(20)
def test_tls_is_verified_against_the_configured_bundle(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    for name in PROXY_VARS:
        monkeypatch.delenv(name, raising=False)
        monkeypatch.delenv(name.upper(), raising=False)
    cert, key = make_certificate(tmp_path)
    tls = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    tls.load_cert_chain(cert, key)
    scripted = Scripted(tls)
    threading.Thread(target=scripted.serve_forever, daemon=True).start()
    try:
        port = scripted.server_address[1]
        monkeypatch.delenv("REQUESTS_CA_BUNDLE", raising=False)
        monkeypatch.delenv("CURL_CA_BUNDLE", raising=False)
        with pytest.raises(Offline, match="CERTIFICATE_VERIFY_FAILED"):
            SyncClient(f"https://localhost:{port}", "tok").me()  # not in certifi's bundle
        monkeypatch.setenv("REQUESTS_CA_BUNDLE", str(cert))
        scripted.answers.put(_json({"tls": True}))
        assert SyncClient(f"https://localhost:{port}", "tok").me() == {"tls": True}
        assert scripted.seen[-1].headers["authorization"] == "Bearer tok"
    finally:
        scripted.shutdown()
        scripted.server_close()
