"""The project's form base: every form is a Flask-WTF form with CSRF protection."""

from __future__ import annotations

from flask_wtf import FlaskForm


class BaseForm(FlaskForm):
    """Base of every form; CSRF comes from Flask-WTF."""


class EmptyForm(BaseForm):
    """A form with only the CSRF token, for button-only actions such as logging out."""
