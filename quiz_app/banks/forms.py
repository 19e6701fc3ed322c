"""Web layer: the teacher's bank upload form."""

from __future__ import annotations

from flask_wtf.file import FileAllowed, FileField, FileRequired
from wtforms import SubmitField

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
