"""Email benchmark (issue 4): ingest 10,000 messages from a real Dovecot into a profile, beside a
bare imapclient FETCH of the same messages in the same run.

    .venv/bin/python bench/bench_email.py            # 10,000 messages
    .venv/bin/python bench/bench_email.py --count 2000

End to end = what the fetch worker does: IMAP FETCH (BODY.PEEK[], batches of 500) → parse
(in a worker process: compat32 tree, cut directly for well-formed mail, + charset handling;
attachments into the content-addressed store, the batch's raw sources into sources.sqlite3) →
sanitize HTML → ingest (customers, threading, tickets, messages, FTS5 index via triggers; write
transactions of 250 items) → cursor saved; the next page is fetched while one is stored.
Bare = IMAPClient FETCH of the same UIDs in the same batch size, bytes discarded.
Then an incremental sync with nothing new: warm (the worker's open connection) and cold (a new
connector: connect, login, STATUS).

Bare FETCH and first sync alternate, three rounds each (``DESK_BENCH_ROUNDS`` sets how many),
and the fastest of each is compared: a shared machine only ever slows a run down. Every run's rate
is in the table.

Needs root (it starts Debian's dovecot with its own config, as the tests do). Prints a table and
writes bench/results/email.md.

This file only launches ``bench/email_ingest.py``. The parse workers are spawned processes,
and a spawned process first imports the script that launched the app: Desk's own launcher
(``desk``) imports almost nothing, so this one must not either, or every worker would spend
~0.3 s importing SQLAlchemy and the test servers before its first message.
"""

import sys
from pathlib import Path

if __name__ == "__main__":
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
    from bench.email_ingest import main

    main()
