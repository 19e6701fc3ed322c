"""Answer forms: classes built from the options shown, shared by identical pages."""

from __future__ import annotations

from dataclasses import replace

from quiz_app.quiz.forms import make_answer_form
from quiz_app.quiz.models import AttemptAnswer
from quiz_app.quiz.records import PresentedQuestion, QuestionContent


def _item(choices=("A", "B", "C"), *, answer=None, number=1):
    question = QuestionContent(
        id="q-1", version=1, type="single_choice", data={"choices": list(choices)}
    )
    return PresentedQuestion(
        position=number - 1,
        question=question,
        options={"choices": list(choices)},
        answer=answer,
    )


def test_the_same_page_layout_shares_one_form_class():
    saved = AttemptAnswer(question_id="q-1", question_version=1, response="A")
    assert make_answer_form([_item()]) is make_answer_form([_item(answer=saved)])


def test_form_classes_hold_no_answers():
    form_class = make_answer_form([_item(answer=AttemptAnswer(response="B"))])
    assert not hasattr(form_class, "questions")
    assert form_class.field_names == {"q-1": ["q1"]}


def test_other_options_or_places_make_other_classes():
    base = make_answer_form([_item()])
    assert make_answer_form([_item(("A", "B", "D"))]) is not base
    assert make_answer_form([_item(("C", "B", "A"))]) is not base
    assert make_answer_form([_item(number=2)]) is not base
    retyped = replace(_item(), question=replace(_item().question, type="multi_choice"))
    assert make_answer_form([retyped]) is not base
