"""Client side of the central-server protocol.

Local writes land in the cache and, in the same transaction, in ``sync_mutations``
(``desk_app.services.mutations.record``). The sync worker pushes those mutations with their ids as
idempotency keys, applies the server's per-mutation outcome (applied, merged, rejected with a
reason), pulls changes since its last server sequence number in chunks, long-polls for new ones,
and publishes ``Changes`` on the profile's bus like every other writer.
"""
