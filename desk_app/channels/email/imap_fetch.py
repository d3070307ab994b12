"""Fetching new mail over IMAP: first sync in batches, then incremental by UID.

* New mail is found by UID: everything above the folder's ``last_uid``. A changed UIDVALIDITY
  means UIDs were renumbered: the folder is read again from the start and Message-IDs dedupe
  what is already stored.
* "Anything new?" is one STATUS per folder (UIDNEXT, UIDVALIDITY and, when the server offers
  CONDSTORE, HIGHESTMODSEQ) compared with the cursor — no SELECT, no SEARCH.
* Bodies are fetched with ``BODY.PEEK[]``, which never sets ``\\Seen``; only an account with
  ``mark_seen`` flags what it stored.
* A big batch is fetched and parsed by a worker process on a connection of its own (see
  :mod:`desk_app.channels.email.parallel`); this connection only finds the UIDs.
* A dropped connection loses nothing: the cursor moves only when the caller has stored the
  batch, so the next round fetches the same UIDs again.
"""

from __future__ import annotations

import logging
import ssl
import threading
import time
from collections.abc import Callable
from concurrent.futures import Future
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass

from imapclient import IMAPClient
from imapclient.exceptions import IMAPClientError, LoginError

from desk_app.channels.base import FetchResult, IncomingItem, PermanentError, TransientError
from desk_app.channels.email import cursor as cursors
from desk_app.channels.email.blobs import BlobStore
from desk_app.channels.email.config import EmailAccountConfig
from desk_app.channels.email.connection import classify, close_quietly, open_imap
from desk_app.channels.email.parallel import Batch, Login, ParsePool
from desk_app.channels.email.secrets import CredentialsUnavailable
from desk_app.channels.email.uid_fetch import fetch_raw

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class FetchProgress:
    folder: str
    done: int  # messages fetched in this catch-up so far
    remaining: int  # still to fetch in this folder

    @property
    def total(self) -> int:
        return self.done + self.remaining


ProgressCallback = Callable[[FetchProgress], None]
PasswordSource = Callable[[], str]


@dataclass
class _Prefetch:
    """The next batch, fetched and being parsed while the caller stores the current one."""

    folder: str
    uidvalidity: int
    after_uid: int  # valid only if the caller resumes from exactly here
    uids: list[int]
    parsed: Future[list[IncomingItem]]
    later: list[int]  # the UIDs after these, as the catch-up's SEARCH found them


class ImapFetcher:
    """One account's IMAP side. Keeps one connection between rounds; not thread-safe (one
    fetch worker owns it)."""

    def __init__(
        self,
        config: EmailAccountConfig,
        password: PasswordSource,
        blobs: BlobStore,
        *,
        on_progress: ProgressCallback | None = None,
        workers: int | None = None,
    ) -> None:
        self.config = config
        self.password = password
        self.blobs = blobs
        self.on_progress = on_progress
        self.pool = ParsePool(blobs, workers)
        self._client: IMAPClient | None = None
        self._done: dict[str, int] = {}
        self._prefetch: _Prefetch | None = None

    # -- connection -------------------------------------------------------------------------
    def client(self) -> IMAPClient:
        if self._client is None:
            self._client = open_imap(self.config.imap, self.password(), self.config.timeout)
        return self._client

    def close(self) -> None:
        self._drop_prefetch()
        self.pool.close()
        client, self._client = self._client, None
        if client is not None:
            close_quietly(client)

    def _login(self) -> Login:
        return Login(self.config.imap, self.password(), self.config.timeout)

    def _start(
        self, client: IMAPClient, batch: Batch, *, needed_now: bool = False
    ) -> Future[list[IncomingItem]]:
        return self.pool.submit(
            batch, self._login, lambda: fetch_raw(client, batch.uids), needed_now=needed_now
        )

    def _drop_prefetch(self) -> None:
        prefetch, self._prefetch = self._prefetch, None
        if prefetch is not None:
            prefetch.parsed.cancel()

    def _fail(self, error: Exception) -> TransientError | PermanentError:
        """Drop the connection (it may be half-read) and say what happened."""
        self._drop_prefetch()
        client, self._client = self._client, None
        if client is not None:
            close_quietly(client)
        failure = classify(error, self.config.imap)
        if isinstance(error, LoginError):
            return PermanentError(failure.message)
        return TransientError(failure.message)

    # -- fetching ---------------------------------------------------------------------------
    def fetch(self, cursor: str | None) -> FetchResult:
        folders = cursors.load(cursor)
        try:
            return self._fetch(folders)
        except CredentialsUnavailable as error:
            raise PermanentError(str(error)) from error
        except (OSError, ssl.SSLError, IMAPClientError) as error:
            raise self._fail(error) from error

    def _fetch(self, folders: dict[str, cursors.FolderState]) -> FetchResult:
        client = self.client()
        condstore = client.has_capability("CONDSTORE")
        wanted = [b"UIDNEXT", b"UIDVALIDITY"] + ([b"HIGHESTMODSEQ"] if condstore else [])
        for folder in self.config.folders:
            status = client.folder_status(folder, wanted)
            uidvalidity = int(status[b"UIDVALIDITY"])
            uidnext = int(status[b"UIDNEXT"])
            modseq = int(status.get(b"HIGHESTMODSEQ", 0))
            state = folders.get(folder)
            if state is not None and state.uidvalidity != uidvalidity:
                log.warning("%s: UIDVALIDITY changed; reading the folder again", folder)
                state = None
            if state is None:
                state = cursors.FolderState(uidvalidity=uidvalidity)
            if state.uidnext == uidnext and state.modseq == modseq and state.uidnext:
                continue  # nothing new since we caught up
            items, folders[folder], more = self._fetch_folder(
                client, folder, state, uidnext, modseq
            )
            if items or more:  # the caller stores these, then asks again for the rest
                return FetchResult(items=items, cursor=cursors.dump(folders), more=True)
        return FetchResult(items=[], cursor=cursors.dump(folders), more=False)

    def _fetch_folder(
        self,
        client: IMAPClient,
        folder: str,
        state: cursors.FolderState,
        uidnext: int,
        modseq: int,
    ) -> tuple[list[IncomingItem], cursors.FolderState, bool]:
        prefetch, self._prefetch = self._prefetch, None
        parsed: Future[list[IncomingItem]] | None = None
        if prefetch is not None and (prefetch.folder, prefetch.uidvalidity, prefetch.after_uid) == (
            folder,
            state.uidvalidity,
            state.last_uid,
        ):
            batch, parsed = prefetch.uids, prefetch.parsed
            client.select_folder(folder, readonly=not self.config.mark_seen)
            # The catch-up's first SEARCH listed the UIDs after this batch; only once that
            # list is used up is the server asked what arrived meanwhile (asking every batch
            # for everything after it made a first sync quadratic in the folder's size).
            later = prefetch.later or [
                u for u in client.search(["UID", f"{batch[-1] + 1}:*"]) if u > batch[-1]
            ]
            uids = batch + later
        else:
            if prefetch is not None:
                prefetch.parsed.cancel()
            client.select_folder(folder, readonly=not self.config.mark_seen)
            uids = [
                u for u in client.search(["UID", f"{state.last_uid + 1}:*"]) if u > state.last_uid
            ]
            uids.sort()
            batch = uids[: self.config.batch_size]
            if not batch:
                _leave(client)
                self._done.pop(folder, None)
                caught = cursors.FolderState(state.uidvalidity, state.last_uid, uidnext, modseq)
                return [], caught, False
        uids.sort()
        after = [u for u in uids if u > batch[-1]]
        following = after[: self.config.batch_size]
        if following:  # fetch the next batch now; it parses while the caller stores this one
            keep = len(after) > len(following)
            self._prefetch = _Prefetch(
                folder,
                state.uidvalidity,
                batch[-1],
                following,
                self._start(client, Batch(folder, state.uidvalidity, following, keep)),
                after[len(following) :],
            )
        if parsed is None:  # after the prefetch, which starts the workers while this is parsed
            first = Batch(folder, state.uidvalidity, batch, keep=bool(following))
            parsed = self._start(client, first, needed_now=True)
        if self.config.mark_seen:
            client.add_flags(batch, [b"\\Seen"], silent=True)
        _leave(client)
        try:
            items = parsed.result()
        except BrokenProcessPool:  # a worker died (out of memory?): parse here instead
            self._drop_prefetch()  # it went to the same broken pool
            self.pool.close()
            client.select_folder(folder, readonly=not self.config.mark_seen)  # left above
            raws = fetch_raw(client, batch)
            _leave(client)
            items = self.pool.parse_here(folder, raws)
        remaining = len([u for u in uids if u > batch[-1]])
        done = self._done.get(folder, 0) + len(batch)
        self._done[folder] = done
        if self.on_progress is not None:
            self.on_progress(FetchProgress(folder, done, remaining))
        caught_up = remaining == 0
        if caught_up:
            self._done.pop(folder, None)
        new_state = cursors.FolderState(
            state.uidvalidity,
            batch[-1],
            uidnext if caught_up else 0,
            modseq if caught_up else 0,
        )
        return items, new_state, not caught_up

    # -- waiting for new mail -----------------------------------------------------------------
    def wait_for_mail(self, timeout: float, stop: threading.Event) -> bool:
        """Block until the server announces new mail (IDLE on the first folder) or ``timeout``
        passes; True if something arrived. Without IDLE, just waits (polling fallback)."""
        deadline = time.monotonic() + timeout
        try:
            client = open_imap(self.config.imap, self.password(), self.config.timeout)
        except Exception:
            stop.wait(min(timeout, self.config.poll_seconds))
            return False
        try:
            if not client.has_capability("IDLE"):
                stop.wait(timeout)
                return False
            client.select_folder(self.config.folders[0], readonly=True)
            client.idle()
            try:
                while not stop.is_set() and time.monotonic() < deadline:
                    responses = client.idle_check(
                        timeout=min(1.0, max(deadline - time.monotonic(), 0.05))
                    )
                    if any(len(r) > 1 and r[1] in (b"EXISTS", b"RECENT") for r in responses):
                        return True
                return False
            finally:
                client.idle_done()
        except Exception as error:  # a broken IDLE must not stop fetching: poll instead
            log.info("IDLE failed (%s); polling", error)
            stop.wait(max(min(deadline - time.monotonic(), self.config.poll_seconds), 0))
            return False
        finally:
            close_quietly(client)


def _leave(client: IMAPClient) -> None:
    """Deselect without expunging, so the next STATUS on this folder is current (servers may
    answer STATUS on the selected folder from the state they last told us)."""
    if client.has_capability("UNSELECT"):
        client.unselect_folder()
    else:
        client.noop()  # picks up EXISTS; STATUS after it is current on common servers
