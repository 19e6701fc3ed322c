"""Across domains: a missed quiz question reaches the home page as a due card, a
teacher's assignment comes first, and every result offers a problem report."""

from __future__ import annotations

import re
from random import Random

from quiz_app.classes import services as class_services
from quiz_app.extensions import db
from tests.quiz.helpers import make_quiz_bank


def test_missed_question_assignment_and_report_form(
    client, auth, make_bank, make_user, now
):
    make_quiz_bank(make_bank)
    teacher = make_user("msong", role="teacher")
    school_class = class_services.create_class(
        teacher, "History 10", now=now, rng=Random(1)
    )
    class_services.add_assignment(school_class, quiz_id="bank-a-quiz", now=now)
    db.session.commit()
    student = auth.login()
    class_services.join_class_by_code(student, school_class.join_code, now=now)
    db.session.commit()

    home = client.get("/").get_data(as_text=True)
    assert "Set by your teacher" in home
    assert home.index("Set by your teacher") < home.index("Flashcards today")
    assert "<strong>0</strong> due · <strong>0</strong> new" in home
    assert "Not done yet" in home

    started = client.post("/quiz/bank-a-quiz/start")
    attempt_id = int(re.search(r"/quiz/attempt/(\d+)", started.location).group(1))
    client.post(
        f"/quiz/attempt/{attempt_id}/answer",
        data={"page": "1", "action": "review", "q1": "Wrong 1"},
    )
    client.post(f"/quiz/attempt/{attempt_id}/submit")
    results = client.get(f"/quiz/attempt/{attempt_id}/results").get_data(as_text=True)
    assert results.count('action="/reports/new"') == 7  # one per question

    home = client.get("/").get_data(as_text=True)
    # every unanswered or wrong one is due at once; the bank has no deck of new cards
    assert "<strong>7</strong> due · <strong>0</strong> new" in home
    assert "Done · best 0%" in home
