"""The migration that moved uploaded banks into the database keeps every row on the
way up, and its way down writes every stored bank and image back into the data
folder, where the previous version looks for them."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
import sqlalchemy as sa
from flask import Flask
from flask_migrate import downgrade, upgrade

from quiz_app import create_app
from quiz_app.extensions import MIGRATIONS_DIR, db
from tests.conftest import TEST_CONFIG, TEST_DIALECT, fresh_database_url
from tests.migration_rows import populate, snapshot

BEFORE = "b5729a8d93d9"
REVISION = "6528dffef14b"


@pytest.fixture
def empty_app(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Flask]:
    monkeypatch.setenv("QUIZ_DATA_DIR", str(tmp_path))
    if TEST_DIALECT == "postgresql":
        monkeypatch.setenv(
            "QUIZ_SQLALCHEMY_DATABASE_URI", fresh_database_url("migration_uploads")
        )
        monkeypatch.setenv("QUIZ_SECRET_KEY", TEST_CONFIG["SECRET_KEY"])
    app = create_app()
    yield app
    with app.app_context():
        db.engine.dispose()


def test_uploads_go_back_to_the_data_folder_on_the_way_down(
    empty_app: Flask, tmp_path: Path
) -> None:
    with empty_app.app_context():
        upgrade(directory=MIGRATIONS_DIR, revision=BEFORE)
        with db.engine.begin() as conn:
            populate(conn)
        with db.engine.connect() as conn:
            before = snapshot(conn)
        upgrade(directory=MIGRATIONS_DIR, revision=REVISION)
        with db.engine.begin() as conn:
            after = snapshot(conn)
            assert {t: after[t] for t in before} == before  # nothing else touched
            bank_id = conn.execute(sa.text("SELECT min(id) FROM banks")).scalar()
            conn.execute(
                sa.text(
                    "INSERT INTO uploaded_banks (bank_id, text, content_hash, "
                    "uploaded_at) VALUES (:id, 'format: 1\n', 'h', '2026-01-01')"
                ),
                {"id": bank_id},
            )
            conn.execute(
                sa.text(
                    "INSERT INTO uploaded_bank_images (bank_id, name, media_type, data,"
                    " size_bytes, sha256, uploaded_at) VALUES (:id, 'img/a.png', "
                    "'image/png', :data, 3, 's', '2026-01-01')"
                ),
                {"id": bank_id, "data": b"png"},
            )
        downgrade(directory=MIGRATIONS_DIR, revision=BEFORE)
        with db.engine.connect() as conn:
            down = snapshot(conn)
            source = conn.execute(
                sa.text("SELECT source_path FROM banks WHERE id = :id"), {"id": bank_id}
            ).scalar()
        db.engine.dispose()
    folder = tmp_path / "banks" / "uploads"
    assert (folder / f"{bank_id}.yaml").read_text("utf-8") == "format: 1\n"
    assert (folder / "img" / "a.png").read_bytes() == b"png"
    assert source == str(folder / f"{bank_id}.yaml")
    # Every row is back, the moved bank's source_path now naming the written file.
    assert {t: rows for t, rows in down.items() if t != "banks"} == {
        t: rows for t, rows in before.items() if t != "banks"
    }
    assert len(down["banks"]) == len(before["banks"])
