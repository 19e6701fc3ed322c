"""Account forms: sign up, log in, first-run setup, create a teacher."""

from __future__ import annotations

from typing import Any

from wtforms import PasswordField, StringField, SubmitField
from wtforms.validators import (
    EqualTo,
    InputRequired,
    Length,
    Optional,
    ValidationError,
)

from quiz_app.accounts import policy, services
from quiz_app.classes import services as class_services
from quiz_app.forms import BaseForm


class _NewAccountForm(BaseForm):
    username = StringField(
        "Username",
        validators=[InputRequired(), Length(max=40)],
        description="3–40 letters, digits, dots, dashes or underscores.",
        render_kw={
            "autocomplete": "username",
            "autocapitalize": "none",
            "spellcheck": "false",
        },
    )
    display_name = StringField(
        "Name shown to your teacher (optional)",
        validators=[Length(max=80)],
        render_kw={"autocomplete": "name"},
    )
    password = PasswordField(
        "Password",
        validators=[InputRequired()],
        description=f"At least {policy.MIN_PASSWORD_LENGTH} characters.",
        render_kw={"autocomplete": "new-password"},
    )
    confirm = PasswordField(
        "Repeat the password",
        validators=[
            InputRequired(),
            EqualTo("password", "The passwords do not match."),
        ],
        render_kw={"autocomplete": "new-password"},
    )

    def validate_username(self, field: StringField) -> None:
        problem = policy.username_problem(field.data or "")
        if problem:
            raise ValidationError(problem)
        if services.is_username_taken(field.data):
            raise ValidationError("That username is already taken.")

    def validate_password(self, field: PasswordField) -> None:
        problem = policy.password_problem(
            field.data or "", username=self.username.data or ""
        )
        if problem:
            raise ValidationError(problem)


class SignUpForm(_NewAccountForm):
    join_code = StringField(
        "Class code (optional)",
        validators=[Optional(), Length(max=20)],
        description="If your teacher gave you a code, type it to join their class.",
        render_kw={"autocomplete": "off", "spellcheck": "false"},
    )
    submit = SubmitField("Create account")

    def validate_join_code(self, field: StringField) -> None:
        if field.data and class_services.get_class_by_code(field.data) is None:
            raise ValidationError("No class has that code. Check it with your teacher.")


class _TeacherAccountForm(_NewAccountForm):
    """A teacher's account: their name is shown to their students."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.display_name.label.text = "Name shown to students (optional)"


class SetUpForm(_TeacherAccountForm):
    submit = SubmitField("Create the teacher account")


class CreateTeacherForm(_TeacherAccountForm):
    submit = SubmitField("Create teacher")


class LogInForm(BaseForm):
    username = StringField(
        "Username",
        validators=[InputRequired(), Length(max=40)],
        render_kw={
            "autocomplete": "username",
            "autocapitalize": "none",
            "spellcheck": "false",
        },
    )
    password = PasswordField(
        "Password",
        validators=[InputRequired(), Length(max=policy.MAX_PASSWORD_LENGTH)],
        render_kw={"autocomplete": "current-password"},
    )
    submit = SubmitField("Log in")
