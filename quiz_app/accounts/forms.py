"""Account forms: sign up, log in, first-run setup, create a teacher."""

from __future__ import annotations

from wtforms import PasswordField, StringField, SubmitField
from wtforms.validators import EqualTo, InputRequired, Length, ValidationError

from quiz_app.accounts import policy, services
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
    submit = SubmitField("Create account")


class SetUpForm(_NewAccountForm):
    submit = SubmitField("Create the teacher account")


class CreateTeacherForm(_NewAccountForm):
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
