"""Web layer: images that banks keep beside their YAML files; the teacher's bank pages
under /teach (files and their status, upload, reload, a bank's questions, preview).
"""

from __future__ import annotations

import functools
import os
from pathlib import Path

from flask import (
    Blueprint,
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    send_file,
    url_for,
)
from flask_login import current_user
from werkzeug.wrappers import Response

from quiz_app import dates, interchange
from quiz_app.accounts.decorators import teacher_required
from quiz_app.audit import audit
from quiz_app.banks import ownership, services, uploads
from quiz_app.banks.access import can_edit_bank
from quiz_app.banks.forms import AddCoOwnerForm, BankStateForm, UploadBankForm
from quiz_app.banks.imagefiles import safe_image_path
from quiz_app.banks.models import Bank
from quiz_app.banks.schema import BANK_SUFFIXES, IMAGE_EXTENSIONS, BankError, Problem
from quiz_app.classes import gradebook
from quiz_app.clock import utcnow
from quiz_app.extensions import db
from quiz_app.forms import EmptyForm
from quiz_app.interchange import services as interchange_services
from quiz_app.questions.grading import QUESTION_TYPES
from quiz_app.quiz import marking
from quiz_app.quiz import queries as quiz_queries
from quiz_app.quiz.forms import make_answer_form
from quiz_app.web import bank_file_name

bp = Blueprint("banks", __name__, url_prefix="/banks")
#: The teacher's pages, nested under /teach (see accounts.decorators).
teach_bp = Blueprint("banks", __name__)

#: Only these files are served, whatever else lies beside a bank.
IMAGE_SUFFIXES = frozenset(IMAGE_EXTENSIONS)
#: Lines of a conversion report flashed after an upload (the CLI prints them all).
MAX_REPORT_LINES = 25


@bp.get("/<bank_id>/media/<path:filename>")
def media(bank_id: str, filename: str) -> Response:
    """Serve an image that a bank's questions refer to (and no other file)."""
    if Path(
        filename
    ).suffix.lower() not in IMAGE_SUFFIXES or filename not in services.bank_image_files(
        bank_id
    ):
        abort(404)
    if uploads.is_uploaded(bank_id):
        image = uploads.get_uploaded_image(bank_id, filename) or abort(404)
        response = Response(image.data, mimetype=image.media_type)
        response.cache_control.public = True
        response.cache_control.max_age = 3600
        response.set_etag(image.sha256)
        response.make_conditional(request)
    else:
        folder = services.get_bank_folder(bank_id)
        path = safe_image_path(Path(folder), filename) if folder else None
        if path is None:
            abort(404)  # a symlink, or a path out of the bank's folder
        response = send_file(path, max_age=3600)
    # An SVG could carry script: the page's CSP forbids it there, this header covers
    # a direct visit to the file.
    response.headers["Content-Security-Policy"] = (
        "default-src 'none'; style-src 'unsafe-inline'"
    )
    return response


# --------------------------------------------------------------------------------------
# The teacher's bank pages (/teach/...)


def _bank_paths() -> list[str]:
    return [p for p in str(current_app.config["BANKS_DIR"]).split(os.pathsep) if p]


def _render_banks(
    form: UploadBankForm,
    problems: list[object] | None = None,
    report: list[str] | None = None,
) -> str:
    return render_template(
        "teacher/banks.html",
        files=uploads.list_bank_files(
            _bank_paths(), max_bytes=current_app.config["MAX_BANK_BYTES"]
        ),
        banks=services.list_banks(include_retired=True),
        form=form,
        upload_problems=problems or [],
        conversion_report=report or [],
        button=EmptyForm(),
        max_bytes=min(
            current_app.config["MAX_BANK_BYTES"],
            current_app.config["MAX_CONTENT_LENGTH"]
            or current_app.config["MAX_BANK_BYTES"],
        ),
    )


@teach_bp.get("/banks")
@teacher_required
def banks() -> str:
    """List the bank files with their validation status, and the upload form."""
    return _render_banks(UploadBankForm())


@teach_bp.post("/banks/upload")
@teacher_required
def upload_bank() -> str | tuple[str, int] | Response:
    """Check an uploaded bank and import it if valid; show every problem otherwise."""
    form = UploadBankForm()
    if not form.validate_on_submit():
        return _render_banks(form), 400
    max_bytes = current_app.config["MAX_BANK_BYTES"]
    raw = form.file.data.read(max_bytes + 1)
    filename = os.path.basename(form.file.data.filename or "upload.yaml")
    report: list[str] = []
    if not filename.lower().endswith((*BANK_SUFFIXES, ".zip")):
        # Another tool's file: converted to a YAML bank, then checked like any upload.
        try:
            conversion = interchange.convert(
                raw, filename=filename, max_bytes=max_bytes
            )
        except interchange.ConvertError as error:
            return _render_banks(form, [Problem(filename, 0, 0, str(error))]), 422
        raw = conversion.yaml_text.encode("utf-8")
        report = conversion.report.lines()
        filename = f"{conversion.bank_id}.yaml"
    try:
        bank, summary = uploads.upload_bank(
            raw,
            filename=filename,
            bank_paths=_bank_paths(),
            max_bytes=max_bytes,
            max_image_bytes=current_app.config["MAX_IMAGE_BYTES"],
            now=utcnow(),
            uploader=current_user._get_current_object(),
        )
    except BankError as error:
        audit("bank.upload_refused", filename=filename, problems=len(error.problems))
        return _render_banks(form, list(error.problems), report), 422
    db.session.commit()
    audit(
        "bank.upload",
        bank_id=bank.id,
        filename=filename,
        imported=summary.banks_imported,
        created=summary.created,
        updated=summary.updated,
        retired=summary.retired,
    )
    if summary.banks_imported:
        flash(f"Imported {bank.title}: {summary}.", "success")
    else:
        flash(f"{bank.title} is already imported as it is: nothing changed.", "info")
    for warning in summary.warnings:
        flash(f"Check this: {warning}", "warning")
    shown = report[:MAX_REPORT_LINES]
    if len(report) > len(shown):
        shown.append(
            f"… and {len(report) - len(shown)} more: run 'quiz-app banks convert' on "
            "the file to see them all."
        )
    for line in shown:
        flash(line, "info")
    return redirect(url_for(".banks"))


@teach_bp.get("/banks/<bank_id>/export/<fmt>")
@teacher_required
def export_bank(bank_id: str, fmt: str) -> Response:
    """Download a bank as Moodle GIFT or XML, CSV or an Anki package."""
    if fmt not in interchange.EXPORT_FORMATS:
        abort(404)
    bank = interchange_services.get_export_bank(bank_id) or abort(404)
    result = interchange.export(bank, fmt, now=utcnow())
    return Response(
        result.data,
        mimetype=result.mimetype,
        headers={"Content-Disposition": f'attachment; filename="{result.filename}"'},
    )


@teach_bp.post("/banks/reload")
@teacher_required
def reload_banks() -> Response:
    """Import every valid bank file and uploaded bank again (progress is kept by id)."""
    if EmptyForm().validate_on_submit():
        summary, problems = uploads.import_all_banks(
            _bank_paths(),
            max_bytes=current_app.config["MAX_BANK_BYTES"],
            now=utcnow(),
        )
        db.session.commit()
        audit(
            "bank.reload",
            imported=summary.banks_imported,
            unchanged=summary.banks_unchanged,
            problems=len(problems),
        )
        flash(f"Banks reloaded: {summary}.", "success")
        if problems:
            flash(
                f"{len(problems)} problems: files with problems were left out.",
                "warning",
            )
    return redirect(url_for(".banks"))


@teach_bp.get("/banks/<bank_id>")
@teacher_required
def bank_detail(bank_id: str) -> str:
    """List a bank's questions with links to preview each; its owners and, for those
    who may change it, the co-owner, hide and archive controls.
    """
    bank = services.get_bank(bank_id) or abort(404)
    return _render_bank(bank, AddCoOwnerForm())


def _render_bank(bank: Bank, co_owner_form: AddCoOwnerForm) -> str:
    return render_template(
        "teacher/bank_detail.html",
        bank=bank,
        questions=services.list_questions(bank.id),
        cards=services.list_cards(bank.id),
        quizzes=[z for z in services.list_quizzes(bank_id=bank.id) if not z.is_default],
        can_edit=can_edit_bank(current_user, bank),
        types=QUESTION_TYPES,
        co_owner_form=co_owner_form,
        state_form=BankStateForm(formdata=None),
        button=EmptyForm(),
    )


def _editable_bank(bank_id: str) -> Bank:
    """The bank, if the current teacher may change it: 404 if unknown, 403 if not."""
    bank = services.get_bank(bank_id) or abort(404)
    if not can_edit_bank(current_user, bank):
        abort(403)
    return bank


@teach_bp.get("/banks/<bank_id>/download")
@teacher_required
def download_bank(bank_id: str) -> Response:
    """Download the bank's YAML file as it was last imported."""
    bank = services.get_bank(bank_id) or abort(404)
    if uploads.is_uploaded(bank.id):  # in the database, whichever server asks
        raw: bytes | None = uploads.read_bank_source(bank.id).encode("utf-8")
    else:
        raw = ownership.read_bank_file(
            bank, max_bytes=current_app.config["MAX_BANK_BYTES"]
        )
    if raw is None:
        flash("This bank's file is no longer on the server.", "warning")
        return redirect(url_for(".bank_detail", bank_id=bank.id))
    return Response(
        raw,
        mimetype="application/yaml",
        headers={"Content-Disposition": f'attachment; filename="{bank.id}.yaml"'},
    )


@teach_bp.post("/banks/<bank_id>/co-owners")
@teacher_required
def add_co_owner(bank_id: str) -> str | tuple[str, int] | Response:
    """Let another teacher change this bank too."""
    bank = _editable_bank(bank_id)
    form = AddCoOwnerForm()
    if not form.validate_on_submit():
        return _render_bank(bank, form), 400
    problem = ownership.add_co_owner(bank, form.username.data or "", now=utcnow())
    if problem:
        form.username.errors = [problem]
        return _render_bank(bank, form), 422
    db.session.commit()
    flash(f"{form.username.data} is now a co-owner of {bank.title}.", "success")
    return redirect(url_for(".bank_detail", bank_id=bank.id))


@teach_bp.post("/banks/<bank_id>/co-owners/<int:user_id>/remove")
@teacher_required
def remove_co_owner(bank_id: str, user_id: int) -> Response:
    """Take a co-owner off this bank (the owner stays)."""
    bank = _editable_bank(bank_id)
    if EmptyForm().validate_on_submit():
        if ownership.remove_co_owner(bank, user_id):
            db.session.commit()
            flash("Co-owner removed.", "success")
        else:
            flash("That teacher is not a co-owner of this bank.", "warning")
    return redirect(url_for(".bank_detail", bank_id=bank.id))


@teach_bp.post("/banks/<bank_id>/state")
@teacher_required
def change_bank_state(bank_id: str) -> Response | tuple[str, int]:
    """Hide the bank from students or show it; archive it or bring it back."""
    bank = _editable_bank(bank_id)
    form = BankStateForm()
    if not form.validate_on_submit():
        return _render_bank(bank, AddCoOwnerForm(formdata=None)), 400
    action = form.action.data
    if action in ("hide", "show"):
        ownership.set_hidden(bank, action == "hide")
        message = (
            "hidden from students" if action == "hide" else "shown to students again"
        )
    elif action == "archive":
        ownership.archive(bank, now=utcnow())
        message = "archived: students no longer see it; their history stays"
    else:
        ownership.unarchive(bank)
        message = "back from the archive"
    db.session.commit()
    flash(f"{bank.title} is {message}.", "success")
    return redirect(url_for(".bank_detail", bank_id=bank.id))


@teach_bp.get("/questions/<question_id>")
@teacher_required
def preview_question(question_id: str) -> str:
    """Show a question exactly as a student sees it, with its answer and explanation."""
    question = services.get_question(question_id) or abort(404)
    item = quiz_queries.preview_question(question)
    form_class = make_answer_form([item])
    return render_template(
        "teacher/preview.html",
        item=item,
        form=form_class(formdata=None),
        attempt={"question_ids": [question.id]},
        answer=services.describe_answer(question),
        sources=services.sources_of(question),
        accepted=marking.list_accepted_answers(question.id),
        bank_file=bank_file_name(question.bank.source_path),
        minute=functools.partial(gradebook.minute, tz_name=current_user.timezone),
        timezone=dates.zone(current_user.timezone).key,
    )


# The form editor's pages register themselves on teach_bp.
from quiz_app.banks.editor import views as _editor_views  # noqa: E402, F401
