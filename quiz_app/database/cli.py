"""Move a SQLite database into an empty PostgreSQL database: the schema from the
migrations, then every table's rows in foreign-key order, sequences reset, row counts
compared. Command-level plumbing (web layer: it builds a second app for the target and
owns its transactions on both databases)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import sqlalchemy as sa
from flask import Flask, current_app

from quiz_app.extensions import MIGRATIONS_DIR, db

#: Rows read and written per batch: bounded memory for a school's years of reviews.
BATCH_ROWS = 2000


class CopyError(Exception):
    """The copy was refused or did not match; the target is left as it was."""


def copy_database(
    target_url: str, *, echo: Callable[[str], None] = lambda _line: None
) -> dict[str, int]:
    """Copy the app's SQLite database into the empty database at ``target_url``.

    :returns: rows copied per table.
    :raises CopyError: when the source is not SQLite, is not at the newest schema,
        the target is not empty, or the counts differ after the copy.
    """
    source = db.engine
    if source.dialect.name != "sqlite":
        raise CopyError("the database to copy from must be SQLite")
    target = sa.create_engine(target_url)
    try:
        with target.connect() as conn:
            existing = sa.inspect(conn).get_table_names()
        if existing:
            raise CopyError(
                f"the target database is not empty ({len(existing)} tables, e.g. "
                f"{sorted(existing)[0]}); copy only into a new, empty database"
            )
        _check_source_is_current()
        _upgrade(target_url)
        echo("Schema created by the migrations")
        counts = _copy_rows(source, target, echo=echo)
    finally:
        target.dispose()
    return counts


def _check_source_is_current() -> None:
    from alembic.migration import MigrationContext
    from alembic.script import ScriptDirectory

    script = ScriptDirectory(
        MIGRATIONS_DIR, version_locations=[f"{MIGRATIONS_DIR}/versions"]
    )
    with db.engine.connect() as conn:
        current = set(MigrationContext.configure(conn).get_current_heads())
    if current != set(script.get_heads()):
        raise CopyError(
            "the SQLite database is not at the newest schema; run `quiz-app db "
            "upgrade` first"
        )


def _upgrade(target_url: str) -> None:
    """Build the target's schema with the migrations (alembic_version included)."""
    from flask_migrate import upgrade

    from quiz_app import create_app

    config: dict[str, Any] = {
        **current_app.config,
        "SQLALCHEMY_DATABASE_URI": target_url,
    }
    target_app: Flask = create_app(config)
    with target_app.app_context():
        upgrade(directory=MIGRATIONS_DIR)
        db.engine.dispose()


def _copy_rows(
    source: sa.Engine, target: sa.Engine, *, echo: Callable[[str], None]
) -> dict[str, int]:
    counts: dict[str, int] = {}
    tables = db.metadata.sorted_tables
    # One read transaction on the source (a consistent snapshot even while the app
    # runs) and one write transaction on the target (all or nothing).
    with source.connect() as src, target.begin() as dst:
        for table in tables:
            order = list(table.primary_key.columns) or list(table.columns)
            rows = src.execution_options(yield_per=BATCH_ROWS).execute(
                sa.select(table).order_by(*order)
            )
            copied = 0
            for batch in rows.mappings().partitions(BATCH_ROWS):
                dst.execute(table.insert(), [dict(row) for row in batch])
                copied += len(batch)
            counts[table.name] = copied
        _reset_sequences(dst, tables)
        for table in tables:
            count = sa.select(sa.func.count()).select_from(table)
            there = dst.execute(count).scalar_one()
            here = src.execute(count).scalar_one()
            if there != here:
                raise CopyError(
                    f"{table.name}: {here} rows in SQLite but {there} copied"
                )
            echo(f"{table.name}: {there} rows")
    return counts


def _reset_sequences(conn: sa.Connection, tables: list[sa.Table]) -> None:
    """Move every id sequence past the copied ids (explicit ids do not advance them;
    otherwise the next sign-up would collide with row 1)."""
    if conn.dialect.name != "postgresql":
        return
    for table in tables:
        for column in table.primary_key.columns:
            if not (isinstance(column.type, sa.Integer) and column.autoincrement):
                continue
            name = conn.dialect.identifier_preparer.format_table(table)
            conn.execute(
                sa.text(
                    "SELECT setval(pg_get_serial_sequence(:table, :column), "
                    f"COALESCE(MAX({column.name}), 1), MAX({column.name}) IS NOT NULL) "
                    f"FROM {name}"
                ),
                {"table": name, "column": column.name},
            )
