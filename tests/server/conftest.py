from tests.server_fixtures import (  # noqa: F401
    backend,
    database_url,
    desk_server,
    pg,
    pg_template,
    sqlite_template,
    user_ids,
)
