"""Client side of the central-server protocol: push the outbox of mutations, pull changes,
long-poll, presence. Blocking I/O (requests) on plain threads; no Qt, no services — the
composition root adapts what sync reports onto the change bus."""
