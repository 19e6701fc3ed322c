"""Web layer: role checks for views."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any, TypeVar

from flask import abort
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
