"""Fill every table of a schema with rows, and snapshot a database's rows, for the
migration tests."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import sqlalchemy as sa

ROWS_PER_TABLE = 3

#: Columns whose generated value would break a check constraint of the schema.
OVERRIDES: dict[tuple[str, str], Any] = {
    # ck_assignments_one_target: an assignment names a bank or a quiz, not both.
    ("assignments", "bank_id"): None,
}


def _value(table: sa.Table, column: sa.Column[Any], row: int) -> Any:
    """A value for ``column`` of row ``row`` (1-based), unique within its table."""
    if (table.name, column.name) in OVERRIDES:
        return OVERRIDES[(table.name, column.name)]
    type_ = column.type
    if isinstance(type_, sa.Boolean):
        return row % 2 == 0
    if isinstance(type_, sa.Integer):
        return row
    if isinstance(type_, sa.Float | sa.Numeric):
        return row + 0.5
    if isinstance(type_, sa.DateTime):
        return datetime(2026, 1, row, 12, 30)
    if isinstance(type_, sa.JSON):
        return {"row": row, "column": column.name}
    if isinstance(type_, sa.LargeBinary):
        return f"{column.name}-{row}".encode()
    length = getattr(type_, "length", None) or 40
    return f"{column.name[: max(length - 4, 1)]}-{row}"[:length]


def populate(conn: sa.Connection) -> None:
    """Insert ROWS_PER_TABLE rows into every table, parents first; row i of a child
    points at row i of its parent."""
    metadata = sa.MetaData()
    metadata.reflect(conn)
    keys: dict[tuple[str, str], list[Any]] = {}
    for table in metadata.sorted_tables:
        if table.name == "alembic_version":
            continue
        rows = []
        for i in range(1, ROWS_PER_TABLE + 1):
            row = {column.name: _value(table, column, i) for column in table.columns}
            for fk in table.foreign_keys:
                parent_values = keys[(fk.column.table.name, fk.column.name)]
                if row[fk.parent.name] is not None:
                    row[fk.parent.name] = parent_values[i - 1]
            rows.append(row)
        conn.execute(table.insert(), rows)
        for column in table.columns:
            keys[(table.name, column.name)] = [row[column.name] for row in rows]


def snapshot(conn: sa.Connection) -> dict[str, list[tuple[Any, ...]]]:
    """Every row of every table (but Alembic's own), sorted, keyed by table."""
    metadata = sa.MetaData()
    metadata.reflect(conn)
    return {
        table.name: sorted(
            (tuple(row) for row in conn.execute(table.select())), key=repr
        )
        for table in metadata.sorted_tables
        if table.name != "alembic_version"
    }
