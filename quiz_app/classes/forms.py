"""Web layer: the student's form for joining a class and the teacher's class forms."""

from __future__ import annotations

from wtforms import SelectField, StringField, SubmitField
from wtforms.fields import DateTimeLocalField
from wtforms.validators import InputRequired, Length, Optional, ValidationError

from quiz_app.classes import services
from quiz_app.forms import BaseForm

#: The format of <input type="datetime-local"> values.
LOCAL_FORMAT = "%Y-%m-%dT%H:%M"


class JoinClassForm(BaseForm):
    code = StringField(
        "Class code",
        validators=[InputRequired(), Length(max=20)],
        description="The 8-character code your teacher gave you, e.g. KX7P-M2QD.",
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
    submit = SubmitField("Assign")

    def validate_closes_at(self, field: DateTimeLocalField) -> None:
        if field.data and self.opens_at.data and field.data <= self.opens_at.data:
            raise ValidationError("The closing time must come after the opening time.")
