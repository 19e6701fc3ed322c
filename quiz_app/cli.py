"""The `quiz-app` command: a FlaskGroup bound to create_app, plus serve, banks and
backup commands.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import Any

import click
from flask import Flask, current_app
from flask.cli import FlaskGroup, with_appcontext

from quiz_app import create_app
from quiz_app.clock import utcnow
from quiz_app.extensions import MIGRATIONS_DIR, db, write_transaction


def _set_data_dir(
    _ctx: click.Context, _param: click.Parameter, value: str | None
) -> None:
    if value:
        os.environ["QUIZ_DATA_DIR"] = str(Path(value).resolve())


@click.group(
    cls=FlaskGroup,
    create_app=create_app,
    add_version_option=False,
    load_dotenv=False,
    params=[
        click.Option(
            ["--data-dir"],
            metavar="DIR",
            expose_value=False,
            is_eager=True,
            callback=_set_data_dir,
            help="Folder for the database, secret key, uploads and backups "
            "(default: $QUIZ_DATA_DIR or the instance folder).",
        )
    ],
)
def main() -> None:
    """Armistice Study: quizzes and FSRS flashcards from YAML question banks."""


def upgrade_database() -> None:
    """Bring the schema up to date with the migrations shipped in the package, backing
    up a SQLite database first when a migration is about to change it."""
    from flask_migrate import upgrade

    if _pending_migrations() and _has_schema():
        target = backup_sqlite(prefix="pre-upgrade")
        if target is not None:
            click.echo(f"Backed up to {target} before upgrading the database")
    upgrade(directory=MIGRATIONS_DIR)


def _pending_migrations() -> bool:
    from alembic.migration import MigrationContext
    from alembic.script import ScriptDirectory

    script = ScriptDirectory(
        MIGRATIONS_DIR, version_locations=[os.path.join(MIGRATIONS_DIR, "versions")]
    )
    with db.engine.connect() as conn:
        current = set(MigrationContext.configure(conn).get_current_heads())
    return current != set(script.get_heads())


def _has_schema() -> bool:
    """Whether the database already holds tables (a fresh one needs no backup)."""
    import sqlalchemy as sa

    with db.engine.connect() as conn:
        return bool(sa.inspect(conn).get_table_names())


def backup_sqlite(*, prefix: str = "quiz") -> Path | None:
    """Copy the SQLite database into <data folder>/backups/ with SQLite's online
    backup; return the copy's path, or None when the database is not a SQLite file."""
    import sqlite3

    engine = db.engine
    if engine.dialect.name != "sqlite" or not engine.url.database:
        return None
    target_dir = Path(current_app.instance_path) / "backups"
    target_dir.mkdir(exist_ok=True)
    target = target_dir / f"{prefix}-{utcnow():%Y%m%d-%H%M%S}.sqlite"
    source = sqlite3.connect(engine.url.database)
    try:
        with sqlite3.connect(target) as dest:
            source.backup(dest)
    finally:
        source.close()
    return target


def import_configured_banks(*, force: bool = False) -> tuple[Any, list[Any]]:
    """Validate and import the configured banks and teachers' uploads; return the
    summary and the problems of the files left out.
    """
    from quiz_app.banks.services import configured_bank_paths, import_bank_files

    paths = configured_bank_paths(
        str(current_app.config["BANKS_DIR"]), current_app.instance_path
    )
    with write_transaction():
        summary, problems = import_bank_files(
            paths,
            max_bytes=current_app.config["MAX_BANK_BYTES"],
            now=utcnow(),
            force=force,
        )
        db.session.commit()
    return summary, problems


@main.command("serve")
@click.option(
    "--host",
    default="127.0.0.1",
    show_default=True,
    help="Address to listen on (0.0.0.0 for the LAN).",
)
@click.option("--port", default=5000, show_default=True, type=int)
@click.option(
    "--workers",
    default=None,
    type=int,
    help="Worker processes (default: 2 x CPUs + 1, at most 8).",
)
@with_appcontext
def serve_command(host: str, port: int, workers: int | None) -> None:
    """Upgrade the database, import the banks and serve the app with a production
    server.
    """
    app: Flask = current_app._get_current_object()  # type: ignore[attr-defined]
    upgrade_database()
    summary, problems = import_configured_banks()
    for problem in problems:
        click.echo(f"warning: {problem}", err=True)
    click.echo(f"Banks: {summary}")
    click.echo(f"Data folder: {app.instance_path}")
    click.echo(f"Serving on http://{host}:{port}/ (Ctrl+C to stop)")
    setup_link = _setup_link(host, port)
    if setup_link:
        click.echo("")
        click.echo(
            "Set up the first teacher account (this link works until it is used):"
        )
        click.echo(f"    {setup_link}")
        click.echo("")
    # The workers read where they listen, to show students the LAN address in links.
    os.environ["QUIZ_SERVE_HOST"] = host
    db.engine.dispose()  # workers open their own connections
    workers = workers or min(2 * (os.cpu_count() or 1) + 1, 8)
    if sys.platform != "win32":
        _serve_gunicorn(host, port, workers)
    else:  # pragma: no cover - gunicorn does not run on Windows
        from waitress import serve

        serve(app, host=host, port=port, threads=workers * 2)


def _setup_link(host: str, port: int) -> str | None:
    """On a fresh install, a one-time link to create the first teacher; else None."""
    from random import SystemRandom

    from quiz_app.accounts import services as account_services
    from quiz_app.accounts.cli import console_base_url

    with write_transaction():
        if account_services.count_teachers() > 0:
            return None
        token = account_services.create_setup_token(now=utcnow(), rng=SystemRandom())
        db.session.commit()
    if current_app.config.get("PUBLIC_URL"):
        base = console_base_url(port)
    else:
        # The console is on the server: a loopback address works there, whatever the
        # interface served.
        shown = "127.0.0.1" if host in ("0.0.0.0", "::", "") else host
        base = f"http://{shown}:{port}"
    return f"{base}/account/setup?token={token}"


def _serve_gunicorn(host: str, port: int, workers: int) -> None:
    from gunicorn.app.base import BaseApplication

    class _Server(BaseApplication):
        def load_config(self) -> None:
            self.cfg.set("bind", f"{host}:{port}")
            self.cfg.set("workers", workers)
            self.cfg.set("accesslog", "-")
            self.cfg.set("graceful_timeout", 10)

        def load(self) -> Flask:
            return create_app()

    _Server().run()


@main.command("backup")
@with_appcontext
def backup_command() -> None:
    """Copy the SQLite database to <data folder>/backups/ while the app runs."""
    target = backup_sqlite()
    if target is None:
        raise click.ClickException(
            "backup only handles SQLite; use pg_dump for PostgreSQL"
        )
    click.echo(f"Backed up to {target}")


def register_cli(app: Flask) -> None:
    """Attach each domain's command group to the app."""
    from quiz_app.accounts.cli import create_teacher_command, reset_password_command
    from quiz_app.banks.cli import group as banks_group

    app.cli.add_command(banks_group)
    app.cli.add_command(create_teacher_command)
    app.cli.add_command(reset_password_command)
