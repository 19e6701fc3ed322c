"""Web layer: sign up, log in and out, and the first-run setup of the first teacher."""

from __future__ import annotations

from urllib.parse import urlsplit

from flask import (
    Blueprint,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_login import current_user, login_required, login_user, logout_user
from werkzeug.wrappers import Response

from quiz_app.accounts import services
from quiz_app.accounts.forms import LogInForm, SetUpForm, SignUpForm
from quiz_app.accounts.models import Role
from quiz_app.classes import services as class_services
from quiz_app.clock import utcnow
from quiz_app.extensions import db
from quiz_app.forms import EmptyForm

bp = Blueprint("accounts", __name__, url_prefix="/account")

#: Pages that stay reachable before the first teacher exists.
_SETUP_EXEMPT = frozenset({"accounts.setup", "static", "home.health"})


@bp.before_app_request
def _require_first_run_setup() -> Response | None:
    """Send every visitor to the setup page until the first teacher account exists."""
    if (
        current_app.extensions.get("quiz_setup_done")
        or request.endpoint in _SETUP_EXEMPT
    ):
        return None
    if services.count_teachers() > 0:
        current_app.extensions["quiz_setup_done"] = True
        return None
    return redirect(url_for("accounts.setup"))


def _safe_next(default: str) -> str:
    """The ?next= target when it stays on this site, else the default."""
    target = request.args.get("next", "")
    parts = urlsplit(target)
    if target.startswith("/") and not target.startswith("//") and not parts.netloc:
        return target
    return default


@bp.route("/setup", methods=["GET", "POST"])
def setup() -> str | Response:
    """Create the first teacher account on a fresh install."""
    if services.count_teachers() > 0:
        return redirect(url_for("home.index"))
    form = SetUpForm()
    if form.validate_on_submit():
        user = services.create_user(
            form.username.data,
            form.password.data,
            role=Role.TEACHER,
            now=utcnow(),
            display_name=form.display_name.data or "",
        )
        db.session.commit()
        current_app.extensions["quiz_setup_done"] = True
        login_user(user)
        flash("Welcome! Your teacher account is ready.", "success")
        return redirect(url_for("home.index"))
    return render_template("accounts/setup.html", form=form)


@bp.route("/signup", methods=["GET", "POST"])
def signup() -> str | Response:
    """Create a student account and log it in."""
    if current_user.is_authenticated:
        return redirect(url_for("home.index"))
    form = SignUpForm()
    if request.method == "GET" and request.args.get("code"):
        form.join_code.data = request.args["code"][:20]
    if form.validate_on_submit():
        user = services.create_user(
            form.username.data,
            form.password.data,
            now=utcnow(),
            display_name=form.display_name.data or "",
        )
        if form.join_code.data:
            class_services.join_class_by_code(user, form.join_code.data, now=utcnow())
        db.session.commit()
        login_user(user)
        flash("Your account is ready.", "success")
        return redirect(url_for("home.index"))
    return render_template("accounts/signup.html", form=form)


@bp.route("/login", methods=["GET", "POST"])
def login() -> str | Response:
    """Log in with a username and password."""
    if current_user.is_authenticated:
        return redirect(url_for("home.index"))
    form = LogInForm()
    if form.validate_on_submit():
        user = services.authenticate(form.username.data, form.password.data)
        if user is not None:
            login_user(user)
            return redirect(_safe_next(url_for("home.index")))
        form.password.errors.append("The username or password is not right.")
    return render_template("accounts/login.html", form=form)


@bp.post("/logout")
@login_required
def logout() -> Response:
    """Log out and revoke every copy of this session cookie."""
    if EmptyForm().validate_on_submit():
        services.revoke_sessions(current_user)
        db.session.commit()
        logout_user()
        flash("You have logged out.", "info")
    return redirect(url_for("home.index"))
