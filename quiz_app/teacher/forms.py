"""Web layer: the teacher's forms (classes, assignments, bank uploads)."""

from __future__ import annotations

from flask_wtf.file import FileAllowed, FileField, FileRequired
from wtforms import SelectField, StringField, SubmitField
from wtforms.fields import DateTimeLocalField
from wtforms.validators import InputRequired, Length, Optional, ValidationError

from quiz_app.forms import BaseForm

#: What the upload accepts: YAML banks, and every format `banks convert` reads.
UPLOAD_EXTENSIONS = (
    "yaml",
    "yml",
    "gift",
    "txt",
    "xml",
    "csv",
    "tsv",
    "apkg",
    "colpkg",
)

#: The format of <input type="datetime-local"> values.
LOCAL_FORMAT = "%Y-%m-%dT%H:%M"


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


class UploadBankForm(BaseForm):
    file = FileField(
        "Bank file",
        validators=[
            FileRequired("Choose a file."),
            FileAllowed(
                list(UPLOAD_EXTENSIONS),
                "Choose a YAML bank, a Moodle GIFT (.gift, .txt) or XML file, a CSV or "
                "TSV, or an Anki package (.apkg, .colpkg).",
            ),
        ],
        description="A YAML bank, or a file from Moodle (GIFT or XML), Quizlet or a "
        "spreadsheet (CSV, TSV) or Anki (.apkg, .colpkg), converted to a bank first. "
        "Checked line by line; nothing is imported unless it is valid.",
    )
    submit = SubmitField("Check and import")
