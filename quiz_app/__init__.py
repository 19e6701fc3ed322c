"""Armistice Study: quizzes and spaced-repetition flashcards from YAML banks."""

from __future__ import annotations

import os
import secrets
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from flask import Flask
from werkzeug.routing import IntegerConverter, Map

from quiz_app.config import DefaultConfig

PACKAGE_DIR = Path(__file__).resolve().parent

#: Secrets that must never run a real server: they are in every tutorial.
PLACEHOLDER_SECRETS = frozenset(
    {"dev", "secret", "changeme", "change-me", "development", "test", ""}
)


def resource_dir(name: str) -> Path:
    """Find a top-level resource folder (templates, static, question_banks) in a
    checkout or in an installed wheel.
    """
    installed = PACKAGE_DIR / name  # the wheel force-includes them inside the package
    return installed if installed.is_dir() else PACKAGE_DIR.parent / name


def create_app(test_config: Mapping[str, Any] | None = None) -> Flask:
    """Build and configure a quiz_app instance."""
    data_dir = os.environ.get("QUIZ_DATA_DIR")
    app = Flask(
        __name__,
        instance_relative_config=True,
        instance_path=str(Path(data_dir).resolve()) if data_dir else None,
        template_folder=str(resource_dir("templates")),
        static_folder=str(resource_dir("static")),
    )
    app.config.from_object(DefaultConfig)
    if test_config is None:
        app.config.from_pyfile("config.py", silent=True)
        app.config.from_prefixed_env("QUIZ")
    else:
        app.config.from_mapping(test_config)
    app.config.pop(
        "DATA_DIR", None
    )  # QUIZ_DATA_DIR chose the instance folder above; it is not a setting
    if not app.config.get("BANKS_DIR"):
        app.config["BANKS_DIR"] = str(resource_dir("question_banks"))
    os.makedirs(app.instance_path, exist_ok=True)
    ensure_secret_key(app)
    # Before any route is added: <int:...> ids stop at 64 bits, so a huge id is a 404
    # rather than an OverflowError in the database driver (a 500).
    app.url_map.converters["int"] = Int64Converter

    from quiz_app.accounts.services import load_user
    from quiz_app.extensions import init_extensions, login_manager

    init_extensions(app)
    login_manager.user_loader(load_user)
    import quiz_app.models  # noqa: F401 - every table known before the first query

    register_blueprints(app)

    from quiz_app.errors import register_error_handlers
    from quiz_app.web import register_template_helpers

    register_error_handlers(app)
    register_template_helpers(app)

    from quiz_app.cli import register_cli

    register_cli(app)
    return app


#: The largest id a database integer column holds (signed 64 bits).
MAX_ID = 2**63 - 1
#: Shortest secret key accepted, in bytes (the generated one has 64).
MIN_SECRET_KEY_BYTES = 32


class Int64Converter(IntegerConverter):
    """Flask's ``int`` converter, bounded to what a database id can be."""

    def __init__(self, map: Map, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("max", MAX_ID)
        super().__init__(map, *args, **kwargs)


def secret_key_problem(key: object) -> str | None:
    """Why this value cannot sign sessions, or None if it can.

    A QUIZ_SECRET_KEY of digits arrives as a number (the environment is read as JSON)
    and a short one is guessable offline from any session cookie.
    """
    if not isinstance(key, str):
        return (
            f"SECRET_KEY must be text, not {type(key).__name__}; quote it, e.g. "
            "QUIZ_SECRET_KEY='\"...\"', or remove it to let the app generate one"
        )
    if len(key.encode()) < MIN_SECRET_KEY_BYTES:
        return (
            f"SECRET_KEY must be at least {MIN_SECRET_KEY_BYTES} bytes long; remove it "
            "to let the app generate one in the data folder"
        )
    return None


def ensure_secret_key(app: Flask) -> None:
    """Use the configured secret key, or read/create one in the data folder; refuse
    well-known placeholders outside debug and testing.
    """
    key = app.config.get("SECRET_KEY")
    if key is None:
        key_file = Path(app.instance_path) / "secret_key"
        if key_file.exists():
            key = key_file.read_text(encoding="utf-8").strip()
        else:
            key = secrets.token_hex(32)
            fd = os.open(key_file, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
            with os.fdopen(fd, "w", encoding="utf-8") as fh:
                fh.write(key)
        app.config["SECRET_KEY"] = key
    if app.debug or app.testing:
        return
    if str(key).strip().lower() in PLACEHOLDER_SECRETS:
        raise RuntimeError(
            "SECRET_KEY is a well-known placeholder; remove it to let the app "
            "generate one in the data folder"
        )
    problem = secret_key_problem(key)
    if problem:
        raise RuntimeError(problem)


def register_blueprints(app: Flask) -> None:
    """Register every domain's blueprint, one line each; the domains' teacher pages
    nest under one guarded /teach blueprint.
    """
    from quiz_app.accounts import views as accounts
    from quiz_app.accounts.decorators import make_teacher_blueprint
    from quiz_app.banks import views as banks
    from quiz_app.classes import views as classes
    from quiz_app.flashcards import views as flashcards
    from quiz_app.home import views as home
    from quiz_app.progress import views as progress
    from quiz_app.quiz import views as quiz
    from quiz_app.reports import views as reports

    app.register_blueprint(home.bp)
    app.register_blueprint(accounts.bp)
    app.register_blueprint(banks.bp)
    app.register_blueprint(quiz.bp)
    app.register_blueprint(flashcards.bp)
    app.register_blueprint(progress.bp)
    app.register_blueprint(classes.bp)
    app.register_blueprint(reports.bp)
    app.register_blueprint(
        make_teacher_blueprint(
            classes.teach_bp,
            quiz.teach_bp,
            banks.teach_bp,
            reports.teach_bp,
            accounts.teach_bp,
        )
    )
