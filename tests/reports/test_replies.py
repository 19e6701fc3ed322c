"""Problem reports that close the loop: replies the student reads, closed reports,
answers accepted for everyone, no server paths.
"""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from quiz_app.banks.models import Bank
from quiz_app.extensions import db
from quiz_app.reports import services as report_services
from tests.factories import make_schema_question
from tests.teacher.helpers import take_quiz


@pytest.fixture
def reported(app, make_bank, make_user, now):
    make_bank("bank-a", questions=(make_schema_question("qa"),))
    db.session.execute(
        sa.update(Bank).values(source_path="/srv/secret/uploads/bank-a.yaml")
    )
    kim = make_user("kim")
    lee = make_user("lee")
    kim_attempt = take_quiz(kim, "bank-a-all", {"qa": "Wrong 1"}, now=now)
    lee_attempt = take_quiz(lee, "bank-a-all", {"qa": "Wrong 1"}, now=now, seed=2)
    report = report_services.create_report(
        kim, question_id="qa", attempt_id=kim_attempt.id, comment="Also right?", now=now
    )
    db.session.commit()
    return {"report_id": report.id, "kim": kim_attempt.id, "lee": lee_attempt.id}


def test_reply_reaches_the_students_results_and_home(client, auth, reported):
    auth.login(role="teacher")
    page = client.get("/teach/reports").get_data(as_text=True)
    assert "/srv/secret" not in page and "bank-a.yaml" in page
    response = client.post(
        f"/teach/reports/{reported['report_id']}/reply",
        data={"reply": "Good catch: Wrong 1 is accepted now.", "close": "y"},
    )
    assert response.status_code == 302
    closed = client.get("/teach/reports?closed=1").get_data(as_text=True)
    assert "Good catch" in closed
    assert "No open reports" in client.get("/teach/reports").get_data(as_text=True)
    auth.logout()
    auth.login(username="kim")
    results = client.get(f"/quiz/attempt/{reported['kim']}/results").get_data(
        as_text=True
    )
    assert "Good catch: Wrong 1 is accepted now." in results
    assert "Good catch" in client.get("/").get_data(as_text=True)


def test_accept_for_everyone_regrades_and_is_listed_on_the_question(
    client, auth, reported
):
    auth.login(role="teacher")
    response = client.post(f"/teach/reports/{reported['report_id']}/accept")
    assert response.status_code == 302
    question_page = client.get("/teach/questions/qa").get_data(as_text=True)
    assert "Answers accepted for everyone" in question_page
    assert "2 answers regraded" in question_page
    assert "bank-a.yaml" in question_page and "/srv/secret" not in question_page
    auth.logout()
    auth.login(username="lee")
    results = client.get(f"/quiz/attempt/{reported['lee']}/results").get_data(
        as_text=True
    )
    assert "1 of 1" in results


def test_a_student_cannot_reply_or_accept(client, auth, reported):
    auth.login(username="lee")
    url = f"/teach/reports/{reported['report_id']}"
    assert client.post(f"{url}/reply", data={"reply": "x"}).status_code == 403
    assert client.post(f"{url}/accept").status_code == 403
