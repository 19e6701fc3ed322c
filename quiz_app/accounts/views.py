"""Web layer: sign up, log in and out, the first-run setup, the account page, password
changes and resets, a student's data export; the teacher's account pages under /teach.
"""

from __future__ import annotations

import json
from datetime import timedelta
from math import ceil
from random import SystemRandom

from flask import (
    Blueprint,
    Flask,
    abort,
    current_app,
    flash,
    g,
    make_response,
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
from quiz_app.accounts.decorators import teacher_required
from quiz_app.accounts.forms import (
    ChangePasswordForm,
    CreateTeacherForm,
    DeleteAccountForm,
    EditAccountForm,
    LogInForm,
    ResetPasswordForm,
    SetUpForm,
    SignUpForm,
)
from quiz_app.accounts.models import Role, User
from quiz_app.audit import audit
from quiz_app.classes import services as class_services
from quiz_app.clock import utcnow
from quiz_app.extensions import db, read_transaction, write_transaction
from quiz_app.forms import EmptyForm
from quiz_app.limits import services as limit_services
from quiz_app.limits.policy import SIGNUP, LoginPolicy, login_wait
from quiz_app.markdown import is_same_origin_url
from quiz_app.progress import erasure, export
from quiz_app.quiz import windows
from quiz_app.web import public_url_for

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


#: Reset codes are secrets: drawn from the OS's random source.
_rng = SystemRandom()


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
    if request.endpoint in _NOT_ACTIVITY:
        return
    # Load the user in a plain read, not in the POST's write transaction: a view that
    # reads and grades before it writes (``read_transaction``) would otherwise hold
    # SQLite's one write lock from here on.
    with read_transaction():
        authenticated = current_user.is_authenticated
    if not authenticated:
        return
    now = utcnow()
    due = services.is_activity_due(current_user, now=now)
    user_id = current_user.id
    if due:
        db.session.rollback()  # end the read that loaded the user
        with write_transaction():
            services.record_activity(user_id, now=now)
            db.session.commit()
    elif request.method not in ("GET", "HEAD", "OPTIONS"):
        # End the read, so the view's transaction begins with the view's own intent.
        db.session.rollback()


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


#: A browser that has logged in to an account carries this signed cookie naming it,
#: so wrong passwords from its address (a shared lab PC, a school NAT) cannot lock the
#: owner out (OWASP's "device cookie").
KNOWN_DEVICE_COOKIE = "quiz_known"
_KNOWN_DEVICE_ACCOUNTS = 5
_KNOWN_DEVICE_MAX_AGE_S = 180 * 24 * 3600


def _device_serializer() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(
        current_app.config["SECRET_KEY"], salt="quiz-known-device"
    )


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
def setup() -> str | tuple[str, int] | Response:
    """Create the first teacher (the administrator), with the token `serve` printed."""
    if services.count_teachers() > 0:
        return redirect(url_for("home.index"))
    form = SetUpForm()
    if request.method == "GET":
        form.token.data = request.args.get("token", "")[:200]
    if not services.is_valid_setup_token(form.token.data or ""):
        return render_template("accounts/setup_locked.html"), 403
    if form.validate_on_submit():
        user = services.create_user(
            form.username.data,
            form.password.data,
            role=Role.TEACHER,
            now=utcnow(),
            display_name=form.display_name.data or "",
            is_admin=True,
            timezone=current_app.config["DEFAULT_TIMEZONE"],
        )
        services.clear_setup_tokens()
        db.session.commit()
        mark_setup_done(current_app)
        _start_session(user)
        audit("account.setup", created_user_id=user.id, username=user.username)
        flash("Welcome! Your teacher account is ready.", "success")
        return redirect(url_for("teacher.classes.index"))
    return render_template("accounts/setup.html", form=form)


@bp.route("/signup", methods=["GET", "POST"])
@read_transaction()  # checks and hashing first; the write lock only for the insert
def signup() -> str | tuple[str, int] | Response:
    """Create a student account and log it in."""
    if current_user.is_authenticated:
        return redirect(url_for("home.index"))
    # The zone shown before the browser's own is known (static/js/timezone.js).
    form = SignUpForm(timezone=current_app.config["DEFAULT_TIMEZONE"])
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
                timezone=form.timezone.data,
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
        audit(
            "login.refused",
            username=services.username_for_audit(key),
            wait_s=ceil(wait.total_seconds()),
        )
        return render_template("accounts/login.html", form=form), 429
    # The hashing runs here, in a read transaction: SQLite's one write lock is taken
    # only for the short write below, so log-ins do not queue every other save.
    user = services.authenticate(form.username.data, form.password.data)
    rehash = None
    if user is not None:
        new_hash = services.rehashed_password(user, form.password.data)
        if new_hash is not None:
            rehash = (user.id, user.password_hash, new_hash)
    db.session.rollback()  # end the read snapshot before taking the write lock
    with write_transaction():
        if user is None:
            limit_services.record_login_failure(key, address, now=now)
        else:
            limit_services.clear_login_failures(key, address)
            if rehash is not None:
                services.store_rehashed_password(*rehash)
        db.session.commit()
    if user is None:
        audit("login.failure", username=services.username_for_audit(key))
        form.password.errors.append("The username or password is not right.")
        return render_template("accounts/login.html", form=form)
    _start_session(user)
    audit("login.success", username=user.username)
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


# --------------------------------------------------------------------------------------
# The account page


@bp.route("/", methods=["GET", "POST"])
@login_required
def index() -> str | Response:
    """Show and edit the user's name and time zone, with links to the other account
    actions.
    """
    form = EditAccountForm(obj=current_user)
    if form.validate_on_submit():
        services.update_profile(
            current_user,
            display_name=form.display_name.data or "",
            timezone=form.timezone.data,
        )
        db.session.commit()
        flash("Saved.", "success")
        return redirect(url_for(".index"))
    return render_template("accounts/index.html", form=form)


@bp.route("/password", methods=["GET", "POST"])
@login_required
def change_password() -> str | Response:
    """Change the password; every other session of the user ends."""
    form = ChangePasswordForm(username=current_user.username)
    if form.validate_on_submit():
        try:
            services.change_password(
                current_user, current=form.current.data, new=form.password.data
            )
        except services.WrongPassword as error:
            form.current.errors.append(str(error))
        else:
            db.session.commit()
            # The new session token logged every cookie out, this one too: log this
            # browser in again on a fresh session.
            _start_session(current_user._get_current_object())
            audit("password.change")
            flash(
                "Your password is changed. Any other device you were logged in on "
                "has been logged out.",
                "success",
            )
            return redirect(url_for(".index"))
    return render_template("accounts/change_password.html", form=form)


@bp.route("/delete", methods=["GET", "POST"])
@login_required
def delete() -> str | Response:
    """Delete the user's account after they confirm with their password."""
    if current_user.is_teacher:
        return render_template("accounts/delete.html", form=None)
    form = DeleteAccountForm()
    if form.validate_on_submit():
        if services.authenticate(current_user.username, form.password.data) is None:
            form.password.errors.append("That is not your password.")
        else:
            erasure.erase_user_data(current_user, now=utcnow())
            db.session.commit()
            audit("account.delete")  # the line's user_id is the account's
            logout_user()
            session.clear()
            flash("Your account is deleted.", "info")
            return redirect(url_for("home.index"))
    return render_template("accounts/delete.html", form=form)


# --------------------------------------------------------------------------------------
# Password resets


def _no_store(body: str, status: int = 200) -> Response:
    """A response browsers must not keep: it shows or carries a one-time code."""
    response = make_response(body, status)
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.route("/reset", methods=["GET", "POST"], defaults={"code": None})
@bp.route("/reset/<code>", methods=["GET", "POST"])
def reset(code: str | None) -> Response:
    """Set a new password with a one-time code from a teacher."""
    now = utcnow()
    form = ResetPasswordForm()
    if request.method == "GET" and code:
        form.code.data = code[:40]
    pending = services.get_valid_reset(form.code.data or "", now=now)
    if pending is not None:
        form._username = pending.user.username
    if form.validate_on_submit() and pending is not None:
        try:
            user = services.reset_password(form.code.data, form.password.data, now=now)
        except services.InvalidResetCode as error:
            form.code.errors.append(str(error))
        else:
            db.session.commit()
            audit("password.reset", reset_user_id=user.id, username=user.username)
            if current_user.is_authenticated:
                logout_user()
            session.clear()
            flash(
                f"The password of {user.username} is changed, and every device that "
                "was logged in with it is logged out. Log in with the new password.",
                "success",
            )
            return redirect(url_for(".login"))
    elif form.is_submitted() and pending is None and form.code.data:
        audit("password.reset_refused")
        form.code.errors = [*form.code.errors, str(services.InvalidResetCode())]
    return _no_store(
        render_template(
            "accounts/reset.html",
            form=form,
            pending=pending,
            code_given=bool(code) and request.method == "GET",
            invalid_link=bool(code) and pending is None and request.method == "GET",
        )
    )


# --------------------------------------------------------------------------------------
# A student's data


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


def _require_admin() -> None:
    """Only an administrator adds or removes teachers."""
    if not current_user.is_admin:
        abort(403)


def _issued_page(student: User, code: str, *, back_url: str) -> Response:
    """The reset slip: the link and code, shown this once."""
    return _no_store(
        render_template(
            "teacher/reset_issued.html",
            student=student,
            code=code,
            link=public_url_for("accounts.reset", code=code),
            reset_url=public_url_for("accounts.reset"),
            expires=windows.formatter(current_user.timezone, now=utcnow())(
                utcnow() + services.RESET_LIFETIME
            ),
            back_url=back_url,
        )
    )


@teach_bp.post("/classes/<int:class_id>/students/<int:user_id>/reset")
@teacher_required
def issue_reset(class_id: int, user_id: int) -> Response:
    """Make a one-time password reset link for a student of the class; show it once."""
    school_class = class_services.get_class_for_teacher(class_id, current_user)
    student = school_class and class_services.get_student(school_class, user_id)
    if not student:
        abort(404)
    if not EmptyForm().validate_on_submit():
        abort(400)
    code = services.issue_password_reset(
        student, issued_by=current_user, now=utcnow(), rng=_rng
    )
    db.session.commit()
    audit("password.reset_issued", for_user_id=student.id, class_id=class_id)
    return _issued_page(
        student,
        code,
        back_url=url_for(
            "teacher.classes.student", class_id=class_id, user_id=student.id
        ),
    )


@teach_bp.get("/teachers")
@teacher_required
def teachers() -> str:
    """List the teachers; an administrator adds and removes them here."""
    everyone = services.list_teachers()
    return render_template(
        "teacher/teachers.html",
        teachers=everyone,
        admins=[t.name for t in everyone if t.is_admin],
        button=EmptyForm(),
    )


@teach_bp.route("/teachers/new", methods=["GET", "POST"])
@teacher_required
def create_teacher() -> str | Response:
    """Create another teacher account (administrators only)."""
    _require_admin()
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
        audit("teacher.create", created_user_id=user.id, username=user.username)
        flash(f"Teacher account {user.username} created.", "success")
        return redirect(url_for(".teachers"))
    return render_template("teacher/create_teacher.html", form=form)


@teach_bp.route("/teachers/<int:teacher_id>/remove", methods=["GET", "POST"])
@teacher_required
def remove_teacher(teacher_id: int) -> str | Response:
    """Remove a teacher after a confirmation; their classes pass to you."""
    _require_admin()
    teacher = services.get_teacher(teacher_id)
    if teacher is None or teacher.id == current_user.id:
        abort(404)
    form = EmptyForm()
    if form.validate_on_submit():
        name = teacher.name
        moved = class_services.transfer_classes(teacher, to=current_user)
        erasure.erase_user_data(teacher, now=utcnow())
        db.session.commit()
        audit("teacher.remove", removed_user_id=teacher_id, classes_moved=moved)
        flash(
            f"{name} is removed; {moved} class{'' if moved == 1 else 'es'} passed to "
            "you.",
            "success",
        )
        return redirect(url_for(".teachers"))
    return render_template(
        "teacher/confirm.html",
        heading=f"Remove the teacher {teacher.name}?",
        explanation=[
            f"{teacher.name} ({teacher.username}) will no longer be able to log in. "
            "Their account is deleted as a student's would be: the name goes, and "
            "nothing of it can be brought back.",
            "Their classes, with every student and assignment, pass to you.",
        ],
        action=url_for(".remove_teacher", teacher_id=teacher.id),
        form=form,
        confirm_label="Remove the teacher",
        cancel_url=url_for(".teachers"),
        danger=True,
    )


@teach_bp.post("/teachers/<int:teacher_id>/reset")
@teacher_required
def issue_teacher_reset(teacher_id: int) -> Response:
    """Make a one-time password reset link for another teacher (administrators only)."""
    _require_admin()
    teacher = services.get_teacher(teacher_id)
    if teacher is None or teacher.id == current_user.id:
        abort(404)
    if not EmptyForm().validate_on_submit():
        abort(400)
    code = services.issue_password_reset(
        teacher, issued_by=current_user, now=utcnow(), rng=_rng
    )
    db.session.commit()
    audit("password.reset_issued", for_user_id=teacher.id)
    return _issued_page(teacher, code, back_url=url_for(".teachers"))
