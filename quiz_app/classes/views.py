"""Web layer: students join a class by code, from a form or a join link."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, url_for
from flask_login import current_user, login_required
from werkzeug.wrappers import Response

from quiz_app.classes import services
from quiz_app.classes.forms import JoinClassForm
from quiz_app.clock import utcnow
from quiz_app.extensions import db

bp = Blueprint("classes", __name__, url_prefix="/classes")


@bp.route("/join", methods=["GET", "POST"])
@login_required
def join() -> str | Response:
    """Join a class with the code the teacher gave out."""
    form = JoinClassForm()
    if form.validate_on_submit():
        try:
            school_class = services.join_class_by_code(
                current_user, form.code.data, now=utcnow()
            )
        except services.ClassError as error:
            form.code.errors.append(str(error))
        else:
            db.session.commit()
            flash(f"You are in the class {school_class.name}.", "success")
            return redirect(url_for("home.index"))
    return render_template(
        "classes/join.html",
        form=form,
        classes=services.list_classes_for_student(current_user),
    )


@bp.get("/join/<code>")
def join_link(code: str) -> str | Response:
    """Open a join link: a visitor signs up with the code filled in, a student confirms
    joining.
    """
    if not current_user.is_authenticated:
        return redirect(url_for("accounts.signup", code=code))
    form = JoinClassForm(data={"code": code})
    return render_template(
        "classes/join.html",
        form=form,
        invited=services.get_class_by_code(code),
        classes=services.list_classes_for_student(current_user),
    )
