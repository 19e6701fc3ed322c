"""The teacher's first hour: the checklist, the projector's nameless summary, a
student's page."""

from __future__ import annotations

import pytest

from quiz_app.classes import firsthour
from quiz_app.classes import services as class_services
from quiz_app.extensions import db
from tests.factories import make_schema_question
from tests.teacher.helpers import make_class, take_quiz


def test_the_checklist_ticks_each_step_as_it_is_done(make_user, make_bank, now):
    make_bank("bank-a", questions=(make_schema_question("qa"),))
    teacher = make_user("lee", role="teacher")
    assert firsthour.get_checklist(teacher) == firsthour.Checklist(False, False, False)
    school_class = make_class(teacher, now=now)
    assert firsthour.get_checklist(teacher).has_class
    assert not firsthour.get_checklist(teacher).has_student
    class_services.join_class_by_code(make_user("kim"), school_class.join_code, now=now)
    assert firsthour.get_checklist(teacher).has_student
    class_services.add_assignment(school_class, quiz_id="bank-a-all", now=now)
    checklist = firsthour.get_checklist(teacher)
    assert checklist.has_assignment and checklist.is_done
    # Another teacher's steps are their own.
    assert not firsthour.get_checklist(make_user("park", role="teacher")).has_class


@pytest.mark.parametrize(
    ("percents", "counts"),
    [([], [0, 0, 0, 0]), ([0, 49.9, 50, 69, 70, 89.9, 90, 100], [2, 2, 2, 2])],
)
def test_score_bands(percents, counts):
    assert [n for _, n in firsthour.score_bands(percents)] == counts


def test_the_projector_summary_counts_best_scores_without_names(
    make_user, make_bank, now
):
    make_bank(
        "bank-a", questions=(make_schema_question("qa"), make_schema_question("qb"))
    )
    teacher = make_user("lee", role="teacher")
    kim, jun, outsider = make_user("kim"), make_user("jun"), make_user("out")
    school_class = make_class(teacher, kim, jun, now=now)
    class_services.add_assignment(school_class, quiz_id="bank-a-all", now=now)
    take_quiz(kim, "bank-a-all", {"qa": "Right", "qb": "Wrong 1"}, now=now)
    take_quiz(kim, "bank-a-all", {"qa": "Right", "qb": "Right"}, now=now, seed=2)
    take_quiz(outsider, "bank-a-all", {"qa": "Right", "qb": "Right"}, now=now)
    db.session.commit()
    [summary] = firsthour.summarise_quizzes(school_class)
    assert (summary.students, summary.finished) == (2, 1)
    assert summary.mean_best == pytest.approx(100.0)  # kim's best, not the outsider's
    assert dict(summary.bands)["90–100%"] == 1
    assert "kim" not in repr(summary)


def test_a_students_page_lists_attempts_cards_and_reports(make_user, make_bank, now):
    make_bank("bank-a", questions=(make_schema_question("qa"),))
    kim = make_user("kim")
    take_quiz(kim, "bank-a-all", {"qa": "Wrong 1"}, now=now)
    db.session.commit()
    page = firsthour.get_student_page(kim, now=now, reports=[])
    assert len(page.attempts.items) == 1 and page.attempts.items[0].percent == 0
    assert page.open_attempts == []
    assert set(page.cards_by_phase) == {"new", "learning", "review", "relearning"}
