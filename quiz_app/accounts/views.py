"""Web layer: sign up, log in and out, and the first-run setup of the first teacher."""

from __future__ import annotations

from datetime import timedelta
from math import ceil
from urllib.parse import urlsplit

from flask import (
    Blueprint,
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
from itsdangerous import BadSignature, URLSafeTimedSerializer
from werkzeug.wrappers import Response

from quiz_app.accounts import services
from quiz_app.accounts.forms import LogInForm, SetUpForm, SignUpForm
from quiz_app.accounts.models import Role, User
from quiz_app.classes import services as class_services
from quiz_app.clock import utcnow
from quiz_app.extensions import db, read_transaction, write_transaction
from quiz_app.forms import EmptyForm
from quiz_app.limits import services as limit_services
from quiz_app.limits.policy import SIGNUP, LoginPolicy, login_wait

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
    if (
        target.startswith("/")
        and not target.startswith("//")
        and "\\" not in target
        and not parts.netloc
    ):
        return target
    return default


def _start_session(user: User) -> None:
    """Log the user in on a fresh session: nothing from before the log-in (such as a
    CSRF token an attacker planted) carries over.
    """
    session.clear()
    # Flask-WTF caches the signed token in g: drop it, so that a form rendered later
    # in this app context signs a new one.
    g.pop(current_app.config.get("WTF_CSRF_FIELD_NAME", "csrf_token"), None)
    login_user(user)


#: A browser that has logged in to an account carries this signed cookie naming it,
#: so wrong passwords from its address (a shared lab PC, a school NAT) cannot lock the
#: owner out (OWASP's "device cookie").
KNOWN_DEVICE_COOKIE = "quiz_known"
_KNOWN_DEVICE_ACCOUNTS = 5
_KNOWN_DEVICE_MAX_AGE_S = 180 * 24 * 3600


def _device_serializer() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.secret_key, salt="quiz-known-device")


def _known_accounts() -> list[str]:
    """The username keys this browser has logged in to (from its signed cookie)."""
    raw = request.cookies.get(KNOWN_DEVICE_COOKIE)
    if not raw:
        return []
    try:
        keys = _device_serializer().loads(raw, max_age=_KNOWN_DEVICE_MAX_AGE_S)
    except BadSignature:
        return []
    return [k for k in keys if isinstance(k, str)] if isinstance(keys, list) else []


def _remember_device(response: Response, key: str, known: list[str]) -> None:
    keys = [key, *(k for k in known if k != key)][:_KNOWN_DEVICE_ACCOUNTS]
    response.set_cookie(
        KNOWN_DEVICE_COOKIE,
        _device_serializer().dumps(keys),
        max_age=_KNOWN_DEVICE_MAX_AGE_S,
        httponly=True,
        samesite="Lax",
        secure=bool(current_app.config["SESSION_COOKIE_SECURE"]),
    )


def _login_policy() -> LoginPolicy:
    config = current_app.config
    return LoginPolicy(
        per_address=int(config["LOGIN_MAX_FAILURES"]),
        per_account=int(config["LOGIN_ACCOUNT_MAX_FAILURES"]),
        window=timedelta(seconds=int(config["LOGIN_FAILURE_WINDOW_S"])),
    )


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
        _start_session(user)
        flash("Welcome! Your teacher account is ready.", "success")
        return redirect(url_for("home.index"))
    return render_template("accounts/setup.html", form=form)


@bp.route("/signup", methods=["GET", "POST"])
@read_transaction()  # checks and hashing first; the write lock only for the insert
def signup() -> str | tuple[str, int] | Response:
    """Create a student account and log it in."""
    if current_user.is_authenticated:
        return redirect(url_for("home.index"))
    form = SignUpForm()
    if request.method == "GET" and request.args.get("code"):
        form.join_code.data = request.args["code"][:20]
    if not form.validate_on_submit():
        return render_template("accounts/signup.html", form=form)
    now = utcnow()
    address = request.remote_addr or ""
    try:
        limit_services.check_hourly(
            SIGNUP, current_app.config, address=address, now=now
        )
    except limit_services.LimitReached as error:
        form.username.errors.append(
            "Too many accounts were made from this network in the last hour. "
            f"Try again in {error.minutes} minutes, or ask your teacher."
        )
        return render_template("accounts/signup.html", form=form), 429
    password_hash = services.hash_password(form.password.data)
    db.session.rollback()  # end the read snapshot before taking the write lock
    with write_transaction():
        try:
            user = services.create_user(
                form.username.data,
                "",
                password_hash=password_hash,
                now=now,
                display_name=form.display_name.data or "",
            )
        except services.UsernameTaken as error:  # taken since the form was checked
            form.username.errors.append(str(error))
            return render_template("accounts/signup.html", form=form)
        if form.join_code.data:
            class_services.join_class_by_code(user, form.join_code.data, now=now)
        limit_services.record_event(SIGNUP, address=address, now=now)
        db.session.commit()
    _start_session(user)
    flash("Your account is ready.", "success")
    return redirect(url_for("home.index"))


@bp.route("/login", methods=["GET", "POST"])
@read_transaction()  # the password is checked outside the write lock: see below
def login() -> str | tuple[str, int] | Response:
    """Log in with a username and password."""
    if current_user.is_authenticated:
        return redirect(url_for("home.index"))
    form = LogInForm()
    if not form.validate_on_submit():
        return render_template("accounts/login.html", form=form)
    now = utcnow()
    key = services.username_key(form.username.data)
    address = request.remote_addr or ""
    known = _known_accounts()
    policy = _login_policy()
    history = limit_services.login_history(
        key, address, known_device=key in known, policy=policy, now=now
    )
    wait = login_wait(history, policy, now=now)
    if wait is not None:
        minutes = max(1, ceil(wait.total_seconds() / 60))
        form.password.errors.append(
            "Too many wrong passwords for this username. "
            f"Try again in {minutes} minute{'s' if minutes > 1 else ''}, "
            "or ask your teacher for help."
        )
        return render_template("accounts/login.html", form=form), 429
    # scrypt runs here, in a read transaction: SQLite's one write lock is taken only
    # for the short write below, so log-ins do not queue every other save.
    user = services.authenticate(form.username.data, form.password.data)
    db.session.rollback()  # end the read snapshot before taking the write lock
    with write_transaction():
        if user is None:
            limit_services.record_login_failure(key, address, now=now)
        else:
            limit_services.clear_login_failures(key, address)
        db.session.commit()
    if user is None:
        form.password.errors.append("The username or password is not right.")
        return render_template("accounts/login.html", form=form)
    _start_session(user)
    response = redirect(_safe_next(url_for("home.index")))
    _remember_device(response, key, known)
    return response


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
