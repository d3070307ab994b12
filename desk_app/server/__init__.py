"""The central server: an ASGI app (FastAPI on uvicorn) that one team's workstations sync with.

It stores shared data as versioned documents in a change feed (``records`` with a global
``seq``), applies each pushed mutation once (keyed by its idempotency key), authorizes every
request by role, and wakes long-polls through the database (LISTEN/NOTIFY on PostgreSQL).
"""
