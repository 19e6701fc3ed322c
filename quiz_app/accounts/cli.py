"""`quiz-app create-teacher` and `quiz-app reset-password`: accounts from the shell."""

from __future__ import annotations

from random import SystemRandom

import click
from flask import current_app
from flask.cli import with_appcontext

from quiz_app import publicurl
from quiz_app.accounts import policy, services
from quiz_app.accounts.models import Role
from quiz_app.audit import audit
from quiz_app.clock import utcnow
from quiz_app.extensions import db, write_transaction
from quiz_app.network import lan_address


@click.command("create-teacher")
@click.argument("username")
@click.password_option(help="The new teacher's password (prompted when omitted).")
@with_appcontext
def create_teacher_command(username: str, password: str) -> None:
    """Create a teacher account (the first one is the administrator and completes the
    first-run setup).
    """
    problem = policy.username_problem(username) or policy.password_problem(
        password, username=username
    )
    if problem:
        raise click.ClickException(problem)
    with write_transaction():
        first = services.count_teachers() == 0
        try:
            services.create_user(
                username,
                password,
                role=Role.TEACHER,
                now=utcnow(),
                is_admin=first,
                timezone=current_app.config["DEFAULT_TIMEZONE"],
            )
        except services.UsernameTaken as error:
            raise click.ClickException(str(error)) from error
        if first:
            services.clear_setup_tokens()
        db.session.commit()
    audit("teacher.create", source="command", username=username, is_admin=first)
    click.echo(
        f"Created teacher {username!r}" + (" (administrator)." if first else ".")
    )


def console_base_url(port: int = 5000) -> str:
    """The address to print on the console: PUBLIC_URL, else this machine's LAN
    address (or 127.0.0.1) on the given port.
    """
    configured = current_app.config.get("PUBLIC_URL")
    if configured:
        return publicurl.base_url(
            configured=configured, request_root="", bind_host=None, lan_address=None
        )
    return f"http://{lan_address() or '127.0.0.1'}:{port}"


@click.command("reset-password")
@click.argument("username")
@click.option(
    "--port",
    default=5000,
    show_default=True,
    help="The port the server listens on, for the printed link "
    "(ignored when QUIZ_PUBLIC_URL is set).",
)
@with_appcontext
def reset_password_command(username: str, port: int) -> None:
    """Print a one-time link and code (valid 24 hours) with which USERNAME sets a new
    password.
    """
    with write_transaction():
        user = services.get_user_by_username(username)
        if user is None:
            raise click.ClickException(f"No account is called {username!r}.")
        code = services.issue_password_reset(
            user, issued_by=None, now=utcnow(), rng=SystemRandom()
        )
        db.session.commit()
    audit("password.reset_issued", source="command", for_user_id=user.id)
    base = console_base_url(port)
    click.echo(f"Reset link for {user.username} (works once, for 24 hours):")
    click.echo(f"    {base}/account/reset/{code}")
    click.echo(f"or the code {code} at {base}/account/reset")
