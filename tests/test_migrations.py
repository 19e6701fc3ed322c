"""The shipped migrations build exactly the schema the models describe."""

from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from flask_migrate import upgrade

from quiz_app import create_app
from quiz_app.extensions import MIGRATIONS_DIR, db


def test_migrations_match_the_models(tmp_path, monkeypatch):
    monkeypatch.setenv("QUIZ_DATA_DIR", str(tmp_path))
    app = create_app()
    with app.app_context():
        upgrade(directory=MIGRATIONS_DIR)
        with db.engine.connect() as conn:
            diff = compare_metadata(MigrationContext.configure(conn), db.metadata)
    assert diff == [], f"models changed without a migration: {diff}"


def test_variant_group_migration_keeps_every_question_up_and_down(
    tmp_path, monkeypatch
):
    from flask_migrate import downgrade

    monkeypatch.setenv("QUIZ_DATA_DIR", str(tmp_path))
    app = create_app()
    with app.app_context():
        upgrade(directory=MIGRATIONS_DIR, revision="13bd2f759335")
        with db.engine.begin() as conn:
            conn.exec_driver_sql(
                "INSERT INTO banks (id, title, description, authors, topics, sources,"
                " source_path, content_hash, is_retired, imported_at) VALUES ('b', 'B',"
                " '', '[]', '{}', '{}', '', '', 0, '2026-12-04 00:00:00')"
            )
            conn.exec_driver_sql(
                "INSERT INTO questions (id, bank_id, type, topic, tags, difficulty,"
                " prompt, explanation, sources, data, position, version, is_retired,"
                " updated_at) VALUES ('q', 'b', 'true_false', 't', '[]', 'medium',"
                " 'P', 'E', '[]', '{\"answer\": true}', 0, 3, 0,"
                " '2026-12-04 00:00:00')"
            )
        upgrade(directory=MIGRATIONS_DIR, revision="5c2e8a41d7b3")
        with db.engine.begin() as conn:
            row = conn.exec_driver_sql(
                "SELECT prompt, version, variant_group FROM questions"
            ).one()
            assert tuple(row) == ("P", 3, None)
            conn.exec_driver_sql("UPDATE questions SET variant_group = 'g'")
        downgrade(directory=MIGRATIONS_DIR, revision="13bd2f759335")
        with db.engine.connect() as conn:
            rows = conn.exec_driver_sql("SELECT id, prompt, version FROM questions")
            assert [tuple(r) for r in rows] == [("q", "P", 3)]
