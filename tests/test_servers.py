"""Running several servers: one shared secret key, proxies trusted by count, a health
check that asks the database, and a deploy step that runs once."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest
import sqlalchemy as sa
from click.testing import CliRunner

from quiz_app import create_app
from quiz_app.cli import main
from quiz_app.config import secret_key_problem
from quiz_app.extensions import db
from tests.conftest import (
    TEST_CONFIG,
    TEST_DATABASE_URL,
    TEST_DIALECT,
    fresh_database_url,
    make_test_app,
)

PG_URL = "postgresql+psycopg://quiz@db.example/quiz"
GOOD_KEY = "k" * 32


def test_a_shared_database_needs_a_configured_secret_key(tmp_path, monkeypatch):
    # create_app builds the engine, which loads the driver: the postgres extra.
    pytest.importorskip("psycopg")
    monkeypatch.setenv("QUIZ_DATA_DIR", str(tmp_path))
    monkeypatch.setenv("QUIZ_SQLALCHEMY_DATABASE_URI", PG_URL)
    with pytest.raises(RuntimeError, match="QUIZ_SECRET_KEY to the same random value"):
        create_app()
    monkeypatch.setenv("QUIZ_SECRET_KEY", GOOD_KEY)
    assert create_app().config["SECRET_KEY"] == GOOD_KEY


@pytest.mark.parametrize(
    ("key", "explicit", "uri", "strict", "problem"),
    [
        ("k" * 31, True, "sqlite:///q.sqlite", True, "(it is 31)"),
        ("é" * 16, True, "sqlite:///q.sqlite", True, None),  # 32 bytes in UTF-8
        (b"\x00" * 32, True, PG_URL, True, "must be text"),
        ("changeme", True, PG_URL, True, "placeholder"),
        ("short", True, PG_URL, False, None),  # debug and testing allow it
        ("generated" * 8, False, PG_URL, False, "QUIZ_SECRET_KEY"),
        ("generated" * 8, False, "sqlite:///q.sqlite", True, None),
    ],
)
def test_secret_key_rules(key, explicit, uri, strict, problem):
    found = secret_key_problem(key, explicit=explicit, database_uri=uri, strict=strict)
    assert (found is None) if problem is None else (problem in found)


def test_a_short_secret_key_is_refused_outside_testing(tmp_path, monkeypatch):
    monkeypatch.setenv("QUIZ_DATA_DIR", str(tmp_path))
    monkeypatch.setenv("QUIZ_SECRET_KEY", "correct-horse-battery")
    with pytest.raises(RuntimeError, match="at least 32"):
        create_app()


def test_health_check_reports_an_unreachable_database(tmp_path, monkeypatch):
    monkeypatch.setenv("QUIZ_DATA_DIR", str(tmp_path / "data"))
    missing = tmp_path / "no-such-folder" / "quiz.sqlite"
    app = make_test_app(SQLALCHEMY_DATABASE_URI=f"sqlite:///{missing}")
    response = app.test_client().get("/healthz")
    assert response.status_code == 503
    assert response.get_json() == {"status": "error", "database": "unreachable"}


def test_health_check_asks_the_database(client):
    statements = []
    sa.event.listen(
        db.engine, "before_cursor_execute", lambda *a: statements.append(a[2])
    )
    assert client.get("/healthz").status_code == 200
    assert "SELECT 1" in statements


def _echo_app(**config):
    app = make_test_app(**config)

    @app.get("/_echo")
    def _echo():
        from flask import request

        return {"addr": request.remote_addr, "scheme": request.scheme}

    return app


def test_the_client_address_comes_from_a_trusted_proxy(tmp_path, monkeypatch):
    monkeypatch.setenv("QUIZ_DATA_DIR", str(tmp_path))
    headers = {"X-Forwarded-For": "203.0.113.7", "X-Forwarded-Proto": "https"}
    behind = _echo_app(TRUSTED_PROXIES=1).test_client()
    response = behind.get("/_echo", headers=headers)
    assert response.get_json() == {"addr": "203.0.113.7", "scheme": "https"}
    assert (
        "Strict-Transport-Security" in behind.get("/healthz", headers=headers).headers
    )
    # without the setting a client cannot claim another address
    direct = _echo_app().test_client().get("/_echo", headers=headers)
    assert direct.get_json() == {"addr": "127.0.0.1", "scheme": "http"}


def test_only_the_last_proxy_is_believed(tmp_path, monkeypatch):
    monkeypatch.setenv("QUIZ_DATA_DIR", str(tmp_path))
    forged = {"X-Forwarded-For": "10.9.9.9, 203.0.113.7"}
    response = _echo_app(TRUSTED_PROXIES=1).test_client().get("/_echo", headers=forged)
    assert response.get_json()["addr"] == "203.0.113.7"


def test_deploy_upgrades_and_imports_once_when_servers_start_together(tmp_path):
    """Three `quiz-app deploy` processes at once on one fresh database: all succeed,
    one upgrades and imports, the others find nothing left to do."""
    if TEST_DIALECT == "postgresql":
        url = fresh_database_url("deploy_test")
    else:
        url = f"sqlite:///{tmp_path / 'quiz.sqlite'}"
    env = {
        **os.environ,
        "QUIZ_DATA_DIR": str(tmp_path),
        "QUIZ_SQLALCHEMY_DATABASE_URI": url,
        "QUIZ_SECRET_KEY": GOOD_KEY,
        "QUIZ_BANKS_DIR": TEST_CONFIG["BANKS_DIR"],
    }
    command = [sys.executable, "-c", "from quiz_app.cli import main; main()", "deploy"]
    processes = [
        subprocess.Popen(
            command,
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
        )
        for _ in range(3)
    ]
    outputs = [p.communicate(timeout=120)[0] for p in processes]
    assert [p.returncode for p in processes] == [0, 0, 0], outputs
    banks = [
        line
        for out in outputs
        for line in out.splitlines()
        if line.startswith("Banks:")
    ]
    assert sorted(banks)[0].startswith("Banks: 0 banks imported"), banks
    assert sum(" 0 banks imported" not in line for line in banks) == 1, banks
    engine = sa.create_engine(url)
    with engine.connect() as conn:
        versions = conn.exec_driver_sql("SELECT count(*) FROM alembic_version").scalar()
        bank_rows = conn.exec_driver_sql("SELECT count(*) FROM banks").scalar()
    engine.dispose()
    assert versions == 1 and bank_rows == 3


def test_serve_deploys_first_unless_told_not_to(tmp_path, monkeypatch):
    monkeypatch.setenv("QUIZ_DATA_DIR", str(tmp_path))
    monkeypatch.setenv("QUIZ_BANKS_DIR", TEST_CONFIG["BANKS_DIR"])
    assert CliRunner().invoke(main, ["deploy"]).exit_code == 0
    served, deployed = [], []
    monkeypatch.setattr(
        "quiz_app.cli.serve_waitress", lambda app, **kw: served.append(kw)
    )
    monkeypatch.setattr("quiz_app.cli.deploy", lambda: deployed.append(True))
    result = CliRunner().invoke(
        main, ["serve", "--no-deploy", "--threads", "2", "--processes", "3"]
    )
    assert result.exit_code == 0, result.output
    assert (served, deployed) == (
        [{"host": "127.0.0.1", "port": 5000, "threads": 2, "processes": 3}],
        [],
    )
    result = CliRunner().invoke(main, ["serve", "--threads", "2"])
    assert result.exit_code == 0, result.output
    assert deployed == [True]


@pytest.mark.skipif(TEST_DIALECT != "postgresql", reason="needs PostgreSQL")
def test_a_restarted_database_costs_no_failed_request(client, auth):
    auth.login()
    assert client.get("/").status_code == 200
    # Every pooled connection dies, as when PostgreSQL restarts under the app.
    engine = sa.create_engine(TEST_DATABASE_URL)
    with engine.connect() as conn:
        conn.exec_driver_sql(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
            "WHERE datname = current_database() AND pid <> pg_backend_pid()"
        )
    engine.dispose()
    assert client.get("/").status_code == 200
