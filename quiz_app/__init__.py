"""Armistice Study: quizzes and spaced-repetition flashcards from YAML banks."""

from __future__ import annotations

import os
import secrets
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from flask import Flask
from werkzeug.routing import IntegerConverter, Map

from quiz_app.config import DefaultConfig, secret_key_problem

__all__ = ["create_app", "resource_dir", "secret_key_problem"]

PACKAGE_DIR = Path(__file__).resolve().parent


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
    from quiz_app.logs import configure_logging

    configure_logging(app)
    os.makedirs(app.instance_path, exist_ok=True)
    ensure_secret_key(app)
    trust_proxies(app)
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


class Int64Converter(IntegerConverter):
    """Flask's ``int`` converter, bounded to what a database id can be."""

    def __init__(self, map: Map, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("max", MAX_ID)
        super().__init__(map, *args, **kwargs)


def ensure_secret_key(app: Flask) -> None:
    """Use the configured secret key, or read/create one in the data folder; refuse
    well-known placeholders and short keys outside debug and testing, and a key of
    one server's own on a database several servers may share.
    """
    key = app.config.get("SECRET_KEY")
    explicit = key is not None
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
    problem = secret_key_problem(
        key,
        explicit=explicit,
        database_uri=str(app.config["SQLALCHEMY_DATABASE_URI"]),
        strict=not (app.debug or app.testing),
    )
    if problem:
        raise RuntimeError(problem)


def trust_proxies(app: Flask) -> None:
    """Behind TRUSTED_PROXIES reverse proxies, take the client's address, scheme and
    host from their X-Forwarded-* headers (Werkzeug's ProxyFix)."""
    count = int(app.config.get("TRUSTED_PROXIES") or 0)
    if count > 0:
        from werkzeug.middleware.proxy_fix import ProxyFix

        app.wsgi_app = ProxyFix(  # type: ignore[method-assign]
            app.wsgi_app, x_for=count, x_proto=count, x_host=count, x_port=count
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
