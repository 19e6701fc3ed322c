"""Web layer: the teacher's bank upload form, and the forms of a bank's page (co-owners,
hide, archive)."""

from __future__ import annotations

from flask_wtf.file import FileAllowed, FileField, FileRequired
from wtforms import HiddenField, StringField, SubmitField
from wtforms.validators import AnyOf, DataRequired, Length

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
    "zip",
)


class UploadBankForm(BaseForm):
    file = FileField(
        "Bank file",
        validators=[
            FileRequired("Choose a file."),
            FileAllowed(
                list(UPLOAD_EXTENSIONS),
                "Choose a YAML bank (or a .zip of one with its images), a Moodle "
                "GIFT (.gift, .txt) or XML file, a CSV or TSV, or an Anki package "
                "(.apkg, .colpkg).",
            ),
        ],
        description="A YAML bank (a .zip of the bank file and its images for a bank "
        "with pictures), or a file from Moodle (GIFT or XML), Quizlet or a "
        "spreadsheet (CSV, TSV) or Anki (.apkg, .colpkg), converted to a bank first. "
        "Checked line by line; nothing is imported unless it is valid.",
    )
    submit = SubmitField("Check and import")


class AddCoOwnerForm(BaseForm):
    username = StringField(
        "Teacher's username",
        validators=[DataRequired("Type a teacher's username."), Length(max=40)],
        description="They can then upload new versions, hide, archive and share the "
        "bank, as you can.",
    )
    submit = SubmitField("Add co-owner")


#: What the state form of a bank's page may do.
BANK_ACTIONS = ("hide", "show", "archive", "unarchive")


class BankStateForm(BaseForm):
    """One button: hide, show, archive or unarchive a bank."""

    action = HiddenField(validators=[AnyOf(BANK_ACTIONS)])
