"""Web layer: the student's form for joining a class and the teacher's class forms."""

from __future__ import annotations

from wtforms import (
    HiddenField,
    IntegerField,
    SelectChoice,
    SelectField,
    SelectMultipleField,
    StringField,
    SubmitField,
    TextAreaField,
)
from wtforms.fields import DateTimeLocalField
from wtforms.validators import (
    InputRequired,
    Length,
    NumberRange,
    Optional,
    ValidationError,
)

from quiz_app import joincode
from quiz_app.classes import services
from quiz_app.forms import BaseForm

#: What students see after an attempt; "" keeps the quiz's own option.
REVIEW_CHOICES = [
    SelectChoice("", "As the quiz says"),
    SelectChoice("immediately", "Everything at once"),
    SelectChoice("after_close", "The score; answers after the close date"),
    SelectChoice("score_only", "The score only"),
]

#: The format of <input type="datetime-local"> values.
LOCAL_FORMAT = "%Y-%m-%dT%H:%M"

#: The format of <input type="datetime-local"> values.
LOCAL_FORMAT = "%Y-%m-%dT%H:%M"
#: shown in the hint; looks like a real code (8 letters and digits, no dash)
EXAMPLE_CODE = "KX7PM2QD"


class JoinClassForm(BaseForm):
    code = StringField(
        "Class code",
        validators=[InputRequired(), Length(max=20)],
        description=(
            f"The {joincode.CODE_LENGTH}-character code your teacher gave you,"
            f" for example {EXAMPLE_CODE}."
        ),
        render_kw={
            "autocomplete": "off",
            "autocapitalize": "characters",
            "spellcheck": "false",
        },
    )
    submit = SubmitField("Join the class")

    def validate_code(self, field: StringField) -> None:
        if services.get_class_by_code(field.data or "") is None:
            raise ValidationError("No class has that code. Check it with your teacher.")


class CreateClassForm(BaseForm):
    name = StringField(
        "Class name",
        validators=[InputRequired(), Length(max=100)],
        description="For example: 10B History, spring term.",
    )
    submit = SubmitField("Create class")


class AssignWorkForm(BaseForm):
    """Assign a quiz or a bank; the view fills ``target.choices`` ("quiz:<id>", ...)."""

    target = SelectField("Quiz or bank", validators=[InputRequired()])
    opens_at = DateTimeLocalField(
        "Opens (optional)", format=LOCAL_FORMAT, validators=[Optional()]
    )
    closes_at = DateTimeLocalField(
        "Closes (optional)", format=LOCAL_FORMAT, validators=[Optional()]
    )
    time_limit_minutes = IntegerField(
        "Time limit in minutes (optional)",
        validators=[Optional(), NumberRange(min=1, max=24 * 60)],
        description="Empty: the quiz's own limit.",
    )
    max_attempts = IntegerField(
        "Attempts allowed (optional)",
        validators=[Optional(), NumberRange(min=1, max=100)],
        description="Empty: the quiz's own number.",
    )
    pass_mark = IntegerField(
        "Pass mark in percent (optional)",
        validators=[Optional(), NumberRange(min=0, max=100)],
        description="Empty: the quiz's own pass mark.",
    )
    review = SelectField(
        "After submitting, students see",
        choices=REVIEW_CHOICES,
        validators=[Optional()],
        description="Without a close date, 'answers after the close date' means "
        "the score only.",
    )
    submit = SubmitField("Assign")

    def validate_closes_at(self, field: DateTimeLocalField) -> None:
        if field.data and self.opens_at.data and field.data <= self.opens_at.data:
            raise ValidationError("The closing time must come after the opening time.")


class OverrideMarkForm(BaseForm):
    """A teacher's new mark for one answer (empty = back to the graded mark)."""

    question_id = HiddenField(validators=[InputRequired(), Length(max=80)])
    mark = StringField("New mark", validators=[Optional(), Length(max=10)])
    reason = TextAreaField(
        "Reason (the student reads it)", validators=[Optional(), Length(max=500)]
    )

    def validate_mark(self, field: StringField) -> None:
        if field.data and self._parse(field.data) is None:
            raise ValidationError("Type a mark from 0 to 1, for example 0.5.")

    @staticmethod
    def _parse(text: str) -> float | None:
        try:
            value = float(text.strip().replace(",", "."))
        except ValueError:
            return None
        return value if 0 <= value <= 1 else None

    def mark_value(self) -> float | None:
        """The mark as a number, or None to remove the teacher's mark."""
        return self._parse(self.mark.data) if self.mark.data else None


class ClassBanksForm(BaseForm):
    """The banks a class shows its students: one checkbox per bank (the view fills
    ``shown.choices``); an unticked box leaves the bank out.
    """

    shown = SelectMultipleField("Banks this class's students see", choices=[])
    submit = SubmitField("Save")
