"""`quiz-app db copy --to URL`: a SQLite data folder moves into an empty PostgreSQL
database with every row, and the copy takes new sign-ups (its sequences moved on)."""

from __future__ import annotations

import pytest
import sqlalchemy as sa
from click.testing import CliRunner
from flask_migrate import upgrade

from quiz_app import create_app
from quiz_app.accounts.models import User
from quiz_app.accounts.views import mark_setup_done
from quiz_app.cli import main
from quiz_app.extensions import MIGRATIONS_DIR, db
from tests.conftest import (
    PASSWORD,
    TEST_CONFIG,
    TEST_DIALECT,
    fresh_database_url,
)
from tests.migration_rows import ROWS_PER_TABLE, populate

pytestmark = pytest.mark.skipif(
    TEST_DIALECT != "postgresql",
    reason="needs a PostgreSQL test database (QUIZ_TEST_DATABASE_URL)",
)


@pytest.fixture
def data_dir(tmp_path, monkeypatch):
    """A SQLite data folder at the newest schema with rows in every table."""
    monkeypatch.setenv("QUIZ_DATA_DIR", str(tmp_path))
    monkeypatch.delenv("QUIZ_SQLALCHEMY_DATABASE_URI", raising=False)
    app = create_app()
    with app.app_context():
        upgrade(directory=MIGRATIONS_DIR)
        with db.engine.begin() as conn:
            populate(conn)
        db.engine.dispose()
    return tmp_path


def _counts(url):
    engine = sa.create_engine(url)
    with engine.connect() as conn:
        names = sa.inspect(conn).get_table_names()
        counts = {
            name: conn.exec_driver_sql(f'SELECT count(*) FROM "{name}"').scalar()
            for name in names
        }
    engine.dispose()
    return counts


def test_copy_moves_every_row_and_new_sign_ups_work(data_dir, monkeypatch):
    target = fresh_database_url("copy_test")
    result = CliRunner().invoke(main, ["db", "copy", "--to", target])
    assert result.exit_code == 0, result.output
    assert "Copied" in result.output and "users: 3 rows" in result.output
    counts = _counts(target)
    assert counts.pop("alembic_version") == 1
    assert counts == {name: ROWS_PER_TABLE for name in counts}
    assert set(counts) == {t.name for t in db.metadata.sorted_tables}

    # The copied database serves: a new student signs up (ids 1-3 are taken).
    monkeypatch.setenv("QUIZ_SQLALCHEMY_DATABASE_URI", target)
    monkeypatch.setenv("QUIZ_SECRET_KEY", TEST_CONFIG["SECRET_KEY"])
    monkeypatch.setenv("QUIZ_WTF_CSRF_ENABLED", "false")
    app = create_app()
    mark_setup_done(app)
    with app.app_context():
        response = app.test_client().post(
            "/account/signup",
            data={"username": "newkid", "password": PASSWORD, "confirm": PASSWORD},
        )
        assert response.status_code == 302, response.get_data(as_text=True)
        user = db.session.scalar(sa.select(User).where(User.username == "newkid"))
        assert user.id == ROWS_PER_TABLE + 1
        db.session.remove()
        db.engine.dispose()


def test_copy_refuses_a_database_that_is_not_empty(data_dir):
    target = fresh_database_url("copy_test")
    engine = sa.create_engine(target)
    with engine.begin() as conn:
        conn.exec_driver_sql("CREATE TABLE somebody_elses (id integer)")
    engine.dispose()
    result = CliRunner().invoke(main, ["db", "copy", "--to", target])
    assert result.exit_code != 0
    assert "not empty" in result.output
    assert _counts(target) == {"somebody_elses": 0}


def test_a_sign_up_that_fails_for_another_reason_is_not_called_taken(
    app, client, make_user
):
    """A sequence left behind (as by a hand-made copy) makes the next id collide:
    that is a fault, not a taken name."""
    make_user("kim")
    db.session.commit()
    db.session.execute(
        sa.text("SELECT setval(pg_get_serial_sequence('users', 'id'), 1, false)")
    )
    db.session.commit()
    with pytest.raises(sa.exc.IntegrityError):
        client.post(
            "/account/signup",
            data={"username": "lee", "password": PASSWORD, "confirm": PASSWORD},
        )
