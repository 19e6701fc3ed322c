"""Banks in the browser: status, uploads (valid, invalid, oversized, hostile), reload,
preview.
"""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
from flask import Flask
from flask.testing import FlaskClient

from quiz_app.banks.models import Bank, Question, UploadedBank
from quiz_app.banks.uploads import read_bank_source
from quiz_app.extensions import db
from tests.conftest import AuthActions

UPLOAD = """\
format: 1
id: uploaded
title: An uploaded bank
topics:
  talks: The talks
sources:
  src:
    title: A source
questions:
  - id: uploaded-q1
    type: single_choice
    topic: talks
    prompt: Where were the talks held from October 1951?
    choices: [Panmunjom, Kaesong, Geneva]
    answer: Panmunjom
    explanation: They moved from Kaesong to Panmunjom.
    sources: [src]
"""


def _upload(client: FlaskClient, text: str | bytes, name: str = "bank.yaml") -> Any:
    raw = text.encode() if isinstance(text, str) else text
    return client.post(
        "/teach/banks/upload",
        data={"file": (io.BytesIO(raw), name)},
        content_type="multipart/form-data",
    )


def _uploads(app: Flask) -> Path:
    """Where uploads were kept before they moved into the database: never written."""
    return Path(app.instance_path) / "banks" / "uploads"


def _stored() -> dict[str, str]:
    """The uploaded banks' texts in the database, by bank id."""
    rows = db.session.execute(sa.select(UploadedBank.bank_id, UploadedBank.text))
    return {bank_id: text for bank_id, text in rows}


@pytest.fixture(autouse=True)
def teacher(auth: AuthActions) -> Any:
    return auth.login(role="teacher", username="teacher")


def test_bank_page_lists_files_with_their_status(client: FlaskClient) -> None:
    page = client.get("/teach/banks").get_data(as_text=True)
    assert "origins.yaml" in page
    assert "valid, not imported" in page


def test_valid_upload_is_saved_and_imported(client: FlaskClient, app: Flask) -> None:
    response = _upload(client, UPLOAD)
    assert response.status_code == 302
    assert _stored() == {"uploaded": UPLOAD}
    assert read_bank_source("uploaded") == UPLOAD
    bank = db.session.get(Bank, "uploaded")
    assert bank is not None and bank.source_path == "database:uploads/uploaded.yaml"
    assert db.session.get(Question, "uploaded-q1") is not None
    page = client.get("/teach/banks").get_data(as_text=True)
    assert "uploaded.yaml" in page and "valid, imported" in page
    assert "database:" not in page
    assert not _uploads(app).exists()  # nothing on this server's disk


def test_new_version_keeps_the_id_and_replaces_the_file(
    client: FlaskClient, app: Flask
) -> None:
    _upload(client, UPLOAD)
    changed = UPLOAD.replace("They moved", "In October 1951 they moved")
    assert _upload(client, changed, name="other-name.yaml").status_code == 302
    assert _stored() == {"uploaded": changed}
    question = db.session.get(Question, "uploaded-q1")
    assert question is not None and question.explanation.startswith("In October")
    assert question.version == 2


def test_invalid_upload_shows_problems_with_lines_and_imports_nothing(
    client: FlaskClient, app: Flask
) -> None:
    broken = UPLOAD.replace("answer: Panmunjom", "answer: Seoul")
    response = _upload(client, broken)
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    # In teachers' words: counted from 1, the id and the line; never questions[0].
    assert (
        "Question 1 (id `uploaded-q1`), line 15: &#39;answer&#39; is not one of the "
        "choices" in page
    )
    assert "questions[" not in page
    assert db.session.get(Bank, "uploaded") is None
    assert _stored() == {}


def test_upload_clashing_with_an_existing_bank_is_refused(
    client: FlaskClient, app: Flask
) -> None:
    clash = UPLOAD.replace("id: uploaded-q1", "id: origins-malik-broadcast")
    response = _upload(client, clash)
    assert response.status_code == 422
    assert "also used by" in response.get_data(as_text=True)
    assert db.session.get(Bank, "uploaded") is None
    assert _stored() == {}


def test_oversized_upload_is_refused(client: FlaskClient, app: Flask) -> None:
    app.config["MAX_BANK_BYTES"] = 200
    response = _upload(client, UPLOAD)
    assert response.status_code == 422
    assert "larger than the limit of 200 bytes" in response.get_data(as_text=True)
    app.config["MAX_CONTENT_LENGTH"] = 100
    assert _upload(client, UPLOAD).status_code == 413
    assert db.session.get(Bank, "uploaded") is None


def test_alias_bomb_is_refused_quickly(client: FlaskClient) -> None:
    bomb = "a: &a [x, x]\n" + "".join(
        f"b{i}: &b{i} [{', '.join(['*a'] * 10)}]\n" for i in range(30)
    )
    response = _upload(client, bomb)
    assert response.status_code == 422
    assert "more than 200 aliases" in response.get_data(as_text=True)


def test_deep_nesting_is_refused(client: FlaskClient) -> None:
    response = _upload(client, "a: " + "[" * 5000 + "]" * 5000 + "\n")
    assert response.status_code == 422
    assert "nesting depth" in response.get_data(as_text=True)


def test_non_yaml_file_name_is_refused(client: FlaskClient) -> None:
    assert _upload(client, UPLOAD, name="bank.exe").status_code == 400


def test_reload_imports_the_banks_from_disk(client: FlaskClient) -> None:
    assert db.session.get(Bank, "origins") is None
    assert client.post("/teach/banks/reload").status_code == 302
    assert db.session.get(Bank, "origins") is not None
    page = client.get("/teach/banks").get_data(as_text=True)
    assert "valid, imported" in page


def test_reload_keeps_uploaded_banks(client: FlaskClient) -> None:
    _upload(client, UPLOAD)
    client.post("/teach/banks/reload")
    bank = db.session.get(Bank, "uploaded")
    assert bank is not None and not bank.is_retired


def test_preview_shows_the_question_as_students_see_it(client: FlaskClient) -> None:
    client.post("/teach/banks/reload")
    page = client.get("/teach/questions/origins-malik-broadcast").get_data(as_text=True)
    assert 'type="radio"' in page and "Yakov Malik" in page
    assert "The Price of Peace" in page  # the explanation
    assert (
        'href="https://history.state.gov/historicaldocuments/frus1951v07p1/d355"'
        in page
    )
    assert client.get("/teach/banks/origins").status_code == 200
    ids = db.session.scalars(sa.select(Question.id)).all()
    for question_id in ids:  # every type's partial renders
        assert client.get(f"/teach/questions/{question_id}").status_code == 200
    assert client.get("/teach/questions/nope").status_code == 404


def test_uploading_the_same_file_again_says_nothing_changed(
    client: FlaskClient,
) -> None:
    first = _upload(client, UPLOAD)
    assert "Imported An uploaded bank" in client.get(first.location).get_data(
        as_text=True
    )
    again = client.get(_upload(client, UPLOAD).location).get_data(as_text=True)
    assert "An uploaded bank is already imported as it is: nothing changed." in again
    assert "0 banks imported" not in again


def test_teacher_lists_show_a_prompt_as_text_not_markdown(
    client: FlaskClient,
) -> None:
    _upload(client, UPLOAD.replace("Where were", "Where **exactly** were"))
    page = client.get("/teach/banks/uploaded").get_data(as_text=True)
    assert "Where exactly were the talks" in page and "**" not in page


def test_upload_warns_when_a_question_gives_away_another(client: FlaskClient) -> None:
    # No year in the prompts: the test banks' "review-everything" quiz asks for one.
    plain = UPLOAD.replace("from October 1951?", "later on?")
    leaky = plain + (
        "  - id: uploaded-q2\n"
        "    type: short_text\n"
        "    topic: talks\n"
        "    prompt: In which town did the talks open?\n"
        "    answers: [Kaesong]\n"
        "    explanation: Kaesong was inside Communist lines.\n"
        "    sources: [src]\n"
    )
    response = _upload(client, leaky, name="mine.yaml")
    assert response.status_code == 302
    page = client.get("/teach/banks").get_data(as_text=True)
    assert "Imported An uploaded bank" in page
    assert (
        "mine.yaml:10:0: warning: questions (uploaded-q1): its choices give away "
        "&#39;Kaesong&#39;, the answer of uploaded-q2"
    ) in page
    # The bundled banks' `all` quiz never draws an upload (its collection is its
    # folder), so no bundled question is paired with it.
    assert "warning: questions (origins-first-plenary)" not in page
    # A warning, not a problem: the bank was imported.
    assert db.session.get(Question, "uploaded-q2") is not None


def test_upload_without_leaks_shows_no_warning(client: FlaskClient) -> None:
    _upload(client, UPLOAD.replace("from October 1951?", "later on?"))
    assert "warning:" not in client.get("/teach/banks").get_data(as_text=True)
