"""Web layer: the student's "report a problem" form."""

from __future__ import annotations

from wtforms import BooleanField, HiddenField, SubmitField, TextAreaField
from wtforms.validators import InputRequired, Length, Regexp

from quiz_app.forms import BaseForm
from quiz_app.reports.models import MAX_COMMENT_LENGTH


class ReportProblemForm(BaseForm):
    question_id = HiddenField(validators=[InputRequired(), Length(max=80)])
    attempt_id = HiddenField(validators=[InputRequired(), Regexp(r"^\d{1,12}$")])
    comment = TextAreaField(
        "What seems wrong?",
        validators=[Length(max=MAX_COMMENT_LENGTH)],
        description=f"Optional, at most {MAX_COMMENT_LENGTH} characters.",
    )
    submit = SubmitField("Send report")


class ReplyReportForm(BaseForm):
    reply = TextAreaField("Reply", validators=[InputRequired(), Length(max=2000)])
    close = BooleanField("Close the report")
