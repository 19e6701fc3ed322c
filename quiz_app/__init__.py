"""Armistice Study: quizzes and spaced-repetition flashcards from YAML banks."""

from __future__ import annotations

import os
import secrets
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from flask import Flask

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

    from quiz_app.extensions import init_extensions

    init_extensions(app)
    import quiz_app.models  # noqa: F401 - every table known before the first query

    register_blueprints(app)

    from quiz_app.errors import register_error_handlers
    from quiz_app.web import register_template_helpers

    register_error_handlers(app)
    register_template_helpers(app)

    from quiz_app.cli import register_cli

    register_cli(app)
    return app


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
    if str(key).strip().lower() in PLACEHOLDER_SECRETS and not (
        app.debug or app.testing
    ):
        raise RuntimeError(
            "SECRET_KEY is a well-known placeholder; remove it to let the app "
            "generate one in the data folder"
        )


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
