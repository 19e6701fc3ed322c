"""Password hashes: Argon2id at OWASP's parameters; the scrypt and PBKDF2 hashes
stored before it still log in, and are replaced at the next successful log-in."""

from __future__ import annotations

import sqlalchemy as sa
from werkzeug.security import generate_password_hash

from quiz_app.accounts import passwords
from quiz_app.accounts.models import User
from quiz_app.accounts.services import UNUSABLE_PASSWORD
from quiz_app.extensions import db
from tests.conftest import PASSWORD

SCRYPT = generate_password_hash(PASSWORD, method="scrypt")
PBKDF2 = generate_password_hash(PASSWORD, method="pbkdf2")


def test_new_hashes_are_argon2id_with_owasp_parameters():
    stored = passwords.hash_password(PASSWORD)
    assert stored.startswith("$argon2id$v=19$m=19456,t=2,p=1$")
    assert passwords.verify_password(stored, PASSWORD)
    assert not passwords.verify_password(stored, PASSWORD + "!")
    assert not passwords.needs_rehash(stored)
    # salted: the same password never gives the same hash
    assert passwords.hash_password(PASSWORD) != stored


def test_older_hashes_verify_and_ask_to_be_replaced():
    for stored in (SCRYPT, PBKDF2):
        assert passwords.verify_password(stored, PASSWORD)
        assert not passwords.verify_password(stored, "wrong")
        assert passwords.needs_rehash(stored)
    weaker = (
        "$argon2id$v=19$m=8192,t=1,p=1$" + passwords.hash_password("x").split("$")[-2]
    )
    assert passwords.needs_rehash(weaker + "$AAAA")


def test_unusable_and_broken_hashes_never_match():
    broken = (
        UNUSABLE_PASSWORD,
        "",
        "$argon2id$garbage",
        "md5:abc",
        PASSWORD,
        "scrypt:a$b$c",  # werkzeug raises ValueError for these
        "pbkdf2:sha256:x$s$h",
        "pbkdf2:md4:1$salt$hash",
    )
    for stored in broken:
        assert not passwords.verify_password(stored, PASSWORD)


def _stored_hash(username: str) -> str:
    db.session.rollback()
    return db.session.scalar(
        sa.select(User.password_hash).where(User.username == username)
    )


def _log_in(client, password=PASSWORD):
    return client.post("/account/login", data={"username": "kim", "password": password})


def test_a_log_in_replaces_an_old_scrypt_hash(app, client, make_user):
    user = make_user("kim")
    user.password_hash = SCRYPT
    db.session.commit()
    assert _log_in(client, "wrong").status_code == 200
    assert _stored_hash("kim") == SCRYPT  # a wrong password changes nothing
    assert _log_in(client).status_code == 302
    upgraded = _stored_hash("kim")
    assert upgraded.startswith("$argon2id$")
    assert passwords.verify_password(upgraded, PASSWORD)
    client.post("/account/logout")
    assert _log_in(client).status_code == 302
    assert _stored_hash("kim") == upgraded  # already current: not hashed again


def test_a_rehash_never_overwrites_a_password_changed_meanwhile(app, make_user):
    from quiz_app.accounts import services

    user = make_user("kim")
    user.password_hash = SCRYPT
    db.session.commit()
    new_hash = services.rehashed_password(user, PASSWORD)
    assert new_hash is not None
    # between the check and the write, the password was reset
    services.set_password(user, "a brand new password")
    db.session.commit()
    reset_hash = user.password_hash
    services.store_rehashed_password(user.id, SCRYPT, new_hash)
    db.session.commit()
    assert _stored_hash("kim") == reset_hash
    services.set_password(user, PASSWORD)
    db.session.commit()
    assert services.rehashed_password(user, PASSWORD) is None  # already Argon2id
