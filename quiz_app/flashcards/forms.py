"""Web layer: flashcard forms (answer a card, undo, study settings)."""

from __future__ import annotations

from zoneinfo import available_timezones

from wtforms import (
    HiddenField,
    IntegerField,
    SelectField,
    SubmitField,
)
from wtforms.validators import (
    AnyOf,
    InputRequired,
    Length,
    NumberRange,
    Optional,
    Regexp,
)
from wtforms.widgets import HiddenInput

from quiz_app.flashcards.scheduler import (
    MAX_DESIRED_RETENTION,
    MIN_DESIRED_RETENTION,
    Rating,
)
from quiz_app.forms import BaseForm

MAX_NEW_CARDS_PER_DAY = 200


class RateCardForm(BaseForm):
    """Answer a shown card: buttons carry the rating, hidden fields what was shown."""

    rating = IntegerField(
        "Rating",
        validators=[InputRequired(), AnyOf([int(r) for r in Rating])],
        widget=HiddenInput(),
    )
    #: the signed (student, card, review count) the page showed; another count means
    #: the card changed since, a bad signature a showing that never happened
    seen = HiddenField(validators=[InputRequired(), Length(max=200)])
    #: when the card's front was shown, in epoch milliseconds
    shown = HiddenField(validators=[Optional(), Regexp(r"^\d{1,15}$")])


class UndoReviewForm(BaseForm):
    """Take back the last review: only the CSRF token."""


#: tz database entries that are not places: the server's own zone and placeholders
_NOT_TIME_ZONES = {"localtime", "Factory", "posixrules"}


def _timezone_choices() -> list[tuple[str, str]]:
    names = sorted(available_timezones() - _NOT_TIME_ZONES)
    return [(name, name.replace("_", " ")) for name in names]


class EditStudySettingsForm(BaseForm):
    """The student's desired retention, daily new cards and time zone."""

    #: a whole percentage (90), as every other page shows retention; stored as 0.90
    desired_retention = IntegerField(
        "Desired retention (%)",
        validators=[
            InputRequired(),
            NumberRange(
                min=round(100 * MIN_DESIRED_RETENTION),
                max=round(100 * MAX_DESIRED_RETENTION),
                message=f"Choose a percentage from {100 * MIN_DESIRED_RETENTION:.0f}"
                f" to {100 * MAX_DESIRED_RETENTION:.0f}.",
            ),
        ],
        description=(
            "The chance you still remember a card when it comes due, from"
            f" {100 * MIN_DESIRED_RETENTION:.0f}%"
            f" to {100 * MAX_DESIRED_RETENTION:.0f}%."
            " Higher means you forget less but see more reviews; 90% suits most."
        ),
        render_kw={
            "min": f"{100 * MIN_DESIRED_RETENTION:.0f}",
            "max": f"{100 * MAX_DESIRED_RETENTION:.0f}",
            "inputmode": "numeric",
        },
    )
    new_cards_per_day = IntegerField(
        "New cards per day",
        validators=[
            InputRequired(),
            NumberRange(
                min=0,
                max=MAX_NEW_CARDS_PER_DAY,
                message=f"Choose a number from 0 to {MAX_NEW_CARDS_PER_DAY}.",
            ),
        ],
        description="Cards you have never seen, introduced each day. 0 pauses them.",
        render_kw={
            "min": "0",
            "max": str(MAX_NEW_CARDS_PER_DAY),
            "inputmode": "numeric",
        },
    )
    timezone = SelectField(
        "Time zone",
        choices=_timezone_choices,
        validate_choice=True,
        description="Your day, and so your daily new cards, starts at midnight here.",
    )
    submit = SubmitField("Save settings")
