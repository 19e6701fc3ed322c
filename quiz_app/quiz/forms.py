"""Web layer: quiz forms. Answer forms are built per page from the question types.

This module is the one place where submitted form data becomes the response shapes of
``questions.types`` (see its docstring); choice fields only accept the options shown.
The dynamic form follows Indico's make_survey_form.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable, Mapping, Sequence
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
from quiz_app.quiz.records import PresentedQuestion

#: The option lists of a question as shown (see ``selection.presented_options``).
Options = Mapping[str, Sequence[str]]

#: Longest text answer accepted; a short answer is a few words.
MAX_TEXT_LENGTH = 500
MAX_NUMBER_LENGTH = 60
BLANK_CHOICE = SelectChoice("", "— choose —")
# "finish" is what "Submit quiz" sent before the review page: it now leads there too.
ACTION_PATTERN = re.compile(r"^(prev|next|save|review|finish|timeup|goto:\d{1,4})$")
TRUE_FALSE_VALUES = {"true": True, "false": False}


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
            item.question.id: _RESPONSE_BUILDERS[item.question.type](
                item, self.fields_for(item)
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
        fields = _FIELD_BUILDERS[type_key](dict(options))
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
        data.update(zip(names, _INITIAL[item.question.type](item), strict=True))
    return data


# --------------------------------------------------------------------------------------
# Fields per question type, built from the options as shown


def _pairs(options: Sequence[str]) -> list[SelectChoice]:
    return [SelectChoice(text, text) for text in options]


def _single_fields(options: Options) -> list[Field]:
    return [
        RadioField(
            "Answer", choices=_pairs(options["choices"]), validators=[Optional()]
        )
    ]


def _multi_fields(options: Options) -> list[Field]:
    return [
        MultiCheckboxField(
            "Answer", choices=_pairs(options["choices"]), validators=[Optional()]
        )
    ]


def _true_false_fields(options: Options) -> list[Field]:
    return [
        RadioField(
            "Answer",
            choices=[SelectChoice("true", "True"), SelectChoice("false", "False")],
            validators=[Optional()],
        )
    ]


def _short_text_fields(options: Options) -> list[Field]:
    return [
        StringField("Your answer", validators=[Optional(), Length(max=MAX_TEXT_LENGTH)])
    ]


def _numeric_fields(options: Options) -> list[Field]:
    return [
        StringField(
            "Your answer", validators=[Optional(), Length(max=MAX_NUMBER_LENGTH)]
        )
    ]


def _ordering_fields(options: Options) -> list[Field]:
    items = options["items"]
    return [
        SelectField(
            f"Position {i}",
            choices=[BLANK_CHOICE, *_pairs(items)],
            validators=[Optional()],
        )
        for i in range(1, len(items) + 1)
    ]


def _matching_fields(options: Options) -> list[Field]:
    rights = options["rights"]
    return [
        SelectField(
            left, choices=[BLANK_CHOICE, *_pairs(rights)], validators=[Optional()]
        )
        for left in options["lefts"]
    ]


_FIELD_BUILDERS: dict[str, Callable[[Options], list[Field]]] = {
    "single_choice": _single_fields,
    "multi_choice": _multi_fields,
    "true_false": _true_false_fields,
    "short_text": _short_text_fields,
    "numeric": _numeric_fields,
    "ordering": _ordering_fields,
    "matching": _matching_fields,
}

# --------------------------------------------------------------------------------------
# Form data -> response shape (see questions.types)


def _text_or_none(value: Any) -> str | None:
    return value if isinstance(value, str) and value else None


_RESPONSE_BUILDERS: dict[str, Callable[[PresentedQuestion, list[Field]], Any]] = {
    "single_choice": lambda item, f: _text_or_none(f[0].data),
    # In the bank's order, not the shuffled one: the same ticks are the same answer.
    "multi_choice": lambda item, f: [
        c for c in item.question.data["choices"] if c in (f[0].data or ())
    ],
    "true_false": lambda item, f: TRUE_FALSE_VALUES.get(f[0].data or ""),
    "short_text": lambda item, f: (f[0].data or "").strip(),
    "numeric": lambda item, f: (f[0].data or "").strip(),
    "ordering": lambda item, f: [_text_or_none(slot.data) for slot in f],
    "matching": lambda item, f: {
        left: _text_or_none(slot.data)
        for left, slot in zip(item.options["lefts"], f, strict=True)
    },
}

# --------------------------------------------------------------------------------------
# Saved response -> field values


def _slots(item: PresentedQuestion, count: int) -> list[str]:
    response = item.response if isinstance(item.response, list) else []
    values = [v if isinstance(v, str) else "" for v in response[:count]]
    return values + [""] * (count - len(values))


def _matching_initial(item: PresentedQuestion) -> list[Any]:
    response = item.response if isinstance(item.response, dict) else {}
    return [response.get(left) or "" for left in item.options["lefts"]]


def _true_false_initial(item: PresentedQuestion) -> list[Any]:
    response = item.response
    return [
        None if not isinstance(response, bool) else ("true" if response else "false")
    ]


_INITIAL: dict[str, Callable[[PresentedQuestion], list[Any]]] = {
    "single_choice": lambda item: [item.response],
    "multi_choice": lambda item: [list(item.response or [])],
    "true_false": _true_false_initial,
    "short_text": lambda item: [item.response or ""],
    "numeric": lambda item: [item.response or ""],
    "ordering": lambda item: _slots(item, len(item.options["items"])),
    "matching": _matching_initial,
}
