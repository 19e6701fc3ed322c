"""The `quiz-app` command: a FlaskGroup bound to create_app, plus serve, banks and
backup commands.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import click
from flask import Flask, current_app
from flask.cli import FlaskGroup, with_appcontext

from quiz_app import create_app
from quiz_app.audit import audit
from quiz_app.backups import (
    BackupError,
    DataFolder,
    create_backup,
    hold_serve_lock,
    quick_check_problems,
    restore_backup,
    rotate_backups,
)
from quiz_app.clock import utcnow
from quiz_app.extensions import MIGRATIONS_DIR, db, write_transaction
from quiz_app.serving import (
    StudentWorkFirst,
    default_processes,
    listening_sockets,
    serve_forked,
)


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


def data_folder() -> DataFolder | None:
    """The data folder of a SQLite installation, or None on another database."""
    engine = db.engine
    if engine.dialect.name != "sqlite" or not engine.url.database:
        return None
    return DataFolder(
        root=Path(current_app.instance_path), database=Path(engine.url.database)
    )


def backup_sqlite(
    *, prefix: str = "backup", target_dir: Path | None = None
) -> Path | None:
    """Back up a SQLite data folder into ``target_dir`` (default <data folder>/backups/)
    and rotate the backups there; None when the database is not SQLite."""
    folder = data_folder()
    if folder is None:
        return None
    target_dir = target_dir or folder.root / "backups"
    now = utcnow()
    try:
        target = create_backup(folder, target_dir, now=now, prefix=prefix)
    except BackupError as exc:
        raise click.ClickException(str(exc)) from exc
    rotate_backups(target_dir, now=now)
    return target


def import_configured_banks(*, force: bool = False) -> tuple[Any, list[Any]]:
    """Validate and import the configured banks and teachers' uploads; return the
    summary and the problems of the banks left out.
    """
    from quiz_app.banks.services import configured_bank_paths
    from quiz_app.banks.uploads import import_all_banks

    with write_transaction():
        summary, problems = import_all_banks(
            configured_bank_paths(str(current_app.config["BANKS_DIR"])),
            max_bytes=current_app.config["MAX_BANK_BYTES"],
            now=utcnow(),
            force=force,
        )
        db.session.commit()
    audit(
        "bank.import",
        source="deploy",
        imported=summary.banks_imported,
        unchanged=summary.banks_unchanged,
        problems=len(problems),
    )
    return summary, problems


def move_old_uploads() -> None:
    """Move the data folder's old uploads folder (from before uploads were stored in
    the database) into the database, once; say what happened."""
    from quiz_app.banks.services import uploads_dir
    from quiz_app.banks.uploadfolder import move_upload_folder, retire_upload_folder

    folder = uploads_dir(current_app.instance_path)
    if not folder.is_dir():
        return
    now = utcnow()
    with write_transaction():
        move = move_upload_folder(
            folder,
            max_bytes=current_app.config["MAX_BANK_BYTES"],
            max_image_bytes=current_app.config["MAX_IMAGE_BYTES"],
            now=now,
        )
        db.session.commit()
    moved_to = retire_upload_folder(folder, now=now)
    audit("bank.uploads_moved", banks=len(move.stored), images=move.images)
    for line in move.left_out:
        click.echo(f"warning: uploads: {line}", err=True)
    click.echo(f"Uploads: {move}; the old folder is now {moved_to}")


def deploy() -> None:
    """Upgrade the schema, move old uploads into the database and import the banks,
    once even when several servers start together (the others wait for the lock,
    then find nothing to do)."""
    from quiz_app.deploy import deploy_lock

    with deploy_lock():
        upgrade_database()
        move_old_uploads()
        summary, problems = import_configured_banks()
    for problem in problems:
        click.echo(f"warning: {problem}", err=True)
    click.echo(f"Banks: {summary}")


@main.command("deploy")
@with_appcontext
def deploy_command() -> None:
    """Upgrade the database and import the banks (what serve does before serving)."""
    deploy()


#: How `serve` faces the network. waitress reads and buffers each whole request in
#: its asynchronous front (one thread, many sockets) and only then hands it to a
#: request thread, so a client that trickles its headers (slowloris) or idles holds a
#: socket, not a thread. gunicorn's sync workers face the network directly: 15 slow
#: connections held every worker and the log-in page timed out for everyone.
#: Connections beyond CONNECTION_LIMIT wait in the listen backlog.
CONNECTION_LIMIT = 1000
#: Seconds a connection may send nothing before it is closed.
CHANNEL_TIMEOUT_S = 30
#: Largest request head (request line and headers) accepted, in bytes.
MAX_REQUEST_HEADER_BYTES = 64 * 1024


@main.command("serve")
@click.option(
    "--host",
    default="127.0.0.1",
    show_default=True,
    help="Address to listen on (0.0.0.0 for the LAN).",
)
@click.option("--port", default=5000, show_default=True, type=int)
@click.option(
    "--threads",
    "--workers",
    "threads",
    default=3,
    show_default=True,
    type=click.IntRange(1, 64),
    help="Request threads in each process (they run requests whose bytes have all "
    "arrived; more threads only wait longer for Python's one lock per process).",
)
@click.option(
    "--processes",
    default=None,
    type=click.IntRange(1, 32),
    help="Server processes sharing the port [default: one per core, at most 4; "
    "1 where the system cannot fork].",
)
@click.option(
    "--no-deploy",
    is_flag=True,
    help="Skip the upgrade and bank import (run `quiz-app deploy` separately).",
)
@with_appcontext
def serve_command(
    host: str, port: int, threads: int, processes: int | None, no_deploy: bool
) -> None:
    """Upgrade the database, import the banks and serve the app with a production
    server.
    """
    app: Flask = current_app._get_current_object()  # type: ignore[attr-defined]
    folder = data_folder()
    serve_lock = None
    if folder is not None:
        _refuse_a_damaged_database(folder)
        # Held while serving, so that `quiz-app restore` refuses to pull the
        # database from under a running server.
        serve_lock = hold_serve_lock(folder.root)
    if not no_deploy:
        deploy()
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
    # The app reads where it listens, to show students the LAN address in links.
    os.environ["QUIZ_SERVE_HOST"] = host
    # waitress serves this very app, which was built before the line above.
    app.config["SERVE_HOST"] = host
    # End this thread's transaction (the start-up checks above ran in a write
    # transaction: left open, it kept SQLite's write lock for as long as the server
    # ran) and close its connections; the request threads open their own.
    db.session.remove()
    db.engine.dispose()
    try:
        serve_waitress(
            app,
            host=host,
            port=port,
            threads=threads,
            processes=processes or default_processes(),
        )
    finally:
        if serve_lock is not None:
            serve_lock.close()


def _refuse_a_damaged_database(folder: DataFolder) -> None:
    if not folder.database.exists():
        return
    problems = quick_check_problems(folder.database)
    if problems:
        raise click.ClickException(
            f"the database {folder.database} fails SQLite's quick_check ("
            + "; ".join(problems[:3])
            + "). Run `quiz-app doctor`, then restore the newest good backup with "
            "`quiz-app restore <data folder>/backups/<file>`."
        )


def _setup_link(host: str, port: int) -> str | None:
    """On a fresh install, a one-time link to create the first teacher; else None."""
    from random import SystemRandom

    from quiz_app.accounts import services as account_services
    from quiz_app.accounts.cli import console_base_url

    with write_transaction():
        if account_services.count_teachers() > 0:
            db.session.rollback()  # release the write lock taken by the check
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


def serve_waitress(
    app: Flask, *, host: str, port: int, threads: int, processes: int = 1
) -> None:
    """Serve with waitress, bounded against slow and oversized clients, in
    ``processes`` processes that share one listening socket."""
    # waitress.serve() without its logging.basicConfig(), which would add a second,
    # unstructured handler beside the app's (quiz_app.logs): every line twice.
    from waitress.server import create_server

    limits: dict[str, Any] = dict(
        threads=threads,
        connection_limit=CONNECTION_LIMIT,
        channel_timeout=CHANNEL_TIMEOUT_S,
        max_request_header_size=MAX_REQUEST_HEADER_BYTES,
        # A few bytes over the app's own limit, so Flask answers 413 itself.
        max_request_body_size=int(app.config["MAX_CONTENT_LENGTH"]) + 64 * 1024,
        ident="armistice-study",
        # Behind trusted proxies the X-Forwarded-* headers must reach ProxyFix, which
        # believes only the last TRUSTED_PROXIES entries; otherwise drop them.
        clear_untrusted_proxy_headers=not app.config.get("TRUSTED_PROXIES"),
    )

    def run(**where: Any) -> None:
        dispatcher = StudentWorkFirst()
        dispatcher.set_thread_count(threads)
        create_server(app, _dispatcher=dispatcher, **where, **limits).run()

    if processes <= 1 or not hasattr(os, "fork"):  # Windows cannot fork
        run(host=host, port=port)
        return
    sockets = listening_sockets(host, port)
    click.echo(f"{processes} server processes, {threads} request threads each")
    serve_forked(
        lambda shared: run(sockets=list(shared)),
        sockets,
        processes,
        log=lambda line: click.echo(line, err=True),
    )


@main.command("backup")
@click.option(
    "--to",
    "target_dir",
    type=click.Path(file_okay=False, path_type=Path),
    help="Folder to write the backup to (default: <data folder>/backups/).",
)
@with_appcontext
def backup_command(target_dir: Path | None) -> None:
    """Back up the database, secret key and uploaded banks while the app runs."""
    target = backup_sqlite(target_dir=target_dir)
    if target is None:
        raise click.ClickException(
            "backup only handles SQLite; use pg_dump for PostgreSQL (see README)"
        )
    click.echo(f"Backed up to {target}")


@main.command("restore")
@click.argument("backup", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@with_appcontext
def restore_command(backup: Path) -> None:
    """Replace the data folder's database, key and uploads with a backup's (server
    stopped)."""
    folder = data_folder()
    if folder is None:
        raise click.ClickException(
            "restore only handles SQLite; use pg_restore for PostgreSQL (see README)"
        )
    db.engine.dispose()  # nothing of ours may hold the old file open
    try:
        aside = restore_backup(backup, folder, now=utcnow())
    except BackupError as exc:
        raise click.ClickException(str(exc)) from exc
    click.echo(f"Restored {backup.name}; the replaced files are in {aside}")


@click.command("copy")
@click.option(
    "--to",
    "target_url",
    required=True,
    metavar="URL",
    help="An empty database, e.g. postgresql+psycopg://user:pw@host/dbname.",
)
@with_appcontext
def copy_command(target_url: str) -> None:
    """Copy this data folder's SQLite database into an empty PostgreSQL database."""
    import sqlalchemy as sa

    from quiz_app.database.cli import CopyError, copy_database

    try:
        counts = copy_database(target_url, echo=click.echo)
    except CopyError as error:
        raise click.ClickException(str(error)) from error
    shown = sa.engine.make_url(target_url).render_as_string(hide_password=True)
    click.echo(f"Copied {sum(counts.values())} rows in {len(counts)} tables to {shown}")


def register_cli(app: Flask) -> None:
    """Attach each domain's command group to the app."""
    from flask_migrate.cli import db as db_group

    from quiz_app.accounts.cli import create_teacher_command, reset_password_command
    from quiz_app.banks.cli import group as banks_group
    from quiz_app.doctor import doctor_command

    db_group.add_command(copy_command)

    app.cli.add_command(banks_group)
    app.cli.add_command(doctor_command)
    app.cli.add_command(create_teacher_command)
    app.cli.add_command(reset_password_command)
