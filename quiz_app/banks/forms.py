"""Web layer: the teacher's bank upload form."""

from __future__ import annotations

from flask_wtf.file import FileAllowed, FileField, FileRequired
from wtforms import SubmitField

from quiz_app.forms import BaseForm


class UploadBankForm(BaseForm):
    file = FileField(
        "Bank file (YAML)",
        validators=[
            FileRequired("Choose a .yaml file."),
            FileAllowed(["yaml", "yml"], "Only .yaml or .yml files."),
        ],
        description="Checked line by line; nothing is imported unless it is valid.",
    )
    submit = SubmitField("Check and import")
