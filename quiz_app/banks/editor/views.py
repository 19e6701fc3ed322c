"""Web layer: the teacher's form editor of a bank (under /teach/banks/<id>/edit/...):
one question, card or quiz at a time, written into the bank's YAML file, which stays
the source of truth (downloadable, editable in a text editor, uploadable again).

The routes live on :data:`quiz_app.banks.views.teach_bp`.
"""

from __future__ import annotations

import functools
import json
from types import SimpleNamespace
from typing import Any, cast

from flask import (
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_login import current_user
from werkzeug.wrappers import Response

from quiz_app.accounts.decorators import teacher_required
from quiz_app.banks import editing, itemform, services, uploads
from quiz_app.banks.access import can_edit_bank
from quiz_app.banks.loader import parse_bank
from quiz_app.banks.models import Bank
from quiz_app.banks.schema import BankError, Problem
from quiz_app.banks.schema import Card as SchemaCard
from quiz_app.banks.schema import Question as SchemaQuestion
from quiz_app.banks.views import teach_bp
from quiz_app.banks.wording import teacher_problems
from quiz_app.clock import utcnow
from quiz_app.extensions import db
from quiz_app.forms import EmptyForm
from quiz_app.questions.grading import QUESTION_TYPES
from quiz_app.quiz import selection
from quiz_app.quiz.forms import make_answer_form
from quiz_app.quiz.records import PresentedQuestion
from quiz_app.web import bank_file_name

#: Lines of problems flashed when a move or a deletion cannot be saved.
MAX_FLASHED = 10


# --------------------------------------------------------------------------------------
# The form editor: one question, card or quiz at a time, written into the bank's YAML

#: What each list's entries are called on the pages.
ENTRY_NOUNS = {"questions": "question", "cards": "card", "quizzes": "quiz"}


def _editable_bank(bank_id: str, section: str) -> Bank:
    """The bank, if the list exists and the teacher may edit it (404 / 403)."""
    if section not in editing.SECTIONS:
        abort(404)
    bank = services.get_bank(bank_id) or abort(404)
    if not can_edit_bank(current_user, bank):
        abort(403)
    return bank


def _bank_paths() -> list[str]:
    return services.configured_bank_paths(str(current_app.config["BANKS_DIR"]))


def _source(bank: Bank) -> str:
    try:
        return uploads.read_bank_source(bank.id)
    except LookupError:
        abort(404)


def _fields(bank: Bank, section: str, type_key: str | None) -> list[itemform.FormField]:
    return itemform.form_fields(
        section,
        type_key=type_key,
        topics=bank.topics,
        sources={k: str(s.get("title", k)) for k, s in bank.sources.items()},
    )


def _parsed_entry(
    text: str, section: str, item_id: str
) -> SchemaQuestion | SchemaCard | None:
    """The loader's question or card ``item_id`` in ``text`` (None if it does not
    load)."""
    try:
        parsed = parse_bank(text, source="bank.yaml")
    except BankError:
        return None
    entries: tuple[SchemaQuestion | SchemaCard, ...] = (
        parsed.questions
        if section == "questions"
        else parsed.cards
        if section == "cards"
        else ()
    )
    return next((e for e in entries if e.id == item_id), None)


def _draft_item(entry: object) -> PresentedQuestion | None:
    """A question not saved yet, as a student would see it."""
    if not isinstance(entry, SchemaQuestion):
        return None
    draft = SimpleNamespace(
        id=entry.id,
        type=entry.type,
        prompt=entry.prompt,
        explanation=entry.explanation,
        image=entry.image,
        bank_id="",
        data=json.loads(json.dumps(dict(entry.data))),
    )
    return PresentedQuestion(
        position=0,
        question=cast(Any, draft),
        options=selection.presented_options(
            entry.type,
            draft.data,
            rng=selection.attempt_rng(0, f"options:{entry.id}"),
        ),
        answer=None,
    )


def _render_editor(
    bank: Bank,
    section: str,
    *,
    item_id: str | None,
    type_key: str | None,
    fields: list[itemform.FormField],
    values: dict[str, Any],
    errors: dict[str, str] | None = None,
    problems: list[Problem] | None = None,
    preview: object | None = None,
    status: int = 200,
) -> tuple[str, int]:
    worded = teacher_problems(problems or [])
    names = [f.name for f in fields]
    field_problems: dict[str, list[str]] = {}
    for p in worded:
        if p.section == section and p.item_id in (item_id, values.get("id")):
            name = itemform.field_of(p.message, names)
            if name:
                field_problems.setdefault(name, []).append(
                    f"Line {p.line}: {p.message}"
                )
    item = _draft_item(preview) if preview is not None else None
    answer = sources = None
    if isinstance(preview, SchemaQuestion):
        answer = QUESTION_TYPES[preview.type].describe_answer(preview.data)
        sources = [bank.sources[k] for k in preview.sources if k in bank.sources]
    return render_template(
        "teacher/bank_edit_item.html",
        bank=bank,
        section=section,
        noun=ENTRY_NOUNS[section],
        item_id=item_id,
        type_key=type_key,
        type_label=QUESTION_TYPES[type_key].label if type_key else None,
        fields=fields,
        values=values,
        errors=errors or {},
        problems=worded,
        field_problems=field_problems,
        open_fields=[
            f.name
            for f in fields
            if f.name in (errors or {})
            or f.name in field_problems
            or (values.get(f.name) not in (None, "", []) and f.widget != "choice")
        ],
        previewing=preview is not None,
        item=item,
        answer=answer,
        sources=sources or [],
        form=make_answer_form([item])(formdata=None) if item else None,
        attempt={"question_ids": [item_id or ""]},
        button=EmptyForm(),
    ), status


def _save_entry(
    bank: Bank,
    section: str,
    *,
    item_id: str | None,
    type_key: str | None,
) -> str | tuple[str, int] | Response:
    """Read the submitted form, write it into the bank's YAML, check, save, import."""
    if not EmptyForm().validate_on_submit():  # the CSRF token
        abort(400)
    text = _source(bank)
    fields = _fields(bank, section, type_key)
    old = editing.get_item(text, section, item_id) if item_id else None
    fixed: dict[str, Any] = {"id": item_id} if item_id else {}
    if type_key:
        fixed["type"] = type_key
    submitted = request.form.to_dict(flat=False)
    values = {
        k: (v if k in {f.name for f in fields if f.widget == "checkboxes"} else v[0])
        for k, v in submitted.items()
    }
    values.update({k: v for k, v in fixed.items()})
    entry, errors = itemform.read_form(fields, submitted, old=old, fixed=fixed)
    render = functools.partial(
        _render_editor,
        bank,
        section,
        item_id=item_id,
        type_key=type_key,
        fields=fields,
        values=values,
        errors=errors,
    )
    previewing = request.form.get("action") == "preview"
    if errors:  # a preview still shows the Markdown typed so far
        return render(status=400, preview=False if previewing else None)
    try:
        new_text = (
            editing.replace_item(text, section, item_id, entry)
            if item_id
            else editing.add_item(text, section, entry)
        )
    except editing.EditError as error:
        return render(problems=[Problem("bank.yaml", 0, 0, str(error))], status=422)
    entry_id = str(entry.get("id", ""))
    if previewing:
        try:
            parse_bank(new_text, source=bank_file_name(bank.source_path))
        except BankError as error:
            return render(problems=list(error.problems), preview=False)
        return render(preview=_parsed_entry(new_text, section, entry_id) or False)
    try:
        uploads.save_edited_bank(
            bank.id,
            new_text,
            bank_paths=_bank_paths(),
            max_bytes=current_app.config["MAX_BANK_BYTES"],
            now=utcnow(),
            editor=current_user,
        )
    except BankError as error:
        db.session.rollback()
        return render(problems=list(error.problems), status=422)
    db.session.commit()
    flash(f"Saved {ENTRY_NOUNS[section]} {entry_id} in {bank.title}.", "success")
    return redirect(url_for(".bank_detail", bank_id=bank.id))


@teach_bp.route("/banks/<bank_id>/edit/<section>/new", methods=["GET", "POST"])
@teacher_required
def new_item(bank_id: str, section: str) -> str | tuple[str, int] | Response:
    """Write a new question (of the type chosen), card or quiz into the bank."""
    bank = _editable_bank(bank_id, section)
    type_key = request.args.get("type") if section == "questions" else None
    if section == "questions" and type_key not in QUESTION_TYPES:
        return render_template(
            "teacher/bank_new_question.html", bank=bank, types=QUESTION_TYPES
        )
    if request.method == "POST":
        return _save_entry(bank, section, item_id=None, type_key=type_key)
    fields = _fields(bank, section, type_key)
    return _render_editor(
        bank,
        section,
        item_id=None,
        type_key=type_key,
        fields=fields,
        values=itemform.form_values(fields, {}),
    )


@teach_bp.route("/banks/<bank_id>/edit/<section>/<item_id>", methods=["GET", "POST"])
@teacher_required
def edit_item(
    bank_id: str, section: str, item_id: str
) -> str | tuple[str, int] | Response:
    """Edit one question, card or quiz of the bank in a form."""
    bank = _editable_bank(bank_id, section)
    text = _source(bank)
    try:
        written = editing.get_item(text, section, item_id)
    except editing.EditError:
        abort(404)
    type_key = str(written.get("type")) if section == "questions" else None
    if type_key is not None and type_key not in QUESTION_TYPES:
        abort(404)
    if request.method == "POST":
        return _save_entry(bank, section, item_id=item_id, type_key=type_key)
    fields = _fields(bank, section, type_key)
    entry = _parsed_entry(text, section, item_id)
    values = itemform.form_values(
        fields, itemform.loader_values(section, entry, written)
    )
    return _render_editor(
        bank, section, item_id=item_id, type_key=type_key, fields=fields, values=values
    )


def _write(bank: Bank, new_text: str, done: str) -> Response:
    try:
        uploads.save_edited_bank(
            bank.id,
            new_text,
            bank_paths=_bank_paths(),
            max_bytes=current_app.config["MAX_BANK_BYTES"],
            now=utcnow(),
            editor=current_user,
        )
    except BankError as error:
        db.session.rollback()
        for problem in teacher_problems(error.problems)[:MAX_FLASHED]:
            flash(f"Not saved: {problem}", "error")
        return redirect(url_for(".bank_detail", bank_id=bank.id))
    db.session.commit()
    flash(done, "success")
    return redirect(url_for(".bank_detail", bank_id=bank.id))


@teach_bp.post("/banks/<bank_id>/edit/<section>/<item_id>/move")
@teacher_required
def move_item(bank_id: str, section: str, item_id: str) -> Response:
    """Move a question, card or quiz one place up or down in the file."""
    bank = _editable_bank(bank_id, section)
    step = {"up": -1, "down": 1}.get(request.form.get("to", ""))
    if not EmptyForm().validate_on_submit() or step is None:
        abort(400)
    text = _source(bank)
    try:
        ids = editing.item_ids(text, section)
        new_text = editing.move_item(text, section, item_id, ids.index(item_id) + step)
    except (editing.EditError, ValueError):
        abort(404)
    if new_text == text:
        return redirect(url_for(".bank_detail", bank_id=bank.id))
    return _write(bank, new_text, f"Moved {item_id} {request.form['to']}.")


@teach_bp.route(
    "/banks/<bank_id>/edit/<section>/<item_id>/remove", methods=["GET", "POST"]
)
@teacher_required
def remove_item(bank_id: str, section: str, item_id: str) -> str | Response:
    """Delete a question, card or quiz from the bank's file (after a confirmation)."""
    bank = _editable_bank(bank_id, section)
    text = _source(bank)
    try:
        new_text = editing.delete_item(text, section, item_id)
    except editing.EditError:
        abort(404)
    form = EmptyForm()
    if not form.validate_on_submit():
        noun = ENTRY_NOUNS[section]
        return render_template(
            "teacher/confirm.html",
            heading=f"Delete the {noun} {item_id}?",
            explanation=[
                f"It is removed from {bank_file_name(bank.source_path)} and retired: "
                "students keep their past answers and scores, but no quiz draws it "
                "again.",
                "Download the bank's YAML first if you may want it back.",
            ],
            action=url_for(
                ".remove_item", bank_id=bank.id, section=section, item_id=item_id
            ),
            form=form,
            danger=True,
            confirm_label=f"Delete the {noun}",
            cancel_url=url_for(
                ".edit_item", bank_id=bank.id, section=section, item_id=item_id
            ),
        )
    return _write(bank, new_text, f"Deleted {item_id} from {bank.title}.")
