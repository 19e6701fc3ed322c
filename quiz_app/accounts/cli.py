"""`quiz-app create-teacher`: make a teacher account from the shell."""

from __future__ import annotations

import click
from flask import current_app
from flask.cli import with_appcontext

from quiz_app.accounts import policy, services
from quiz_app.accounts.models import Role
from quiz_app.clock import utcnow
from quiz_app.extensions import db, write_transaction


@click.command("create-teacher")
@click.argument("username")
@click.password_option(help="The new teacher's password (prompted when omitted).")
@with_appcontext
def create_teacher_command(username: str, password: str) -> None:
    """Create a teacher account (the first one also completes the first-run setup)."""
    problem = policy.username_problem(username) or policy.password_problem(
        password, username=username
    )
    if problem:
        raise click.ClickException(problem)
    with write_transaction():
        try:
            services.create_user(
                username,
                password,
                role=Role.TEACHER,
                now=utcnow(),
                timezone=current_app.config["DEFAULT_TIMEZONE"],
            )
        except services.UsernameTaken as error:
            raise click.ClickException(str(error)) from error
        db.session.commit()
    click.echo(f"Created teacher {username!r}.")
