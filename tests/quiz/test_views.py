"""Taking quizzes through the client: the whole journey and every refusal."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

import pytest
import sqlalchemy as sa

from quiz_app.accounts.services import create_user
from quiz_app.banks import schema
from quiz_app.banks.services import import_bank
from quiz_app.extensions import db
from quiz_app.quiz.models import AttemptAnswer, AttemptStatus, QuizAttempt
from tests.conftest import PASSWORD
from tests.factories import make_schema_question
from tests.quiz.helpers import (
    MATCH_PAIRS,
    all_type_questions,
    make_quiz_bank,
    save_answers,
)

#: Form data answering every question of the all-types bank right, by page number.
RIGHT_FORM = {
    1: {"q1": "Right"},
    2: {"q2": ["Kaesong", "Panmunjom"]},
    3: {"q3": "false"},
    4: {"q4": "  PANMUNJŎM "},
    5: {"q5": "1953"},
    6: {"q6_0": "Stalin dies", "q6_1": "Little Switch", "q6_2": "Armistice signed"},
    7: {f"q7_{i}": right for i, (_, right) in enumerate(MATCH_PAIRS)},
}


@pytest.fixture
def quiz_bank(make_bank):
    def _make(**quiz):
        bank = make_quiz_bank(make_bank, **quiz)
        db.session.commit()
        return bank

    return _make


GRACE = timedelta(seconds=30)


def _start(client, quiz_id="bank-a-quiz"):
    response = client.post(f"/quiz/{quiz_id}/start")
    assert response.status_code == 302
    match = re.search(r"/quiz/attempt/(\d+)", response.headers["Location"])
    assert match, response.headers["Location"]
    return int(match.group(1))


def _answer(client, attempt_id, page, data, action="next"):
    return client.post(
        f"/quiz/attempt/{attempt_id}/answer",
        data={"page": str(page), "action": action, **data},
    )


def _finish(client, attempt_id, page, data):
    """Press "Submit quiz" on a page, read the review page, then submit for grading;
    returns the final submit's response.
    """
    response = _answer(client, attempt_id, page, data, action="review")
    assert response.location.endswith(f"/quiz/attempt/{attempt_id}/submit")
    review = client.get(response.location)
    assert review.status_code == 200 and "Submit quiz for grading" in review.text
    return client.post(f"/quiz/attempt/{attempt_id}/submit")


def _saved(attempt_id):
    db.session.expire_all()
    rows = db.session.scalars(
        sa.select(AttemptAnswer).where(AttemptAnswer.attempt_id == attempt_id)
    )
    return {row.question_id: row.response for row in rows}


def _attempt(attempt_id):
    db.session.expire_all()
    return db.session.get(QuizAttempt, attempt_id)


def test_pages_need_a_login(client, quiz_bank):
    quiz_bank()
    response = client.get("/quiz/bank-a-quiz")
    assert response.status_code == 302 and "/account/login" in response.location
    assert client.post("/quiz/bank-a-quiz/start").status_code == 302
    assert db.session.scalar(sa.select(sa.func.count()).select_from(QuizAttempt)) == 0


def test_detail_page_shows_rules_and_start_button(client, auth, quiz_bank):
    quiz_bank(time_limit_minutes=20, max_attempts=2, pass_mark=75)
    auth.login()
    page = client.get("/quiz/bank-a-quiz").get_data(as_text=True)
    assert "Time limit: 20 minutes" in page and "Pass mark: 75%" in page
    assert "0 of 2 used" in page
    assert 'action="/quiz/bank-a-quiz/start"' in page
    assert client.get("/quiz/unknown").status_code == 404


def test_a_one_minute_limit_is_one_minute(client, auth, quiz_bank):
    quiz_bank(time_limit_minutes=1)
    auth.login()
    page = client.get("/quiz/bank-a-quiz").get_data(as_text=True)
    assert "Time limit: 1 minute from" in page


def test_every_question_type_renders_real_form_controls(client, auth, quiz_bank):
    quiz_bank()
    auth.login()
    attempt_id = _start(client)
    pages = {
        n: client.get(f"/quiz/attempt/{attempt_id}?q={n}").get_data(as_text=True)
        for n in range(1, 8)
    }
    assert pages[1].count('name="q1" type="radio"') == 3
    assert "<legend>Question 1" in pages[1] and "<fieldset" in pages[1]
    assert pages[2].count('name="q2" type="checkbox"') == 4
    assert 'value="true"' in pages[3] and 'value="false"' in pages[3]
    assert re.search(r'<input[^>]*name="q4"[^>]*type="text"', pages[4])
    assert re.search(r'<input[^>]*inputmode="decimal"[^>]*name="q5"', pages[5])
    for slot in range(3):  # one <select> per position, listing every item
        assert f'<select id="q6_{slot}" name="q6_{slot}">' in pages[6]
        assert f'<label for="q6_{slot}">Position {slot + 1}</label>' in pages[6]
    assert pages[6].count('<option value="Stalin dies"') == 3
    assert pages[7].count('<option value="Swiss NNSC member"') == 3  # distractor
    assert '<label for="q7_0">Nam Il</label>' in pages[7]
    assert "Question 3 of 7" in pages[3] and 'value="goto:7"' in pages[3]
    assert "<script" in pages[1] and "js/quiz.js" in pages[1]


def test_a_numeric_unit_is_named_once_not_read_as_a_quantity(client, auth, make_bank):
    question = make_schema_question(
        "q-day", type="numeric", data={"answer": 8, "unit": "July 1951"}
    )
    make_bank(
        "bank-u",
        questions=(question,),
        quizzes=(schema.QuizDef(id="bank-u-quiz", title="Days"),),
    )
    db.session.commit()
    auth.login()
    attempt_id = _start(client, "bank-u-quiz")
    page = client.get(f"/quiz/attempt/{attempt_id}").get_data(as_text=True)
    assert "Your answer (in July 1951)" in page
    assert "A number, for example 1953 or 2.5." in page
    assert "A number of July 1951" not in page


def test_whole_journey_answer_resume_submit_results_history(client, auth, quiz_bank):
    quiz_bank()
    auth.login()
    attempt_id = _start(client)
    for page in range(1, 4):
        response = _answer(client, attempt_id, page, RIGHT_FORM[page])
        assert response.status_code == 302
        assert response.location.endswith(f"/quiz/attempt/{attempt_id}?q={page + 1}")
    # The tab closes; the student comes back later and starts the quiz again.
    assert _start(client) == attempt_id
    page2 = client.get(f"/quiz/attempt/{attempt_id}?q=2").get_data(as_text=True)
    assert re.search(r'<input checked[^>]*value="Kaesong"', page2)
    assert "3 answered" in page2
    for page in range(4, 8):
        _answer(client, attempt_id, page, RIGHT_FORM[page])
    response = _finish(client, attempt_id, 7, RIGHT_FORM[7])
    assert response.location.endswith(f"/quiz/attempt/{attempt_id}/results")
    attempt = _attempt(attempt_id)
    assert attempt.status == AttemptStatus.SUBMITTED and attempt.score == 7.0
    results = client.get(response.location).get_data(as_text=True)
    assert "Passed" in results and "7 of 7" in results and "(100%)" in results
    assert "Because the sources say so." in results and "A source" in results
    history = client.get("/quiz/history").get_data(as_text=True)
    assert f"/quiz/attempt/{attempt_id}/results" in history and "100%" in history
    home = client.get("/").get_data(as_text=True)
    assert "Recent scores" in home and "Every type" in home


def test_results_show_wrong_answers_with_the_right_one(client, auth, quiz_bank):
    quiz_bank()
    auth.login()
    attempt_id = _start(client)
    _answer(client, attempt_id, 1, {"q1": "Wrong 2"})
    _answer(client, attempt_id, 6, {"q6_0": "Little Switch", "q6_1": "Stalin dies"})
    client.post(f"/quiz/attempt/{attempt_id}/submit")
    results = client.get(f"/quiz/attempt/{attempt_id}/results").get_data(as_text=True)
    assert "Not passed" in results and "0 of 7" in results
    assert "<h3>Your answer</h3>\n      <p>Wrong 2</p>" in results
    assert "<h3>The right answer</h3>\n      <p>Right</p>" in results
    assert "0 of 2 neighbouring pairs are in the right order." in results
    assert "(no answer)" in results


def test_all_on_one_page_layout(client, auth, quiz_bank):
    quiz_bank(layout="all_on_one_page")
    auth.login()
    attempt_id = _start(client)
    page = client.get(f"/quiz/attempt/{attempt_id}").get_data(as_text=True)
    assert all(f"<legend>Question {n}" in page for n in range(1, 8))
    data = {k: v for answers in RIGHT_FORM.values() for k, v in answers.items()}
    response = _answer(client, attempt_id, "all", data, action="save")
    assert response.location.endswith(f"/quiz/attempt/{attempt_id}")
    assert len(_saved(attempt_id)) == 7
    page = client.get(response.location).get_data(as_text=True)
    assert "Saved. You can change your answers until you submit the quiz." in page
    _finish(client, attempt_id, "all", data)
    assert _attempt(attempt_id).score == 7.0


def test_resubmitting_an_answer_counts_once(client, auth, quiz_bank):
    quiz_bank()
    auth.login()
    attempt_id = _start(client)
    for _ in range(3):
        _answer(client, attempt_id, 2, RIGHT_FORM[2], action="save")
    assert _saved(attempt_id) == {"q-multi": ["Kaesong", "Panmunjom"]}


def test_double_final_submit_is_idempotent(client, auth, quiz_bank):
    quiz_bank()
    auth.login()
    attempt_id = _start(client)
    first = _finish(client, attempt_id, 1, RIGHT_FORM[1])
    submitted_at = _attempt(attempt_id).submitted_at
    second = _answer(client, attempt_id, 1, {"q1": "Wrong 1"}, action="review")
    third = client.post(f"/quiz/attempt/{attempt_id}/submit")
    fourth = client.get(f"/quiz/attempt/{attempt_id}/submit")  # the review page
    assert first.location == second.location == third.location == fourth.location
    attempt = _attempt(attempt_id)
    assert attempt.submitted_at == submitted_at and attempt.score == 1.0
    assert _saved(attempt_id)["q-single"] == "Right"


def test_a_tampered_choice_is_refused(client, auth, quiz_bank):
    quiz_bank()
    auth.login()
    attempt_id = _start(client)
    response = _answer(client, attempt_id, 1, {"q1": "Not a choice"})
    assert response.status_code == 302
    assert _saved(attempt_id) == {}
    page = client.get(response.location).get_data(as_text=True)
    assert "could not be read" in page
    assert _answer(client, attempt_id, 99, RIGHT_FORM[1]).status_code == 400


def test_answer_after_the_time_limit_is_not_saved(client, auth, quiz_bank, monkeypatch):
    quiz_bank(time_limit_minutes=10)
    auth.login()
    start = datetime.now(UTC)
    attempt_id = _start(client)
    page = client.get(f"/quiz/attempt/{attempt_id}?q=1").get_data(as_text=True)
    assert 'id="quiz-timer" data-seconds-left="' in page and "Time left" in page
    _answer(client, attempt_id, 1, RIGHT_FORM[1])
    late = start + timedelta(minutes=11)  # beyond the 30 s grace
    monkeypatch.setattr("quiz_app.quiz.views.utcnow", lambda: late)
    response = _answer(client, attempt_id, 2, RIGHT_FORM[2])
    assert response.location.endswith(f"/quiz/attempt/{attempt_id}/results")
    assert _saved(attempt_id)["q-multi"] is None  # graded as unanswered
    attempt = _attempt(attempt_id)
    assert attempt.status == AttemptStatus.EXPIRED and attempt.score == 1.0
    results = client.get(response.location).get_data(as_text=True)
    assert "Time was up" in results and "Time ran out" in results


def test_answer_within_the_grace_period_is_saved(client, auth, quiz_bank, monkeypatch):
    quiz_bank(time_limit_minutes=10)
    auth.login()
    start = datetime.now(UTC)
    attempt_id = _start(client)
    late = start + timedelta(minutes=10, seconds=10)
    monkeypatch.setattr("quiz_app.quiz.views.utcnow", lambda: late)
    _finish(client, attempt_id, 1, RIGHT_FORM[1])
    attempt = _attempt(attempt_id)
    assert attempt.status == AttemptStatus.SUBMITTED and attempt.score == 1.0


def test_the_countdowns_own_submit_says_the_time_is_up(client, auth, quiz_bank):
    quiz_bank(time_limit_minutes=10)
    auth.login()
    attempt_id = _start(client)
    response = _answer(client, attempt_id, 1, RIGHT_FORM[1], action="timeup")
    assert response.location.endswith(f"/quiz/attempt/{attempt_id}/results")
    attempt = _attempt(attempt_id)
    assert attempt.status == AttemptStatus.SUBMITTED and attempt.score == 1.0
    results = client.get(response.location).get_data(as_text=True)
    assert "Time is up." in results
    # A student's own "Submit quiz" is not announced as a time-up.
    other = _start(client)
    response = _finish(client, other, 1, RIGHT_FORM[1])
    assert "Time is up" not in client.get(response.location).get_data(as_text=True)


def test_opening_an_overdue_attempt_closes_it(client, auth, quiz_bank, monkeypatch):
    quiz_bank(time_limit_minutes=5)
    auth.login()
    attempt_id = _start(client)
    later = datetime.now(UTC) + timedelta(hours=1)
    monkeypatch.setattr("quiz_app.quiz.views.utcnow", lambda: later)
    response = client.get(f"/quiz/attempt/{attempt_id}?q=1")
    assert response.location.endswith(f"/quiz/attempt/{attempt_id}/results")
    assert _attempt(attempt_id).status == AttemptStatus.EXPIRED


def test_start_refused_when_attempts_are_used_up(client, auth, quiz_bank):
    quiz_bank(max_attempts=1)
    auth.login()
    attempt_id = _start(client)
    client.post(f"/quiz/attempt/{attempt_id}/submit")
    response = client.post("/quiz/bank-a-quiz/start")
    assert response.location.endswith("/quiz/bank-a-quiz")
    page = client.get(response.location).get_data(as_text=True)
    assert "You have used all 1 attempts" in page
    assert "You have used every attempt" in page
    assert db.session.scalar(sa.select(sa.func.count()).select_from(QuizAttempt)) == 1


def test_another_students_attempt_is_404(client, auth, quiz_bank):
    quiz_bank()
    auth.login(username="alice")
    attempt_id = _start(client)
    auth.logout()
    auth.login(username="bob")
    assert client.get(f"/quiz/attempt/{attempt_id}").status_code == 404
    assert client.get(f"/quiz/attempt/{attempt_id}/results").status_code == 404
    assert _answer(client, attempt_id, 1, RIGHT_FORM[1]).status_code == 404
    assert client.post(f"/quiz/attempt/{attempt_id}/submit").status_code == 404
    assert _saved(attempt_id) == {} and _attempt(attempt_id).is_open
    assert f"/quiz/attempt/{attempt_id}" not in client.get("/quiz/history").text


def test_results_of_an_open_attempt_send_back_to_the_quiz(client, auth, quiz_bank):
    quiz_bank()
    auth.login()
    attempt_id = _start(client)
    response = client.get(f"/quiz/attempt/{attempt_id}/results")
    assert response.location.endswith(f"/quiz/attempt/{attempt_id}")


def test_history_draws_a_sparkline_of_scores(client, auth, quiz_bank):
    quiz_bank()
    auth.login()
    for answer in ("Right", "Wrong 1"):
        attempt_id = _start(client)
        _finish(client, attempt_id, 1, {"q1": answer})
    page = client.get("/quiz/history").get_data(as_text=True)
    assert "<polyline" in page and page.count("Review<span") == 2


def test_missing_csrf_token_is_refused(make_app, now):
    app = make_app(WTF_CSRF_ENABLED=True)
    with app.app_context():
        bank = schema.Bank(
            id="bank-a",
            title="Bank A",
            source_path="a.yaml",
            questions=all_type_questions(),
            quizzes=(schema.QuizDef(id="bank-a-quiz", title="Every type"),),
        )
        import_bank(bank, now=now)
        create_user("alice", PASSWORD, now=now)
        db.session.commit()
        client = app.test_client()

        def token(url):
            html = client.get(url).get_data(as_text=True)
            return re.search(r'name="csrf_token"[^>]*value="([^"]+)"', html).group(1)

        login = {"username": "alice", "password": PASSWORD}
        assert client.post("/account/login", data=login).status_code == 400
        login["csrf_token"] = token("/account/login")
        assert client.post("/account/login", data=login).status_code == 302
        assert client.post("/quiz/bank-a-quiz/start").status_code == 400
        csrf = token("/quiz/bank-a-quiz")
        response = client.post("/quiz/bank-a-quiz/start", data={"csrf_token": csrf})
        attempt_id = int(response.location.rsplit("/", 1)[1])
        answer = {"page": "1", "action": "next", "q1": "Right"}
        url = f"/quiz/attempt/{attempt_id}/answer"
        assert client.post(url, data=answer).status_code == 400
        assert client.post(url, data={**answer, "csrf_token": csrf}).status_code == 302
        autosave = f"/quiz/attempt/{attempt_id}/autosave"
        blank = {"page": "1"}  # question 1's type depends on the shuffle
        assert client.post(autosave, data=blank).status_code == 400
        saved = client.post(autosave, data={**blank, "csrf_token": csrf})
        assert saved.status_code == 200 and saved.json["saved"] is True


def test_a_bank_edit_reaches_the_answer_form_of_an_open_attempt(
    client, auth, make_bank
):
    """Answer forms are cached per process by the options shown: an edited question's
    new choices replace the old ones at once, even in an attempt already under way.
    """

    def import_bank_a(single, content_hash):
        make_bank(
            "bank-a",
            questions=(single, *all_type_questions()[1:]),
            quizzes=(schema.QuizDef(id="bank-a-quiz", title="Every", shuffle=False),),
            content_hash=content_hash,
        )
        db.session.commit()

    import_bank_a(all_type_questions()[0], "hash-1")
    auth.login()
    attempt_id = _start(client)
    assert _answer(client, attempt_id, 1, {"q1": "Right"}, action="save").status_code
    edited = make_schema_question(
        "q-single",
        tags=("people",),
        data={"choices": ("Correct", "Wrong 1", "Wrong 2"), "answer": "Correct"},
    )
    import_bank_a(edited, "hash-2")
    refused = _answer(client, attempt_id, 1, {"q1": "Right"}, action="save")
    assert "could not be read" in client.get(refused.location).text
    _answer(client, attempt_id, 1, {"q1": "Correct"}, action="save")
    row = db.session.scalar(
        sa.select(AttemptAnswer).where(AttemptAnswer.attempt_id == attempt_id)
    )
    assert (row.response, row.question_version, row.is_correct) == ("Correct", 2, True)


def test_saved_answers_stay_with_their_student(client, auth, quiz_bank):
    quiz_bank()
    auth.login(username="alice")
    alice_attempt = _start(client)
    _answer(client, alice_attempt, 1, RIGHT_FORM[1], action="save")
    assert "checked" in client.get(f"/quiz/attempt/{alice_attempt}?q=1").text
    auth.logout()
    auth.login(username="bob")
    bob_attempt = _start(client)
    assert "checked" not in client.get(f"/quiz/attempt/{bob_attempt}?q=1").text
    assert _answer(client, bob_attempt, 1, {"q1": "Wrong 1"}).status_code == 302
    assert _saved(alice_attempt) == {"q-single": "Right"}
    assert _saved(bob_attempt) == {"q-single": "Wrong 1"}


def test_submit_quiz_leads_to_a_review_page_and_grades_nothing(client, auth, quiz_bank):
    quiz_bank()
    auth.login()
    attempt_id = _start(client)
    _answer(client, attempt_id, 1, RIGHT_FORM[1])
    _answer(client, attempt_id, 2, RIGHT_FORM[2])
    response = _answer(client, attempt_id, 3, RIGHT_FORM[3], action="review")
    assert response.location.endswith(f"/quiz/attempt/{attempt_id}/submit")
    assert _saved(attempt_id)["q-tf"] is False  # the page's answer was saved first
    attempt = _attempt(attempt_id)
    assert attempt.is_open and attempt.score is None and attempt.submitted_at is None
    page = client.get(response.location).text
    assert "3 of 7 answered; 4 unanswered" in page
    assert page.count("Not answered</span>") == 4 and page.count(">Answered<") == 3
    for n in range(1, 8):  # every question links back to its page
        assert f'href="/quiz/attempt/{attempt_id}?q={n}">Question {n}</a>' in page
    assert "Where was the Armistice signed?" in page  # a glimpse of each prompt
    assert f'action="/quiz/attempt/{attempt_id}/submit"' in page
    assert "Submit quiz for grading" in page and "Time left" not in page
    # Still nothing graded: results send back to the quiz.
    assert _attempt(attempt_id).is_open
    assert client.get(f"/quiz/attempt/{attempt_id}/results").status_code == 302
    # Going back to a question and answering it is counted on the review page.
    _answer(client, attempt_id, 5, RIGHT_FORM[5], action="review")
    page = client.get(f"/quiz/attempt/{attempt_id}/submit").text
    assert "4 of 7 answered; 3 unanswered" in page
    response = client.post(f"/quiz/attempt/{attempt_id}/submit")
    assert response.location.endswith(f"/quiz/attempt/{attempt_id}/results")
    attempt = _attempt(attempt_id)
    assert attempt.status == AttemptStatus.SUBMITTED and attempt.score == 4.0


def test_the_review_page_of_a_one_page_quiz_links_to_each_question(
    client, auth, quiz_bank
):
    quiz_bank(layout="all_on_one_page")
    auth.login()
    attempt_id = _start(client)
    data = {k: v for answers in RIGHT_FORM.values() for k, v in answers.items()}
    _answer(client, attempt_id, "all", data, action="review")
    page = client.get(f"/quiz/attempt/{attempt_id}/submit").text
    assert "7 of 7 answered" in page and "unanswered" not in page
    assert f'href="/quiz/attempt/{attempt_id}#question-3">Question 3</a>' in page


def test_a_timed_review_page_shows_the_time_left_and_the_countdown_submits_it(
    client, auth, quiz_bank, monkeypatch, now
):
    quiz_bank(time_limit_minutes=10)
    student = auth.login()
    student.timezone = "Asia/Seoul"
    db.session.commit()
    monkeypatch.setattr("quiz_app.quiz.views.utcnow", lambda: now)
    attempt_id = _start(client)
    page = client.get(f"/quiz/attempt/{attempt_id}/submit").text
    assert 'data-seconds-left="600"' in page and "Time left" in page
    # 09:40 UTC is 18:40 in Seoul.
    assert "The time limit ends at Mon 2 Mar, 18:40 (Asia/Seoul time)." in page
    assert 'id="submit-form"' in page and 'id="submit-button"' in page
    # The countdown presses the final button with "timeup": graded, and said so.
    response = client.post(
        f"/quiz/attempt/{attempt_id}/submit", data={"action": "timeup"}
    )
    assert _attempt(attempt_id).status == AttemptStatus.SUBMITTED
    assert "Time is up." in client.get(response.location).text


def test_an_overdue_review_page_closes_the_attempt(
    client, auth, quiz_bank, monkeypatch
):
    quiz_bank(time_limit_minutes=5)
    auth.login()
    attempt_id = _start(client)
    later = datetime.now(UTC) + timedelta(hours=1)
    monkeypatch.setattr("quiz_app.quiz.views.utcnow", lambda: later)
    response = client.get(f"/quiz/attempt/{attempt_id}/submit")
    assert response.location.endswith(f"/quiz/attempt/{attempt_id}/results")
    assert _attempt(attempt_id).status == AttemptStatus.EXPIRED
    assert "Time is up." in client.get(response.location).text


def test_a_numeric_answer_that_is_not_a_number_is_shown_again_not_saved(
    client, auth, quiz_bank
):
    quiz_bank()
    auth.login()
    attempt_id = _start(client)
    _answer(client, attempt_id, 5, {"q5": "1953"})
    response = _answer(client, attempt_id, 5, {"q5": "about 1953"})
    # Back to the same question, not on to the next one.
    assert response.location.endswith(f"/quiz/attempt/{attempt_id}?q=5#question-5")
    assert _saved(attempt_id)["q-numeric"] == "1953"  # the last good answer stays
    page = client.get(response.location).text
    assert "Question 5: “about 1953” is not a number, so it was not saved." in page
    assert 'value="about 1953"' in page and 'aria-invalid="true"' in page
    # Shown once: a reload shows the saved answer.
    assert 'value="1953"' in client.get(response.location).text
    # A number (here with a thousands comma) says nothing.
    response = _answer(client, attempt_id, 5, {"q5": "1,953"})
    assert "is not a number" not in client.get(response.location).text


def test_an_unreadable_saved_number_counts_as_unanswered(client, auth, quiz_bank, now):
    quiz_bank()
    auth.login()
    attempt_id = _start(client)
    # saved before numbers were checked on save
    attempt = _attempt(attempt_id)
    save_answers(attempt, {"q-numeric": "about 1953"}, now=now, grace=GRACE)
    db.session.commit()
    review = client.get(f"/quiz/attempt/{attempt_id}/submit").text
    assert "0 of 7 answered; 7 unanswered" in review
    assert "Not a number (unanswered)</span>" in review
    assert "Every question has an answer" not in review


def test_times_are_shown_in_the_students_time_zone(
    client, auth, quiz_bank, monkeypatch, now
):
    quiz_bank(time_limit_minutes=30)
    student = auth.login()
    student.timezone = "America/New_York"
    db.session.commit()
    for module in ("quiz_app.quiz.views", "quiz_app.home.views", "quiz_app.web"):
        monkeypatch.setattr(f"{module}.utcnow", lambda: now)
    attempt_id = _start(client)
    home = client.get("/").text  # 09:30 UTC is 04:30 in New York (EST)
    assert "started Mon 2 Mar, 04:30, time ends Mon 2 Mar, 05:00" in home
    assert "Times are in your time zone, America/New_York." in home
    response = _finish(client, attempt_id, 1, RIGHT_FORM[1])
    results = client.get(response.location).text
    assert "Submitted Mon 2 Mar, 04:30 (America/New_York time)." in results
    assert " UTC" not in results
    history = client.get("/quiz/history").text
    assert "Date (America/New_York time)" in history
    assert '<td data-label="Date">Mon 2 Mar, 04:30</td>' in history


def test_resume_opens_the_first_unanswered_question(client, auth, quiz_bank):
    quiz_bank()
    auth.login()
    attempt_id = _start(client)
    for number in (1, 2, 4):
        _answer(client, attempt_id, number, RIGHT_FORM[number])
    page = client.get(f"/quiz/attempt/{attempt_id}").text
    assert "Question 3 of 7 · 3 answered" in page
    # An explicit question number still wins.
    assert "Question 1 of 7" in client.get(f"/quiz/attempt/{attempt_id}?q=1").text


def test_autosave_saves_in_json_once_per_question_and_checks_like_the_form(
    client, auth, quiz_bank
):
    quiz_bank()
    auth.login()
    attempt_id = _start(client)
    url = f"/quiz/attempt/{attempt_id}/autosave"
    for text in ("19", "195", "1953"):  # typed, saved as it changes
        response = client.post(url, data={"page": "5", "q5": text})
        assert response.status_code == 200
        assert response.json == {"saved": True, "problems": []}
    rows = db.session.scalars(
        sa.select(AttemptAnswer).where(AttemptAnswer.attempt_id == attempt_id)
    ).all()
    assert [(r.question_id, r.response) for r in rows] == [("q-numeric", "1953")]
    # The same checks as the page's POST: not a number is refused, not saved.
    response = client.post(url, data={"page": "5", "q5": "about 1953"})
    assert response.status_code == 422 and response.json["saved"] is False
    assert "is not a number" in response.json["problems"][0]["message"]
    assert _saved(attempt_id) == {"q-numeric": "1953"}
    # A field the page does not hold, or a page out of range, is not read.
    assert client.post(url, data={"page": "5", "q5": "x" * 61}).status_code == 400
    assert client.post(url, data={"page": "99"}).status_code == 400
    # It never moves on or submits, even when asked to.
    client.post(url, data={"page": "5", "q5": "1953", "action": "timeup"})
    assert _attempt(attempt_id).status == AttemptStatus.IN_PROGRESS
    # Once the quiz is closed it says so.
    _finish(client, attempt_id, 5, {"q5": "1953"})
    response = client.post(url, data={"page": "5", "q5": "1954"})
    assert response.status_code == 409 and response.json["closed"] is True


def test_an_item_picked_twice_is_saved_but_pointed_out(client, auth, quiz_bank):
    quiz_bank()
    auth.login()
    attempt_id = _start(client)
    twice = {"q6_0": "Stalin dies", "q6_1": "Stalin dies", "q6_2": "Armistice signed"}
    response = _answer(client, attempt_id, 6, twice)
    # "Save and next" stays on the question (no JavaScript), saying why.
    assert response.location == f"/quiz/attempt/{attempt_id}?q=6#question-6"
    page = client.get(response.location).text
    assert "Question 6: “Stalin dies” is picked more than once." in page
    assert "Your answer is saved as it is." in page
    # The question numbers still move on.
    moved = _answer(client, attempt_id, 6, twice, action="goto:7")
    assert moved.location == f"/quiz/attempt/{attempt_id}?q=7"
    assert _saved(attempt_id)["q-order"][:2] == ["Stalin dies", "Stalin dies"]
    # Back on the question (no JavaScript): the question itself says so, and the two
    # dropdowns holding it are marked invalid; the third is not.
    question = client.get(f"/quiz/attempt/{attempt_id}?q=6").text
    warning = re.search(
        r'<p class="field-error pick-warning"[^>]*>([^<]*)</p>', question
    )
    assert warning and warning.group(1) == (
        "“Stalin dies” is picked more than once. Each item belongs in one place only."
    )
    invalid = re.findall(r'<select aria-invalid="true"[^>]*id="(q6_\d)"', question)
    assert invalid == ["q6_0", "q6_1"], invalid
    # Once fixed, the mark is gone.
    _answer(client, attempt_id, 6, RIGHT_FORM[6], action="save")
    question = client.get(f"/quiz/attempt/{attempt_id}?q=6").text
    assert "aria-invalid" not in question and "picked more than once" not in question
    autosaved = client.post(
        f"/quiz/attempt/{attempt_id}/autosave", data={"page": "6", **twice}
    )
    assert autosaved.status_code == 200
    assert autosaved.json["problems"][0]["saved"] is True


@pytest.mark.sqlite_only  # BEGIN IMMEDIATE is SQLite's; PostgreSQL locks rows instead
@pytest.mark.parametrize("page", ["?q=1", "/results"])
def test_a_get_that_closes_an_overdue_attempt_takes_the_write_lock_first(
    client, auth, quiz_bank, monkeypatch, page
):
    """A deferred transaction that reads and then writes fails at once with
    "database is locked" when another request wrote in between."""
    quiz_bank(time_limit_minutes=5)
    auth.login()
    attempt_id = _start(client)
    later = datetime.now(UTC) + timedelta(hours=1)
    monkeypatch.setattr("quiz_app.quiz.views.utcnow", lambda: later)
    statements: list[str] = []

    def record(conn, cursor, statement, *args):
        statements.append(statement.split()[0].upper() + " " + statement[6:16])

    sa.event.listen(db.engine, "before_cursor_execute", record)
    try:
        client.get(f"/quiz/attempt/{attempt_id}{page}")
    finally:
        sa.event.remove(db.engine, "before_cursor_execute", record)
    first_write = next(i for i, s in enumerate(statements) if s.startswith("UPDATE"))
    begins = [s for s in statements[:first_write] if s.startswith("BEGIN")]
    assert begins and "IMMEDIATE" in begins[-1]
