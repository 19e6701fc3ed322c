"""The app factory: configuration precedence, the data folder and the secret key."""

from __future__ import annotations

from pathlib import Path

import pytest

from quiz_app import create_app
from tests.conftest import TEST_DATABASE_URL


def test_testing_config_is_applied(app):
    assert app.testing
    assert app.config["SQLALCHEMY_DATABASE_URI"] == (TEST_DATABASE_URL or "sqlite://")


def test_data_dir_from_environment_holds_the_secret_key(tmp_path, monkeypatch):
    monkeypatch.setenv("QUIZ_DATA_DIR", str(tmp_path / "classroom"))
    app = create_app()
    assert Path(app.instance_path) == (tmp_path / "classroom").resolve()
    key_file = tmp_path / "classroom" / "secret_key"
    assert key_file.read_text() == app.config["SECRET_KEY"]
    assert len(app.config["SECRET_KEY"]) >= 32
    assert key_file.stat().st_mode & 0o077 == 0, (
        "the secret key must not be readable by others"
    )


def test_secret_key_is_stable_across_restarts(tmp_path, monkeypatch):
    monkeypatch.setenv("QUIZ_DATA_DIR", str(tmp_path))
    assert create_app().config["SECRET_KEY"] == create_app().config["SECRET_KEY"]


def test_placeholder_secret_is_refused_outside_debug(tmp_path, monkeypatch):
    monkeypatch.setenv("QUIZ_DATA_DIR", str(tmp_path))
    monkeypatch.setenv("QUIZ_SECRET_KEY", "dev")
    with pytest.raises(RuntimeError, match="placeholder"):
        create_app()


def test_environment_overrides_instance_config(tmp_path, monkeypatch):
    monkeypatch.setenv("QUIZ_DATA_DIR", str(tmp_path))
    (tmp_path / "config.py").write_text(
        "QUIZ_GRACE_SECONDS = 5\nDEFAULT_NEW_CARDS_PER_DAY = 7\n"
    )
    monkeypatch.setenv("QUIZ_QUIZ_GRACE_SECONDS", "9")
    app = create_app()
    assert app.config["DEFAULT_NEW_CARDS_PER_DAY"] == 7  # from instance config.py
    assert app.config["QUIZ_GRACE_SECONDS"] == 9  # the environment wins


def test_database_url_from_environment(tmp_path, monkeypatch):
    monkeypatch.setenv("QUIZ_DATA_DIR", str(tmp_path))
    monkeypatch.setenv(
        "QUIZ_SQLALCHEMY_DATABASE_URI", f"sqlite:///{tmp_path / 'other.sqlite'}"
    )
    app = create_app()
    assert app.config["SQLALCHEMY_DATABASE_URI"].endswith("other.sqlite")


def test_factory_does_not_touch_the_database(tmp_path, monkeypatch):
    monkeypatch.setenv("QUIZ_DATA_DIR", str(tmp_path))
    create_app()
    assert not (tmp_path / "quiz.sqlite").exists()


def test_bundled_banks_are_the_default_banks_dir(tmp_path, monkeypatch):
    monkeypatch.setenv("QUIZ_DATA_DIR", str(tmp_path))
    banks_dir = Path(create_app().config["BANKS_DIR"])
    assert banks_dir.name == "question_banks"
    assert any(banks_dir.rglob("*.yaml"))


def test_every_response_carries_security_headers(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    csp = response.headers["Content-Security-Policy"]
    assert "script-src 'self'" in csp and "'unsafe-inline'" not in csp
    assert "frame-ancestors 'none'" in csp
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Referrer-Policy"] == "same-origin"


def test_unknown_page_is_a_friendly_404(client):
    response = client.get("/no-such-page")
    assert response.status_code == 404
    assert b"Page not found" in response.data


def test_hsts_only_over_https(client):
    assert "Strict-Transport-Security" not in client.get("/healthz").headers
    secure = client.get("/healthz", base_url="https://localhost")
    assert secure.headers["Strict-Transport-Security"] == "max-age=15552000"


def test_pooled_connections_are_pinged_before_use(app):
    from quiz_app.extensions import db

    assert db.engine.pool._pre_ping is True
