"""Dialect-specific SQL the services share: INSERT ... ON CONFLICT on SQLite and
PostgreSQL. Database plumbing like extensions.py; imports nothing from the domains."""

from __future__ import annotations

from typing import Any

from sqlalchemy.dialects import postgresql, sqlite

from quiz_app.extensions import db


def insert(table: Any) -> Any:
    """An INSERT for the session's database that supports ``on_conflict_do_nothing``
    and ``on_conflict_do_update`` (both dialects spell them the same way).

    :param table: a model class or a Table.
    """
    name = db.session.get_bind().dialect.name
    if name == "postgresql":
        return postgresql.insert(table)
    if name == "sqlite":
        return sqlite.insert(table)
    raise NotImplementedError(f"INSERT ... ON CONFLICT is not written for {name}")
