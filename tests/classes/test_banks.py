"""Each class chooses the banks its students see; the home page, the flashcards and
the quiz pages honour it; hidden banks reach no student; assignments need the bank
shown.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

import pytest
from flask import Flask

from quiz_app.banks import schema
from quiz_app.banks.models import Bank
from quiz_app.classes import banks as class_banks
from quiz_app.classes import services as class_services
from quiz_app.extensions import db
from quiz_app.flashcards import services as flashcard_services
from tests.conftest import logged_in_client
from tests.factories import make_schema_question
from tests.teacher.helpers import make_class


class _Fresh:
    """A client whose requests run in app contexts of their own."""

    def __init__(self, app: Flask, username: str) -> None:
        self._app = app
        db.session.rollback()  # the test's transaction must not hold SQLite
        self._client = logged_in_client(app, username)

    def get(self, url: str) -> Any:
        db.session.rollback()
        with self._app.app_context():
            return self._client.get(url)

    def post(self, url: str, **kwargs: Any) -> Any:
        db.session.rollback()
        with self._app.app_context():
            return self._client.post(url, **kwargs)


@pytest.fixture
def world(app: Flask, make_user: Any, make_bank: Any, now: datetime) -> dict[str, Any]:
    """Bundled ``bundled``; Ada's upload ``cold-war``; Bob's class with Sam, Ada's
    class with Kim; Lou in no class.
    """
    face = schema.CardFace(front="Front", back="Back")
    make_bank("bundled", questions=(make_schema_question("b-q1", flashcard=face),))
    make_bank(
        "cold-war",
        questions=(make_schema_question("cw-q1", flashcard=face),),
        content_hash="cw",
    )
    ada = make_user("ada", role="teacher")
    bob = make_user("bob", role="teacher")
    bank = db.session.get(Bank, "cold-war")
    assert bank is not None
    bank.is_upload, bank.owner_id = True, ada.id
    sam, kim, lou = make_user("sam"), make_user("kim"), make_user("lou")
    bobs = make_class(bob, sam, now=now, name="Bob's")
    adas = make_class(ada, kim, now=now, name="Ada's")
    db.session.commit()
    return {"ada": ada, "bob": bob, "sam": sam, "kim": kim, "lou": lou,
            "bobs": bobs, "adas": adas}  # fmt: skip


def _home(app: Flask, username: str) -> str:
    return _Fresh(app, username).get("/").get_data(as_text=True)


def test_the_default_is_bundled_banks_and_the_teachers_own(world: dict[str, Any]):
    assert class_banks.shown_bank_ids(world["bobs"]) == {"bundled"}
    assert class_banks.shown_bank_ids(world["adas"]) == {"bundled", "cold-war"}
    assert class_banks.student_bank_ids(world["sam"]) == {"bundled"}
    assert class_banks.student_bank_ids(world["kim"]) == {"bundled", "cold-war"}
    # In no class: the bundled banks only, never a teacher's upload.
    assert class_banks.student_bank_ids(world["lou"]) == {"bundled"}


def test_home_page_and_quiz_page_follow_the_class(app: Flask, world: dict[str, Any]):
    assert "Bank cold-war" not in _home(app, "sam")
    assert "Bank bundled" in _home(app, "sam")
    assert "Bank cold-war" in _home(app, "kim")
    assert "Bank cold-war" not in _home(app, "lou")
    sam = _Fresh(app, "sam")
    assert sam.get("/quiz/cold-war-all").status_code == 404
    assert sam.post("/quiz/cold-war-all/start").status_code == 404
    assert _Fresh(app, "kim").get("/quiz/cold-war-all").status_code == 200


def test_a_student_in_several_classes_sees_the_union(
    app: Flask, world: dict[str, Any], now: datetime
) -> None:
    class_services.join_class_by_code(world["sam"], world["adas"].join_code, now=now)
    db.session.commit()
    assert class_banks.student_bank_ids(world["sam"]) == {"bundled", "cold-war"}


def test_the_teacher_chooses_on_the_class_banks_page(app: Flask, world: dict[str, Any]):
    bob = _Fresh(app, "bob")
    url = f"/teach/classes/{world['bobs'].id}/banks"
    page = bob.get(url).get_data(as_text=True)
    assert 'value="bundled" id="bank-1" checked' in page.replace("\n", "")
    assert 'value="cold-war"' in page and "uploaded by ada" in page
    assert bob.post(url, data={"shown": ["cold-war"]}).status_code == 302
    assert "Bank cold-war" in _home(app, "sam")
    assert "Bank bundled" not in _home(app, "sam")
    page = bob.get(url).get_data(as_text=True)
    assert "changed from the default" in page
    # Back to the default: the stored choices go.
    bob.post(url, data={"shown": ["bundled"]})
    assert class_banks.shown_bank_ids(world["bobs"]) == {"bundled"}
    from quiz_app.classes.models import ClassBankChoice

    assert db.session.query(ClassBankChoice).count() == 0


def test_other_teachers_and_students_cannot_choose(app: Flask, world: dict[str, Any]):
    url = f"/teach/classes/{world['bobs'].id}/banks"
    assert _Fresh(app, "ada").get(url).status_code == 404
    assert _Fresh(app, "ada").post(url, data={"shown": []}).status_code == 404
    assert _Fresh(app, "sam").get(url).status_code == 403
    assert _Fresh(app, "sam").post(url, data={"shown": []}).status_code == 403
    assert class_banks.shown_bank_ids(world["bobs"]) == {"bundled"}


def test_a_hidden_bank_reaches_no_student(app: Flask, world: dict[str, Any]):
    ada = _Fresh(app, "ada")
    assert (
        ada.post("/teach/banks/cold-war/state", data={"action": "hide"}).status_code
        == 302
    )
    assert "Bank cold-war" not in _home(app, "kim")
    assert class_banks.student_bank_ids(world["kim"]) == {"bundled"}
    # Its teacher still sees it.
    assert "Bank cold-war" in ada.get("/").get_data(as_text=True)


def test_new_flashcards_come_from_shown_banks_only(
    app: Flask, world: dict[str, Any], now: datetime
) -> None:
    ids = flashcard_services.list_new_card_ids(
        world["sam"].id,
        limit=50,
        shown_banks=class_banks.student_bank_ids(world["sam"]),
    )
    assert ids and all(not i.startswith("cw-") for i in ids)
    kim_ids = flashcard_services.list_new_card_ids(
        world["kim"].id,
        limit=50,
        shown_banks=class_banks.student_bank_ids(world["kim"]),
    )
    assert any(i.startswith("cw-") for i in kim_ids)
    banks = flashcard_services.list_study_banks({"bundled"})
    assert [b.id for b in banks] == ["bundled"]


def test_assigning_a_bank_the_class_does_not_show_is_refused(
    app: Flask, world: dict[str, Any], now: datetime
) -> None:
    with pytest.raises(class_services.InvalidAssignment, match="Banks page"):
        class_services.add_assignment(world["bobs"], quiz_id="cold-war-all", now=now)
    bob = _Fresh(app, "bob")
    response = bob.post(
        f"/teach/classes/{world['bobs'].id}/assignments",
        data={"target": "quiz:cold-war-all"},
    )
    assert response.status_code == 200
    assert "not among the banks this class shows" in response.get_data(as_text=True)
    # Shown, then assigned, then unticked: the assignment keeps its quiz reachable.
    url = f"/teach/classes/{world['bobs'].id}/banks"
    bob.post(url, data={"shown": ["bundled", "cold-war"]})
    assert (
        bob.post(
            f"/teach/classes/{world['bobs'].id}/assignments",
            data={"target": "quiz:cold-war-all"},
        ).status_code
        == 302
    )
    bob.post(url, data={"shown": ["bundled"]})
    assert _Fresh(app, "sam").get("/quiz/cold-war-all").status_code == 200
    assert "cold-war" in class_banks.student_bank_ids(world["sam"])


def test_the_assignment_form_lists_only_what_the_class_shows(
    app: Flask, world: dict[str, Any]
) -> None:
    bob = _Fresh(app, "bob")
    url = f"/teach/classes/{world['bobs'].id}/assignments"
    page = bob.get(url).get_data(as_text=True)
    assert 'value="quiz:bundled-all"' in page
    assert 'value="bank:bundled"' in page
    assert 'value="quiz:cold-war-all"' not in page
    assert 'value="bank:cold-war"' not in page
    assert f'href="/teach/classes/{world["bobs"].id}/banks"' in page
    bob.post(f"/teach/classes/{world['bobs'].id}/banks", data={"shown": ["cold-war"]})
    page = bob.get(url).get_data(as_text=True)
    assert 'value="quiz:cold-war-all"' in page
    assert 'value="bank:bundled"' not in page


def test_an_archived_bank_leaves_students_history_alone(
    app: Flask, world: dict[str, Any], now: datetime
) -> None:
    from tests.teacher.helpers import take_quiz

    take_quiz(world["kim"], "cold-war-all", {"cw-q1": "Right"}, now=now)
    db.session.commit()
    ada = _Fresh(app, "ada")
    response = ada.post("/teach/banks/cold-war/state", data={"action": "archive"})
    assert response.status_code == 302
    kim = _Fresh(app, "kim")
    assert "Bank cold-war" not in kim.get("/").get_data(as_text=True)
    history = kim.get("/quiz/history").get_data(as_text=True)
    assert "All questions" in history  # the archived bank's quiz, still listed
    assert db.session.get(Bank, "cold-war") is not None  # nothing deleted


def test_a_new_card_of_a_bank_not_shown_cannot_be_opened_by_its_url(
    app: Flask, world: dict[str, Any]
) -> None:
    sam = _Fresh(app, "sam")
    assert sam.get("/cards/cw-q1/answer").status_code == 404
    assert _Fresh(app, "kim").get("/cards/cw-q1/answer").status_code == 200


def test_cards_already_studied_stay_when_the_class_unticks_their_bank(
    app: Flask, world: dict[str, Any], now: datetime
) -> None:
    flashcard_services.enqueue_missed(world["sam"].id, "cw-q1", now=now)
    db.session.commit()
    sam = _Fresh(app, "sam")
    assert sam.get("/cards/").status_code == 200
    assert sam.get("/cards/cw-q1/answer").status_code == 200
