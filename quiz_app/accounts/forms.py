"""Account forms: sign up, log in, first-run setup, teachers, passwords, the account
page.
"""

from __future__ import annotations

from typing import Any
from zoneinfo import available_timezones

from wtforms import (
    BooleanField,
    HiddenField,
    PasswordField,
    SelectField,
    StringField,
    SubmitField,
)
from wtforms.validators import (
    DataRequired,
    EqualTo,
    InputRequired,
    Length,
    Optional,
    ValidationError,
)

from quiz_app.accounts import policy, services
from quiz_app.classes import services as class_services
from quiz_app.forms import BaseForm

#: tz database entries that are not places: the server's own zone and placeholders
_NOT_TIME_ZONES = {"localtime", "Factory", "posixrules"}


def timezone_choices() -> list[tuple[str, str]]:
    """Every IANA time zone, as (value, label) pairs for a select."""
    names = sorted(available_timezones() - _NOT_TIME_ZONES)
    return [(name, name.replace("_", " ")) for name in names]


def _timezone_field(description: str) -> SelectField:
    # data-timezone-prefill: static/js/timezone.js picks the browser's zone when the
    # page is fresh; without JavaScript the select simply shows UTC.
    return SelectField(
        "Time zone",
        choices=timezone_choices,
        default="UTC",
        validate_choice=True,
        description=description,
        render_kw={"data-timezone-prefill": ""},
    )


def _new_password_fields(
    label: str = "Password",
) -> tuple[PasswordField, PasswordField]:
    return (
        PasswordField(
            label,
            validators=[InputRequired()],
            description=f"At least {policy.MIN_PASSWORD_LENGTH} characters; a few "
            "unrelated words make a good one. Very common passwords are refused.",
            render_kw={
                "autocomplete": "new-password",
                "minlength": str(policy.MIN_PASSWORD_LENGTH),
                "maxlength": str(policy.MAX_PASSWORD_LENGTH),
            },
        ),
        PasswordField(
            "Repeat the password",
            validators=[
                InputRequired(),
                EqualTo("password", "The passwords do not match."),
            ],
            render_kw={"autocomplete": "new-password"},
        ),
    )


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
        validators=[Length(max=policy.MAX_DISPLAY_NAME_LENGTH)],
        render_kw={"autocomplete": "name"},
    )
    password, confirm = _new_password_fields()

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
    timezone = _timezone_field("Your day, and so your daily flashcards, starts here.")
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
    #: the one-time token from the setup link that `quiz-app serve` printed
    token = HiddenField()
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


class _NewPasswordForm(BaseForm):
    """A form that sets a new password: the policy checks it against the account's
    username, which the view passes in (the form has no username field of its own).
    """

    def __init__(self, *args: Any, username: str = "", **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._username = username

    def validate_password(self, field: PasswordField) -> None:
        problem = policy.password_problem(field.data or "", username=self._username)
        if problem:
            raise ValidationError(problem)


class ChangePasswordForm(_NewPasswordForm):
    current = PasswordField(
        "Current password",
        validators=[InputRequired(), Length(max=policy.MAX_PASSWORD_LENGTH)],
        render_kw={"autocomplete": "current-password"},
    )
    password, confirm = _new_password_fields("New password")
    submit = SubmitField("Change password")


class ResetPasswordForm(_NewPasswordForm):
    """Set a new password with a reset code (typed, or carried by the link)."""

    code = StringField(
        "Reset code",
        validators=[InputRequired(), Length(max=40)],
        description="The code your teacher gave you, such as K7QM-2RTX-9HPW.",
        render_kw={
            "autocomplete": "one-time-code",
            "autocapitalize": "characters",
            "spellcheck": "false",
        },
    )
    password, confirm = _new_password_fields("New password")
    submit = SubmitField("Set the new password")


class EditAccountForm(BaseForm):
    display_name = StringField(
        "Name shown to your teacher",
        validators=[Length(max=policy.MAX_DISPLAY_NAME_LENGTH)],
        description="Leave empty to show your username.",
        render_kw={"autocomplete": "name"},
    )
    timezone = _timezone_field(
        "Dates are shown in this zone, and your flashcard day starts at midnight here."
    )
    submit = SubmitField("Save")


class DeleteAccountForm(BaseForm):
    password = PasswordField(
        "Your password",
        validators=[InputRequired(), Length(max=policy.MAX_PASSWORD_LENGTH)],
        render_kw={"autocomplete": "current-password"},
    )
    confirm = BooleanField(
        "I understand that this cannot be undone",
        validators=[DataRequired("Tick the box to confirm.")],
    )
    submit = SubmitField("Delete my account")
