"""Alembic environment: marsad passes its own connection; the alembic CLI passes a URL.

From a shell: ``alembic -c marsad/store/migrations/alembic.ini upgrade head`` with
MARSAD_DB set (or ``-x db=URL``). marsad itself migrates on open, so this is for
operators who want to see or step through migrations by hand.
"""

from __future__ import annotations

from alembic import context
from sqlalchemy import Connection

from marsad.store.engine import create, resolve_url
from marsad.store.schema import metadata

config = context.config


def _run(connection: Connection) -> None:
    context.configure(
        connection=connection,
        target_metadata=metadata,
        render_as_batch=connection.dialect.name == "sqlite",  # SQLite cannot ALTER most things
        compare_type=True,
    )
    with context.begin_transaction():
        context.run_migrations()


def run() -> None:
    connection = config.attributes.get("connection")
    if connection is not None:
        _run(connection)
        return
    if context.is_offline_mode():
        url = resolve_url(context.get_x_argument(as_dictionary=True).get("db"))
        context.configure(url=url, target_metadata=metadata, literal_binds=True)
        with context.begin_transaction():
            context.run_migrations()
        return
    engine = create(resolve_url(context.get_x_argument(as_dictionary=True).get("db")))
    with engine.connect() as conn:
        _run(conn)
    engine.dispose()


run()
