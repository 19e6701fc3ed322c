"""Web layer: quiz forms. Answer forms are built per page from the question types.

Each question type describes its fields and reads their values back into its response
shape (``QuizForm`` in ``questions.types``, one module per type in
``questions/kinds``); this module only turns those descriptions into WTForms fields, by
widget kind. Choice fields only accept the options shown. The dynamic form follows
Indico's make_survey_form.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable, Sequence
from typing import Any

from wtforms import (
    Field,
    HiddenField,
    RadioField,
    SelectChoice,
    SelectField,
    SelectMultipleField,
    StringField,
)
from wtforms.validators import Length, Optional, Regexp
from wtforms.widgets import CheckboxInput, ListWidget

from quiz_app.forms import BaseForm
from quiz_app.questions.grading import quiz_form
from quiz_app.questions.types import FormField, Widget
from quiz_app.quiz.records import PresentedQuestion

BLANK_CHOICE = SelectChoice("", "— choose —")
# "finish" is what "Submit quiz" sent before the review page: it now leads there too.
ACTION_PATTERN = re.compile(r"^(prev|next|save|review|finish|timeup|goto:\d{1,4})$")


class StartQuizForm(BaseForm):
    """Start (or resume) an attempt: only the CSRF token."""


class SubmitQuizForm(BaseForm):
    """Grade and close an attempt: the CSRF token, and "timeup" when the countdown
    pressed the button by itself.
    """

    #: "timeup" from the countdown; anything else is the student's own submit
    action = StringField(validators=[Optional(), Length(max=20)])


class MultiCheckboxField(SelectMultipleField):
    """Checkboxes for a multi-choice question."""

    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


class AnswerQuestionsForm(BaseForm):
    """The answers on one page of an attempt, plus which button was pressed.

    Subclasses made by :func:`make_answer_form` add one field (or one per slot) per
    question.
    """

    #: the page shown ("all" or the 1-based question number); the answers belong to it
    page = HiddenField(validators=[Regexp(r"^(all|\d{1,4})$")])
    #: prev / next / save / review / timeup / goto:<number>, from the button pressed
    action = StringField(validators=[Optional(), Regexp(ACTION_PATTERN)])

    #: question id -> names of its fields, in slot order
    field_names: dict[str, list[str]] = {}

    def fields_for(self, item: PresentedQuestion) -> list[Field]:
        """The bound fields of one question, for its template partial."""
        return [self[name] for name in self.field_names[item.question.id]]

    def responses(self, questions: Sequence[PresentedQuestion]) -> dict[str, Any]:
        """Question id -> the grading response shape built from the validated data."""
        return {
            item.question.id: quiz_form(item.question.type).read(
                item.question.data,
                item.options,
                [f.data for f in self.fields_for(item)],
            )
            for item in questions
        }


def make_answer_form(
    questions: Sequence[PresentedQuestion],
) -> type[AnswerQuestionsForm]:
    """A form class with fields for these questions, named by their place."""
    return _answer_form_class(
        tuple(
            (
                item.question.id,
                item.question.type,
                item.number,
                tuple((key, tuple(values)) for key, values in item.options.items()),
            )
            for item in questions
        )
    )


@functools.lru_cache(maxsize=1024)
def _answer_form_class(
    layout: tuple[tuple[str, str, int, tuple[tuple[str, tuple[str, ...]], ...]], ...],
) -> type[AnswerQuestionsForm]:
    """The form class for a page layout: (question id, type, number, options shown) per
    question, which is everything its fields are built from.

    Cached per process because building a class (and WTForms' first look at it) costs
    more than the rest of an answer POST's form handling. The key is bank content in
    the order shown, never a student's answers; a bank edit changes the options and so
    the key.
    """
    attrs: dict[str, Any] = {"field_names": {}}
    for question_id, type_key, number, options in layout:
        specs = quiz_form(type_key).fields(dict(options))
        fields = [_WIDGETS[spec.widget](spec) for spec in specs]
        names = [
            f"q{number}" if len(fields) == 1 else f"q{number}_{i}"
            for i in range(len(fields))
        ]
        attrs.update(zip(names, fields, strict=True))
        attrs["field_names"][question_id] = names
    return type("AnswerQuestionsPageForm", (AnswerQuestionsForm,), attrs)


def initial_data(
    form_class: type[AnswerQuestionsForm], questions: Sequence[PresentedQuestion]
) -> dict[str, Any]:
    """Field values showing the saved answers, so a reload shows them again."""
    data: dict[str, Any] = {}
    for item in questions:
        names = form_class.field_names[item.question.id]
        values = quiz_form(item.question.type).initial(item.options, item.response)
        data.update(zip(names, values, strict=True))
    return data


# --------------------------------------------------------------------------------------
# A type's field descriptions (questions.types.FormField) as WTForms fields


def _choices(spec: FormField) -> list[SelectChoice]:
    return [SelectChoice(value, label) for value, label in spec.choices]


def _radio(spec: FormField) -> Field:
    return RadioField(spec.label, choices=_choices(spec), validators=[Optional()])


def _checkboxes(spec: FormField) -> Field:
    return MultiCheckboxField(
        spec.label, choices=_choices(spec), validators=[Optional()]
    )


def _select(spec: FormField) -> Field:
    return SelectField(
        spec.label, choices=[BLANK_CHOICE, *_choices(spec)], validators=[Optional()]
    )


def _text(spec: FormField) -> Field:
    length = [Length(max=spec.max_length)] if spec.max_length is not None else []
    return StringField(spec.label, validators=[Optional(), *length])


#: One builder per widget kind, not per question type: a new type reuses them.
_WIDGETS: dict[Widget, Callable[[FormField], Field]] = {
    Widget.RADIO: _radio,
    Widget.CHECKBOXES: _checkboxes,
    Widget.SELECT: _select,
    Widget.TEXT: _text,
}
