"""Banks have owners: the measured attack (a second teacher re-uploading the first's
bank id) is refused; the bank page's co-owner, hide, archive and download controls
obey the one access rule.
"""

from __future__ import annotations

import io
from typing import Any

import pytest
import sqlalchemy as sa
from flask import Flask
from flask.testing import FlaskClient

from quiz_app.banks.models import Bank, Question, Quiz
from quiz_app.extensions import db
from tests.conftest import AuthActions, logged_in_client

ADA_BANK = """\
format: 1
id: cold-war
title: The Cold War
topics:
  talks: The talks
sources:
  src:
    title: A source
questions:
  - id: cw-q1
    type: single_choice
    topic: talks
    prompt: Where were the talks held from October 1951?
    choices: [Panmunjom, Kaesong, Geneva]
    answer: Panmunjom
    explanation: They moved from Kaesong to Panmunjom.
    sources: [src]
  - id: cw-q2
    type: single_choice
    topic: talks
    prompt: Who signed for the UN Command?
    choices: [Harrison, Nam Il, Rhee]
    answer: Harrison
    explanation: Lt Gen William Harrison signed.
    sources: [src]
quizzes:
  - id: cw-quiz
    title: Cold War quiz
"""

#: The second teacher's file: the first one's bank id, one answer rewritten, the other
#: question and the quiz left out (which would retire them).
BOB_BANK = """\
format: 1
id: cold-war
title: Bob's Cold War
topics:
  talks: The talks
sources:
  src:
    title: A source
questions:
  - id: cw-q1
    type: single_choice
    topic: talks
    prompt: Where were the talks held from October 1951?
    choices: [Panmunjom, Kaesong, Geneva]
    answer: Geneva
    explanation: Wrong on purpose.
    sources: [src]
"""


def upload_ada_bank(make_user: Any) -> None:
    """Ada, a teacher, has uploaded ADA_BANK (without going through a page)."""
    from quiz_app.banks import uploads
    from quiz_app.clock import utcnow

    uploads.upload_bank(
        ADA_BANK.encode(),
        filename="cold-war.yaml",
        bank_paths=[],
        max_bytes=100_000,
        max_image_bytes=100_000,
        now=utcnow(),
        uploader=make_user("ada", role="teacher"),
    )
    db.session.commit()


def _upload(client: FlaskClient, text: str, name: str = "bank.yaml") -> Any:
    return client.post(
        "/teach/banks/upload",
        data={"file": (io.BytesIO(text.encode()), name)},
        content_type="multipart/form-data",
    )


@pytest.fixture
def ada(auth: AuthActions, client: FlaskClient) -> Any:
    user = auth.login(role="teacher", username="ada")
    assert _upload(client, ADA_BANK).status_code == 302
    db.session.expire_all()
    return user


class _Fresh:
    """A client whose every request runs in an app context of its own (Flask-Login
    caches the user of the test's context in its ``g``)."""

    def __init__(self, app: Flask, client: FlaskClient) -> None:
        self._app, self._client = app, client

    def get(self, *args: Any, **kwargs: Any) -> Any:
        db.session.rollback()  # the test's own transaction must not hold SQLite
        with self._app.app_context():
            return self._client.get(*args, **kwargs)

    def post(self, *args: Any, **kwargs: Any) -> Any:
        db.session.rollback()
        with self._app.app_context():
            return self._client.post(*args, **kwargs)


@pytest.fixture
def bob_client(app: Flask, make_user: Any, ada: Any) -> Any:
    make_user("bob", role="teacher")
    db.session.commit()
    return _Fresh(app, logged_in_client(app, "bob"))


def test_an_upload_belongs_to_its_teacher(ada: Any) -> None:
    bank = db.session.get(Bank, "cold-war")
    assert bank is not None and bank.is_upload and bank.owner_id == ada.id


def test_another_teachers_upload_of_the_same_bank_id_is_refused(
    app: Flask, ada: Any, bob_client: Any
) -> None:
    response = _upload(bob_client, BOB_BANK)
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert "bank id &#39;cold-war&#39;" in page and "another teacher owns" in page
    db.session.expire_all()
    q1 = db.session.get(Question, "cw-q1")
    assert q1 is not None and q1.data["answer"] == "Panmunjom" and q1.version == 1
    q2 = db.session.get(Question, "cw-q2")
    quiz = db.session.get(Quiz, "cw-quiz")
    assert q2 is not None and not q2.is_retired
    assert quiz is not None and not quiz.is_retired
    bank = db.session.get(Bank, "cold-war")
    assert bank is not None and bank.title == "The Cold War"
    from quiz_app.banks.uploads import read_bank_source

    assert read_bank_source("cold-war") == ADA_BANK  # the stored text is Ada's


def test_another_teacher_cannot_take_over_a_question_id(
    ada: Any, bob_client: Any
) -> None:
    other_id = BOB_BANK.replace("id: cold-war", "id: bobs-bank")
    response = _upload(bob_client, other_id)
    assert response.status_code == 422
    assert db.session.get(Bank, "bobs-bank") is None


def test_the_owner_uploads_a_new_version(client: FlaskClient, ada: Any) -> None:
    changed = ADA_BANK.replace("They moved", "In October 1951 they moved")
    assert _upload(client, changed).status_code == 302
    db.session.expire_all()
    q1 = db.session.get(Question, "cw-q1")
    assert q1 is not None and q1.explanation.startswith("In October")


def test_a_co_owner_may_upload_and_manage_then_is_removed(
    client: FlaskClient, ada: Any, bob_client: Any
) -> None:
    response = client.post("/teach/banks/cold-war/co-owners", data={"username": "Bob"})
    assert response.status_code == 302
    page = client.get("/teach/banks/cold-war").get_data(as_text=True)
    assert "co-owner" in page and "Remove bob" in page
    changed = ADA_BANK.replace("They moved", "Bob says they moved")
    assert _upload(bob_client, changed).status_code == 302
    db.session.expire_all()
    bank = db.session.get(Bank, "cold-war")
    assert bank is not None and bank.owner_id == ada.id  # the owner stays
    bob_id = bank.co_owners[0].user_id
    assert (
        client.post(f"/teach/banks/cold-war/co-owners/{bob_id}/remove").status_code
        == 302
    )
    assert (
        bob_client.post(
            "/teach/banks/cold-war/state", data={"action": "hide"}
        ).status_code
        == 403
    )


def test_adding_an_unknown_or_a_student_co_owner_is_refused(
    client: FlaskClient, ada: Any, make_user: Any
) -> None:
    make_user("sam")
    db.session.commit()
    for name in ("nobody", "sam"):
        response = client.post(
            "/teach/banks/cold-war/co-owners", data={"username": name}
        )
        assert response.status_code == 422
        assert "No teacher is called" in response.get_data(as_text=True)


def test_another_teacher_is_refused_every_change(ada: Any, bob_client: Any) -> None:
    for url, data in [
        ("/teach/banks/cold-war/co-owners", {"username": "bob"}),
        (f"/teach/banks/cold-war/co-owners/{ada.id}/remove", {}),
        ("/teach/banks/cold-war/state", {"action": "hide"}),
        ("/teach/banks/cold-war/state", {"action": "archive"}),
    ]:
        assert bob_client.post(url, data=data).status_code == 403, url
    page = bob_client.get("/teach/banks/cold-war").get_data(as_text=True)
    assert "Only its owner and co-owners" in page and "Add co-owner" not in page
    db.session.expire_all()
    bank = db.session.get(Bank, "cold-war")
    assert bank is not None and not bank.is_hidden and not bank.is_retired
    assert not bank.co_owners


def test_bundled_banks_are_read_only_in_the_browser(
    client: FlaskClient, ada: Any, make_bank: Any
) -> None:
    ada.is_admin = True
    make_bank("bundled")
    db.session.commit()
    assert (
        client.post("/teach/banks/bundled/state", data={"action": "hide"}).status_code
        == 403
    )
    page = client.get("/teach/banks/bundled").get_data(as_text=True)
    assert "read-only" in page


def test_hide_archive_and_bring_back(
    client: FlaskClient, ada: Any, runner: Any
) -> None:
    assert (
        client.post("/teach/banks/cold-war/state", data={"action": "hide"}).status_code
        == 302
    )
    db.session.expire_all()
    assert db.session.get(Bank, "cold-war").is_hidden  # type: ignore[union-attr]
    client.post("/teach/banks/cold-war/state", data={"action": "archive"})
    db.session.expire_all()
    bank = db.session.get(Bank, "cold-war")
    assert bank is not None and bank.is_retired and bank.archived_at is not None
    # Reloading the files leaves an archived bank archived.
    assert client.post("/teach/banks/reload").status_code == 302
    db.session.expire_all()
    assert db.session.get(Bank, "cold-war").is_retired  # type: ignore[union-attr]
    page = client.get("/teach/banks").get_data(as_text=True)
    assert page.count('<span class="badge">archived</span>') == 2  # file and bank
    client.post("/teach/banks/cold-war/state", data={"action": "unarchive"})
    client.post("/teach/banks/cold-war/state", data={"action": "show"})
    db.session.expire_all()
    bank = db.session.get(Bank, "cold-war")
    assert bank is not None and not bank.is_retired and not bank.is_hidden
    assert (
        client.post(
            "/teach/banks/cold-war/state", data={"action": "delete"}
        ).status_code
        == 400
    )


def test_the_yaml_file_downloads_from_the_bank_page(
    client: FlaskClient, ada: Any, bob_client: Any
) -> None:
    assert "/teach/banks/cold-war/download" in client.get(
        "/teach/banks/cold-war"
    ).get_data(as_text=True)
    for who in (client, bob_client):  # any teacher may read it
        response = who.get("/teach/banks/cold-war/download")
        assert response.status_code == 200
        assert response.get_data(as_text=True) == ADA_BANK
        assert 'filename="cold-war.yaml"' in response.headers["Content-Disposition"]


def test_students_are_refused(app: Flask, ada: Any, make_user: Any) -> None:
    make_user("sam")
    db.session.commit()
    student = _Fresh(app, logged_in_client(app, "sam"))
    assert student.get("/teach/banks/cold-war/download").status_code == 403
    assert (
        student.post("/teach/banks/cold-war/state", data={"action": "hide"}).status_code
        == 403
    )
    assert (
        db.session.scalar(sa.select(Bank.is_hidden).where(Bank.id == "cold-war"))
        is False
    )


def test_a_quiz_may_not_draw_from_another_teachers_upload(
    ada: Any, bob_client: Any
) -> None:
    mine = (
        BOB_BANK.replace("id: cold-war", "id: bobs-bank")
        .replace("cw-q1", "bob-q1")
        .replace("answer: Geneva", "answer: Panmunjom")
    )
    named = mine + (
        "quizzes:\n"
        "  - id: bob-quiz\n"
        "    title: Bob's quiz\n"
        "    select:\n"
        "      banks: [bobs-bank, cold-war]\n"
    )
    response = bob_client.post(
        "/teach/banks/upload",
        data={"file": (io.BytesIO(named.encode()), "bobs.yaml")},
        content_type="multipart/form-data",
    )
    assert response.status_code == 422
    assert "draws from the bank &#39;cold-war&#39;" in response.get_data(as_text=True)
    assert db.session.get(Bank, "bobs-bank") is None
    response = bob_client.post(
        "/teach/banks/upload",
        data={"file": (io.BytesIO(mine.encode()), "bobs.yaml")},
        content_type="multipart/form-data",
    )
    assert response.status_code == 302
