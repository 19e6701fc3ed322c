"""Web layer: sign up, log in and out, and the first-run setup of the first teacher."""

from __future__ import annotations

import json
from datetime import timedelta
from math import ceil

from flask import (
    Blueprint,
    Flask,
    current_app,
    flash,
    g,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_login import current_user, login_required, login_user, logout_user
from werkzeug.wrappers import Response

from quiz_app.accounts import services
from quiz_app.accounts.decorators import teacher_required
from quiz_app.accounts.forms import (
    CreateTeacherForm,
    LogInForm,
    SetUpForm,
    SignUpForm,
)
from quiz_app.accounts.models import Role, User
from quiz_app.accounts.throttle import LoginThrottle
from quiz_app.classes import services as class_services
from quiz_app.clock import utcnow
from quiz_app.extensions import db, write_transaction
from quiz_app.forms import EmptyForm
from quiz_app.markdown import is_same_origin_url
from quiz_app.progress import export

bp = Blueprint("accounts", __name__, url_prefix="/account")
#: The teacher's pages, nested under /teach (see accounts.decorators).
teach_bp = Blueprint("accounts", __name__)

#: Pages that stay reachable before the first teacher exists.
_SETUP_EXEMPT = frozenset({"accounts.setup", "static", "home.health"})
#: app.extensions key: a teacher exists, so the first-run setup is over (cached: the
#: check would otherwise count teachers on every request).
_SETUP_DONE = "quiz_setup_done"


def mark_setup_done(app: Flask, done: bool = True) -> None:
    """Record that the first-run setup is over (or, for tests of the setup, not yet):
    visitors are no longer sent to the setup page.
    """
    if done:
        app.extensions[_SETUP_DONE] = True
    else:
        app.extensions.pop(_SETUP_DONE, None)


@bp.before_app_request
def _require_first_run_setup() -> Response | None:
    """Send every visitor to the setup page until the first teacher account exists."""
    if current_app.extensions.get(_SETUP_DONE) or request.endpoint in _SETUP_EXEMPT:
        return None
    if services.count_teachers() > 0:
        mark_setup_done(current_app)
        return None
    return redirect(url_for("accounts.setup"))


#: Requests that do not count as activity (and should not load the user).
_NOT_ACTIVITY = frozenset({"static", "banks.media", "home.health"})


@bp.before_app_request
def _record_activity() -> None:
    """Note when a logged-in user was last active, at most once a minute, in its own
    short write transaction (the request's own transaction starts afresh after it).
    """
    if request.endpoint in _NOT_ACTIVITY or not current_user.is_authenticated:
        return
    now = utcnow()
    if not services.is_activity_due(current_user, now=now):
        return
    user_id = current_user.id
    db.session.rollback()  # end the read that loaded the user
    with write_transaction():
        services.record_activity(user_id, now=now)
        db.session.commit()


def _safe_next(default: str) -> str:
    """The ?next= target when it stays on this site, else the default."""
    target = request.args.get("next", "")
    # A path on this site only (also refuses "/\\host" and "/<tab>/host").
    return target if target.startswith("/") and is_same_origin_url(target) else default


def _start_session(user: User) -> None:
    """Log the user in on a fresh session: nothing from before the log-in (such as a
    CSRF token an attacker planted) carries over.
    """
    session.clear()
    # Flask-WTF caches the signed token in g: drop it, so that a form rendered later
    # in this app context signs a new one.
    g.pop(current_app.config.get("WTF_CSRF_FIELD_NAME", "csrf_token"), None)
    login_user(user)


def _login_throttle() -> LoginThrottle:
    """This app's counter of failed log-ins, made on first use."""
    throttle = current_app.extensions.get("quiz_login_throttle")
    if throttle is None:
        throttle = current_app.extensions["quiz_login_throttle"] = LoginThrottle(
            max_failures=current_app.config["LOGIN_MAX_FAILURES"],
            window=timedelta(seconds=current_app.config["LOGIN_FAILURE_WINDOW_S"]),
        )
    return throttle


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
            timezone=current_app.config["DEFAULT_TIMEZONE"],
        )
        db.session.commit()
        mark_setup_done(current_app)
        _start_session(user)
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
        try:
            user = services.create_user(
                form.username.data,
                form.password.data,
                now=utcnow(),
                display_name=form.display_name.data or "",
                timezone=current_app.config["DEFAULT_TIMEZONE"],
            )
        except services.UsernameTaken as error:  # taken since the form was checked
            form.username.errors.append(str(error))
            return render_template("accounts/signup.html", form=form)
        if form.join_code.data:
            class_services.join_class_by_code(user, form.join_code.data, now=utcnow())
        db.session.commit()
        _start_session(user)
        flash("Your account is ready.", "success")
        return redirect(url_for("home.index"))
    return render_template("accounts/signup.html", form=form)


@bp.route("/login", methods=["GET", "POST"])
def login() -> str | tuple[str, int] | Response:
    """Log in with a username and password."""
    if current_user.is_authenticated:
        return redirect(url_for("home.index"))
    form = LogInForm()
    if form.validate_on_submit():
        throttle = _login_throttle()
        key = (services.username_key(form.username.data), request.remote_addr or "")
        now = utcnow()
        wait = throttle.retry_after(key, now=now)
        if wait is not None:
            minutes = max(1, ceil(wait.total_seconds() / 60))
            form.password.errors.append(
                "Too many wrong passwords for this username. "
                f"Try again in {minutes} minute{'s' if minutes > 1 else ''}, "
                "or ask your teacher for help."
            )
            return render_template("accounts/login.html", form=form), 429
        user = services.authenticate(form.username.data, form.password.data)
        if user is not None:
            throttle.reset(key)
            _start_session(user)
            return redirect(_safe_next(url_for("home.index")))
        throttle.record_failure(key, now=now)
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


@bp.get("/export")
@login_required
def export_my_data() -> Response:
    """Download everything the app keeps about your learning as a JSON file."""
    now = utcnow()
    data = export.export_user_data(current_user, now=now)
    filename = f"armistice-study-{current_user.username}-{now:%Y%m%d}.json"
    return Response(
        json.dumps(data, indent=2, ensure_ascii=False),
        mimetype="application/json",
        headers={"Content-Disposition": f'attachment; filename="{filename}"'},
    )


# --------------------------------------------------------------------------------------
# The teacher's account pages (/teach/...)


@teach_bp.route("/teachers/new", methods=["GET", "POST"])
@teacher_required
def create_teacher() -> str | Response:
    """Create another teacher account."""
    form = CreateTeacherForm()
    if form.validate_on_submit():
        user = services.create_user(
            form.username.data,
            form.password.data,
            role=Role.TEACHER,
            now=utcnow(),
            display_name=form.display_name.data or "",
            timezone=current_app.config["DEFAULT_TIMEZONE"],
        )
        db.session.commit()
        flash(f"Teacher account {user.username} created.", "success")
        return redirect(url_for("teacher.classes.index"))
    return render_template("teacher/create_teacher.html", form=form)
