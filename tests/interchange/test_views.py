"""Downloads in other tools' formats: a student's own flashcards as an Anki deck."""

from __future__ import annotations

from quiz_app.extensions import db
from quiz_app.flashcards import services as card_services
from quiz_app.interchange import convert
from tests.factories import make_schema_question


def test_a_student_downloads_only_their_own_flashcards_as_anki(
    client, auth, make_bank, make_user, now
):
    make_bank(
        "deck",
        questions=(
            make_schema_question("deck-mine", prompt="Mine?"),
            make_schema_question("deck-theirs", prompt="Theirs?"),
        ),
    )
    other = make_user("other")
    student = auth.login()
    card_services.enqueue_missed(student.id, "deck-mine", now=now)
    card_services.enqueue_missed(other.id, "deck-theirs", now=now)
    db.session.commit()

    progress = client.get("/progress/").get_data(as_text=True)
    assert 'href="/cards/my-flashcards.apkg" download' in progress
    response = client.get("/cards/my-flashcards.apkg")
    assert response.status_code == 200
    assert response.headers["Content-Disposition"].startswith(
        'attachment; filename="armistice-study-student-'
    )
    back = convert(response.data, filename="mine.apkg", bank_id="back")
    assert "Mine?" in back.yaml_text
    assert "Theirs?" not in back.yaml_text
    assert dict(back.report.converted) == {"card": 1}


def test_the_anki_download_needs_a_login(client):
    response = client.get("/cards/my-flashcards.apkg")
    assert response.status_code == 302 and "/account/login" in response.location
