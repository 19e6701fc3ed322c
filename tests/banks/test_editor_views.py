"""The form editor of a bank in the browser: a teacher edits and saves, a broken field
is shown again with its message and the text typed, other roles and bundled banks are
refused."""

from __future__ import annotations

import io
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient

from quiz_app.banks import uploads
from quiz_app.banks.models import Bank, Card, Question, Quiz
from quiz_app.extensions import db
from quiz_app.questions.grading import QUESTION_TYPES
from tests.conftest import AuthActions

BANK = """\
# Written by hand: this comment and the key order must survive the editor.
format: 1
id: edited
title: An edited bank
topics:
  talks: The talks
  signing: The signing
sources:
  src:
    title: A source
  other:
    title: Another source
questions:
  # The place question.
  - id: edited-place
    type: single_choice
    topic: talks
    prompt: Where were the talks held from October 1951?
    choices: [Panmunjom, Kaesong, Geneva]
    answer: Panmunjom
    explanation: They moved from Kaesong to Panmunjom.
    sources: [src]
  - id: edited-year
    prompt: In what year was the Armistice signed?
    type: numeric
    topic: signing
    answer: 1953
    explanation: On 27 July 1953.
    sources: [src]
cards:
  - id: edited-card
    topic: talks
    front: Panmunjom
    back: The truce village.
    sources: [src]
quizzes:
  - id: edited-quiz
    title: The edited quiz
    count: 2
"""


def _upload(client: FlaskClient, text: str = BANK) -> None:
    response = client.post(
        "/teach/banks/upload",
        data={"file": (io.BytesIO(text.encode()), "edited.yaml")},
        content_type="multipart/form-data",
    )
    assert response.status_code == 302, response.get_data(as_text=True)


def _saved(app: Flask) -> str:
    """The bank's YAML as stored (uploads live in the database)."""
    db.session.expire_all()
    try:
        return uploads.read_bank_source("edited")
    finally:
        db.session.rollback()  # the test's own read must not hold SQLite


@pytest.fixture
def teacher(client: FlaskClient, auth: AuthActions) -> Any:
    user = auth.login(role="teacher", username="teacher")
    _upload(client)
    return user


def _form(values: dict[str, Any]) -> dict[str, Any]:
    return {"action": "save", **values}


PLACE_FORM = {
    "id": "edited-place",
    "topic": "talks",
    "difficulty": "",
    "prompt": "Where were the talks held from October 1951?",
    "choices": "Panmunjom\nKaesong\nGeneva",
    "answer": "Panmunjom",
    "shuffle": "",
    "explanation": "They moved from Kaesong to Panmunjom.",
    "sources": ["src"],
    "tags": "",
    "flashcard": "",
    "variant_group": "",
    "allow_overlap": "",
}


def test_the_bank_page_links_to_the_editor(client: FlaskClient, teacher: Any) -> None:
    page = client.get("/teach/banks/edited").get_data(as_text=True)
    assert "/teach/banks/edited/edit/questions/edited-place" in page
    assert "/teach/banks/edited/edit/cards/edited-card" in page
    assert "/teach/banks/edited/edit/quizzes/edited-quiz" in page
    assert "Add a question" in page


def test_the_form_shows_the_question_as_written(
    client: FlaskClient, teacher: Any
) -> None:
    response = client.get("/teach/banks/edited/edit/questions/edited-place")
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert ">Panmunjom\nKaesong\nGeneva</textarea>" in page
    assert 'value="src" checked' in page and 'value="other">' in page
    assert 'value="Panmunjom"' in page


def test_a_teacher_edits_and_saves_keeping_comments_and_order(
    client: FlaskClient, app: Flask, teacher: Any
) -> None:
    form = _form({**PLACE_FORM, "choices": "Panmunjom\nKaesong\nGeneva\nMunsan"})
    form["prompt"] = "Where were the talks held\r\nfrom October 1951?"
    response = client.post("/teach/banks/edited/edit/questions/edited-place", data=form)
    assert response.status_code == 302, response.get_data(as_text=True)
    text = _saved(app)
    assert text == BANK.replace(
        "    prompt: Where were the talks held from October 1951?\n"
        "    choices: [Panmunjom, Kaesong, Geneva]\n",
        "    prompt: |-\n      Where were the talks held\n      from October 1951?\n"
        "    choices: [Panmunjom, Kaesong, Geneva, Munsan]\n",
    )
    question = db.session.get(Question, "edited-place")
    assert question is not None
    assert question.data["choices"] == ["Panmunjom", "Kaesong", "Geneva", "Munsan"]
    assert question.prompt == "Where were the talks held\nfrom October 1951?"


def test_saving_an_unchanged_form_changes_no_byte(
    client: FlaskClient, app: Flask, teacher: Any
) -> None:
    response = client.post(
        "/teach/banks/edited/edit/questions/edited-place", data=_form(PLACE_FORM)
    )
    assert response.status_code == 302
    assert _saved(app) == BANK


def test_a_broken_field_is_shown_again_with_the_message_and_the_text_typed(
    client: FlaskClient, app: Flask, teacher: Any
) -> None:
    form = _form({**PLACE_FORM, "answer": "Seoul", "explanation": "Typed *text*."})
    response = client.post("/teach/banks/edited/edit/questions/edited-place", data=form)
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert "Nothing was saved" in page
    assert (
        "Question 1 (id `edited-place`), line 20: &#39;answer&#39; is not one of the "
        "choices" in page
    )
    assert "questions[" not in page
    assert 'value="Seoul"' in page and ">Typed *text*.</textarea>" in page
    assert _saved(app) == BANK
    assert db.session.get(Question, "edited-place").data["answer"] == "Panmunjom"  # type: ignore[union-attr]


def test_a_number_that_is_not_one_is_refused_before_the_file(
    client: FlaskClient, app: Flask, teacher: Any
) -> None:
    form = _form(
        {
            "id": "edited-year",
            "topic": "signing",
            "prompt": "In what year?",
            "answer": "nineteen",
            "explanation": "On 27 July 1953.",
            "sources": ["src"],
        }
    )
    response = client.post("/teach/banks/edited/edit/questions/edited-year", data=form)
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert "&#39;nineteen&#39; is not a number" in page
    assert 'value="nineteen"' in page and ">In what year?</textarea>" in page
    assert _saved(app) == BANK


def test_preview_renders_markdown_and_the_student_view_without_saving(
    client: FlaskClient, app: Flask, teacher: Any
) -> None:
    form = {**PLACE_FORM, "action": "preview", "prompt": "Where *exactly*?"}
    response = client.post("/teach/banks/edited/edit/questions/edited-place", data=form)
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert "Preview (not saved)" in page and "<em>exactly</em>" in page
    assert 'type="radio"' in page and "Kaesong" in page  # the student's choices
    assert "<h3>Answer</h3>\n  <p>Panmunjom</p>" in page
    assert "Sources:\n  A source" in page
    assert _saved(app) == BANK


@pytest.mark.parametrize("key", sorted(QUESTION_TYPES))
def test_every_question_type_gets_a_form_and_can_be_added(
    client: FlaskClient, app: Flask, teacher: Any, key: str
) -> None:
    page = client.get(f"/teach/banks/edited/edit/questions/new?type={key}")
    assert page.status_code == 200
    answers = {
        "single_choice": {"choices": "A one\nB two\nC three", "answer": "A one"},
        "multi_choice": {"choices": "A one\nB two\nC three", "answers": "A one"},
        "true_false": {"answer": "false"},
        "short_text": {"answers": "Panmunjom\nP'anmunjŏm"},
        "numeric": {"answer": "1953", "tolerance": "0.5", "unit": "year"},
        "ordering": {"items": "First\nSecond\nThird"},
        "matching": {
            "pairs": "Nam Il -> KPA\nJoy -> UNC\nHarrison -> UNC later",
            "distractors": "NNSC",
        },
    }[key]
    form = _form(
        {
            "id": f"new-{key.replace('_', '-')}",
            "topic": "talks",
            "prompt": f"A new {key} question?",
            "explanation": "Because.",
            "sources": ["src", "other"],
            "tags": "new\nbrowser",
            "flashcard": "own",
            "flashcard.front": "Front",
            "flashcard.back": "Back",
            **answers,
        }
    )
    response = client.post(
        f"/teach/banks/edited/edit/questions/new?type={key}", data=form
    )
    assert response.status_code == 302, response.get_data(as_text=True)
    question = db.session.get(Question, f"new-{key.replace('_', '-')}")
    assert question is not None and question.type == key
    assert question.tags == ["new", "browser"]
    assert question.sources == ["src", "other"]
    text = _saved(app)
    assert text.startswith(BANK[: BANK.index("cards:")])  # the rest kept as it was
    assert f"  - id: new-{key.replace('_', '-')}\n    type: {key}\n" in text


def test_cards_and_quizzes_are_edited_too(
    client: FlaskClient, app: Flask, teacher: Any
) -> None:
    response = client.post(
        "/teach/banks/edited/edit/cards/edited-card",
        data=_form(
            {
                "topic": "talks",
                "front": "Panmunjom",
                "back": "The truce village on the line.",
                "sources": ["src"],
            }
        ),
    )
    assert response.status_code == 302
    assert db.session.get(Card, "edited-card").back == "The truce village on the line."  # type: ignore[union-attr]
    response = client.post(
        "/teach/banks/edited/edit/quizzes/edited-quiz",
        data=_form(
            {
                "title": "The edited quiz",
                "count": "1",
                "select.topics": ["signing"],
                "pass_mark": "70",
            }
        ),
    )
    assert response.status_code == 302, response.get_data(as_text=True)
    quiz = db.session.get(Quiz, "edited-quiz")
    assert quiz is not None and quiz.count == 1 and quiz.pass_mark == 70
    assert quiz.selection["topics"] == ["signing"]
    assert (
        "    count: 1\n    select:\n      topics: [signing]\n    pass_mark: 70\n"
        in (_saved(app))
    )


def test_move_and_delete(client: FlaskClient, app: Flask, teacher: Any) -> None:
    url = "/teach/banks/edited/edit/questions/edited-year"
    assert client.post(f"{url}/move", data={"to": "up"}).status_code == 302
    text = _saved(app)
    assert text.index("id: edited-year") < text.index("id: edited-place")
    assert client.post(f"{url}/move", data={"to": "sideways"}).status_code == 400
    confirm = client.get(f"{url}/remove")
    assert confirm.status_code == 200 and "Delete the question" in confirm.get_data(
        as_text=True
    )
    # The quiz draws 2 questions: with one left the bank would not load.
    refused = client.post(f"{url}/remove", follow_redirects=True)
    assert "Not saved: Quiz 1 (id `edited-quiz`), line" in refused.get_data(
        as_text=True
    )
    assert "edited-year" in _saved(app)
    assert (
        client.post("/teach/banks/edited/edit/quizzes/edited-quiz/remove").status_code
        == 302
    )
    assert client.post(f"{url}/remove").status_code == 302
    assert "edited-year" not in _saved(app)
    assert "quizzes:" not in _saved(app)
    assert db.session.get(Question, "edited-year").is_retired  # type: ignore[union-attr]


def test_bundled_banks_are_read_only(
    client: FlaskClient, app: Flask, teacher: Any
) -> None:
    # A bank imported from the configured folders, not uploaded.
    db.session.get(Bank, "edited").is_upload = False  # type: ignore[union-attr]
    db.session.commit()
    assert (
        client.get("/teach/banks/edited/edit/questions/edited-place").status_code == 403
    )
    response = client.post(
        "/teach/banks/edited/edit/questions/edited-place", data=_form(PLACE_FORM)
    )
    assert response.status_code == 403
    page = client.get("/teach/banks/edited").get_data(as_text=True)
    assert "/edit/questions/" not in page and "Add a question" not in page


def test_students_are_refused(
    client: FlaskClient, auth: AuthActions, teacher: Any
) -> None:
    auth.logout()
    auth.login(role="student", username="student")
    for method, url in [
        ("GET", "/teach/banks/edited/edit/questions/edited-place"),
        ("POST", "/teach/banks/edited/edit/questions/edited-place"),
        ("GET", "/teach/banks/edited/edit/questions/new?type=numeric"),
        ("POST", "/teach/banks/edited/edit/cards/edited-card/remove"),
        ("POST", "/teach/banks/edited/edit/questions/edited-year/move"),
    ]:
        assert client.open(url, method=method).status_code == 403, url


def test_unknown_lists_and_entries_are_not_found(
    client: FlaskClient, teacher: Any
) -> None:
    assert client.get("/teach/banks/edited/edit/topics/talks").status_code == 404
    assert client.get("/teach/banks/edited/edit/questions/nope").status_code == 404
    assert client.get("/teach/banks/nope/edit/questions/new").status_code == 404


def test_another_teacher_cannot_edit_an_upload_they_do_not_own(
    client: FlaskClient, app: Flask, auth: AuthActions, teacher: Any
) -> None:
    auth.logout()
    auth.login(role="teacher", username="someone-else")
    url = "/teach/banks/edited/edit/questions/edited-place"
    assert client.get(url).status_code == 403
    assert client.post(url, data=_form(PLACE_FORM)).status_code == 403
    assert client.post(f"{url}/move", data={"to": "down"}).status_code == 403
    assert client.post(f"{url}/remove").status_code == 403
    assert client.get("/teach/banks/edited/edit/cards/new").status_code == 403
    assert _saved(app) == BANK
    assert "Add a question" not in client.get("/teach/banks/edited").get_data(
        as_text=True
    )


def test_a_half_written_question_still_previews_its_markdown(
    client: FlaskClient, app: Flask, teacher: Any
) -> None:
    response = client.post(
        "/teach/banks/edited/edit/questions/new?type=ordering",
        data={"action": "preview", "prompt": "Put *these* in order."},
    )
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert "Preview (not saved)" in page and "<em>these</em>" in page
    assert "fill this in" in page
    assert _saved(app) == BANK
