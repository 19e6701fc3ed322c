"""Wrong passwords are counted in the database, per account and address, and nobody
can lock a classmate out (OWASP ASVS 6.1.1)."""

from __future__ import annotations

import sqlite3

import pytest

from quiz_app.extensions import db
from tests.conftest import PASSWORD, make_test_app

WRONG = "not the password at all"


def _login(client, username="kim", password=PASSWORD, address="10.0.0.1"):
    return client.post(
        "/account/login",
        data={"username": username, "password": password},
        environ_base={"REMOTE_ADDR": address},
    )


def test_failures_are_seen_by_every_worker(tmp_path, monkeypatch, make_user):
    """Two app instances on one database (two worker processes) share the count."""
    monkeypatch.setenv("QUIZ_DATA_DIR", str(tmp_path))
    uri = f"sqlite:///{tmp_path / 'shared.sqlite'}"
    first = make_test_app(SQLALCHEMY_DATABASE_URI=uri, LOGIN_MAX_FAILURES=3)
    second = make_test_app(SQLALCHEMY_DATABASE_URI=uri, LOGIN_MAX_FAILURES=3)
    with first.app_context():
        db.create_all()
        make_user("kim")
        db.session.commit()
        for _ in range(3):
            assert _login(first.test_client(), password=WRONG).status_code == 200
        db.session.remove()
    with second.app_context():
        assert _login(second.test_client()).status_code == 429
        db.session.remove()


def test_a_flood_from_a_shared_address_does_not_lock_out_the_owner(app, make_user):
    """100 wrong passwords from the lab's address: the owner's browser, which has
    logged in before, still gets in; so does the owner from another address."""
    make_user("kim")
    db.session.commit()
    owner, attacker = app.test_client(), app.test_client()
    assert _login(owner).status_code == 302
    owner.post("/account/logout")
    for _ in range(100):
        _login(attacker, password=WRONG)
    assert _login(attacker).status_code == 429  # the guesser's own browser waits
    assert _login(owner).status_code == 302
    owner.post("/account/logout")  # the tests share one app context (and its g)
    elsewhere = app.test_client()
    assert _login(elsewhere, address="10.0.0.2").status_code == 302
    elsewhere.post("/account/logout")
    assert _login(elsewhere, password=WRONG, address="10.0.0.3").status_code == 200


def test_an_account_attacked_from_many_addresses_slows_guessers_only(app, make_user):
    app.config["LOGIN_ACCOUNT_MAX_FAILURES"] = 5
    make_user("kim")
    db.session.commit()
    for n in range(6):
        _login(app.test_client(), password=WRONG, address=f"10.1.0.{n}")
    slowed = _login(app.test_client(), password=WRONG, address="10.1.0.1")
    assert slowed.status_code == 429
    assert b"Too many wrong passwords" in slowed.data
    assert _login(app.test_client(), address="10.9.9.9").status_code == 302


def test_log_in_checks_the_password_without_holding_the_write_lock(
    tmp_path, monkeypatch, make_user
):
    """Hashing takes tens of milliseconds: while it runs, other requests must be able
    to write (the log-in POST takes the lock only to record the outcome)."""
    from quiz_app.accounts import services

    monkeypatch.setenv("QUIZ_DATA_DIR", str(tmp_path))
    path = tmp_path / "quiz.sqlite"
    app = make_test_app(SQLALCHEMY_DATABASE_URI=f"sqlite:///{path}")
    seen: list[str] = []
    real_check = services.verify_password

    def check_while_another_writes(pwhash: str, password: str) -> bool:
        other = sqlite3.connect(path, timeout=0, isolation_level=None)
        try:
            other.execute("BEGIN IMMEDIATE")
            other.execute("ROLLBACK")
            seen.append("free")
        except sqlite3.OperationalError as error:
            seen.append(str(error))
        finally:
            other.close()
        return real_check(pwhash, password)

    with app.app_context():
        db.create_all()
        make_user("kim")
        db.session.commit()
        monkeypatch.setattr(services, "verify_password", check_while_another_writes)
        assert _login(app.test_client(), password=WRONG).status_code == 200
        assert _login(app.test_client()).status_code == 302
        db.session.remove()
    assert seen == ["free", "free"]


@pytest.mark.parametrize(
    "setting", ["LOGIN_MAX_FAILURES", "LOGIN_ACCOUNT_MAX_FAILURES"]
)
def test_the_limits_are_settings(app, setting):
    assert isinstance(app.config[setting], int)
