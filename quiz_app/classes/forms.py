"""Web layer: the student's form for joining a class."""

from __future__ import annotations

from wtforms import StringField, SubmitField
from wtforms.validators import InputRequired, Length, ValidationError

from quiz_app.classes import joincode, services
from quiz_app.forms import BaseForm

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
