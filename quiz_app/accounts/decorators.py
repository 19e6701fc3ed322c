"""Web layer: role checks for views, and the /teach blueprint every domain's teacher
pages hang from.

Each domain registers its teacher pages on its own blueprint (``teach_bp`` in its
``views.py``); :func:`make_teacher_blueprint` nests them under one ``teacher``
blueprint at ``/teach`` whose ``before_request`` guard denies every one of them, even a
route added later without a decorator, to students (403) and visitors (login page).
Endpoints read ``teacher.<domain>.<view>``: ``teacher.classes.class_detail``.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any, TypeVar

from flask import Blueprint, abort
from flask_login import current_user

from quiz_app.extensions import login_manager

F = TypeVar("F", bound=Callable[..., Any])


def require_teacher() -> None:
    """Abort unless a teacher is logged in: anonymous visitors go to the login page,
    students get 403.
    """
    if not current_user.is_authenticated:
        abort(login_manager.unauthorized())
    if not current_user.is_teacher:
        abort(403)


def teacher_required(view: F) -> F:
    """Allow a view to teachers only."""

    @wraps(view)
    def wrapped(*args: Any, **kwargs: Any) -> Any:
        require_teacher()
        return view(*args, **kwargs)

    return wrapped  # type: ignore[return-value]


def make_teacher_blueprint(*children: Blueprint) -> Blueprint:
    """A fresh ``teacher`` blueprint at ``/teach`` guarded by :func:`require_teacher`,
    with the domains' teacher blueprints nested in it (one per app: a registered
    blueprint cannot take more children).
    """
    teacher = Blueprint("teacher", __name__, url_prefix="/teach")
    teacher.before_request(require_teacher)
    for child in children:
        teacher.register_blueprint(child)
    return teacher
