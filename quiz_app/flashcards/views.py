"""Web layer: the flashcard review session, undo and study settings.

Every page works without JavaScript: revealing is a GET, rating and undo are POST
forms followed by a redirect. ``static/js/flashcards.js`` sends the same requests
with an ``X-Requested-With: fetch`` header and gets the study region alone back
(no redirect), to swap it in without reloading the page.
"""

from __future__ import annotations

from random import Random
from typing import Any

from flask import (
    Blueprint,
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_login import current_user, login_required
from itsdangerous import BadSignature, URLSafeSerializer
from werkzeug.wrappers import Response

from quiz_app.classes import banks as class_banks
from quiz_app.clock import utcnow
from quiz_app.extensions import db
from quiz_app.flashcards import queue, services
from quiz_app.flashcards.forms import (
    EditStudySettingsForm,
    RateCardForm,
    UndoReviewForm,
)
from quiz_app.flashcards.scheduler import Rating
from quiz_app.quiz import access as quiz_access

bp = Blueprint("flashcards", __name__, url_prefix="/cards")

ALREADY_RECORDED = "That answer was already recorded; here is the next card."
NEW_LIMIT_REACHED = (
    "You have studied all your new cards for today; here are the cards due."
)


def _shown_serializer() -> URLSafeSerializer:
    return URLSafeSerializer(current_app.config["SECRET_KEY"], salt="flashcard-shown")


def shown_token(user_id: int, card_id: str, review_count: int) -> str:
    """What the answer form says was shown: this student, this card, after this many
    reviews, signed so a rating cannot be posted for a showing that never happened.
    """
    return str(_shown_serializer().dumps([user_id, card_id, review_count]))


def _shown_review_count(token: str, card_id: str) -> int | None:
    """The review count a signed ``shown_token`` names, or None if it is not one for
    this student and card."""
    try:
        user_id, shown_card, count = _shown_serializer().loads(token)
    except (BadSignature, TypeError, ValueError):
        return None
    if (
        user_id != current_user.id
        or shown_card != card_id
        or not isinstance(count, int)
    ):
        return None
    return count


def _study_prefs() -> services.StudyPrefs:
    """The current student's study settings, with the app's default daily limit."""
    return services.get_study_prefs(
        current_user,
        default_new_cards_per_day=current_app.config["DEFAULT_NEW_CARDS_PER_DAY"],
    )


@bp.before_request
@login_required
def _require_login() -> None:
    """Every flashcard page belongs to a logged-in student."""


def _wants_fragment() -> bool:
    return request.headers.get("X-Requested-With") == "fetch"


def _filters() -> dict[str, Any]:
    """The bank/topic choice of this session, as query arguments for every link."""
    return {
        key: value[:80]
        for key in ("bank", "topic")
        if (value := request.args.get(key, "").strip())
    }


def _shown(bank_id: str, shown_banks: set[str] | None) -> bool:
    return shown_banks is None or bank_id in shown_banks


def _render_session(
    *, reveal_card_id: str | None = None, notice: str | None = None
) -> str | Response:
    """Render the study page (or its region alone): the next card or a revealed one."""
    now = utcnow()
    filters = _filters()
    prefs = _study_prefs()
    # the cards of an open test's questions would give its answers away
    held = quiz_access.held_back_question_ids(current_user.id, now=now)
    shown_banks = class_banks.visible_bank_ids(current_user)
    study_queue = services.build_study_queue(
        current_user,
        now=now,
        prefs=prefs,
        bank_id=filters.get("bank"),
        topic=filters.get("topic"),
        held_back=held,
        shown_banks=shown_banks,
    )
    first = study_queue.first
    card_id = reveal_card_id or (first.card_id if first else None)
    study_card = choices = None
    if card_id is not None:
        try:
            study_card = services.get_study_card(
                current_user.id, card_id, now=now, held_back=held
            )
        except services.CardNotInQueue:
            abort(404)
        if not _shown(study_card.card.bank_id, shown_banks) and (
            services.get_progress(current_user.id, card_id) is None
        ):
            abort(404)  # a new card of a bank the student's classes do not show
        if reveal_card_id is not None:
            choices = queue.answer_choices(
                study_card.state, now=now, params=prefs.params
            )
    shown = request.args.get("shown") if reveal_card_id else None
    context: dict[str, Any] = {
        "queue": study_queue,
        "study_card": study_card,
        "choices": choices,
        "filters": filters,
        "shown": shown or str(queue.to_epoch_ms(now)),
        "seen": (
            shown_token(current_user.id, study_card.card.id, study_card.review_count)
            if study_card is not None
            else ""
        ),
        "notice": notice,
        "rate_form": RateCardForm(formdata=None),
        "undo_form": UndoReviewForm(formdata=None),
        "can_undo": services.has_reviews(current_user.id),
    }
    if _wants_fragment():
        response = Response(render_template("flashcards/_session.html", **context))
        response.headers["X-Fragment"] = "study"
        return response
    context["banks"] = services.list_study_banks(shown_banks)
    return render_template("flashcards/review.html", **context)


def _after_post(message: str | None, category: str = "info") -> str | Response:
    """Post/Redirect/Get, or the next card's region straight away for a script."""
    if _wants_fragment():
        return _render_session(notice=message)
    if message:
        flash(message, category)
    return redirect(url_for("flashcards.review", **_filters()))


@bp.get("/")
def review() -> str | Response:
    """Show the front of the next card due for the current student."""
    return _render_session()


@bp.get("/<card_id>/answer")
def reveal(card_id: str) -> str | Response:
    """Show both sides of a card and the four answer buttons with their intervals."""
    return _render_session(reveal_card_id=card_id)


@bp.post("/<card_id>/answer")
def rate(card_id: str) -> str | Response:
    """Record the student's answer to a card and move on to the next one."""
    form = RateCardForm()
    seen = _shown_review_count(form.seen.data or "", card_id)
    if not form.validate() or seen is None:
        return _after_post("That answer could not be read; please try again.", "error")
    now = utcnow()
    prefs = _study_prefs()
    try:
        services.record_review(
            current_user.id,
            card_id,
            Rating(form.rating.data),
            now=now,
            seen_review_count=seen,
            params=prefs.params,
            new_cards_left=services.count_new_cards_left(
                current_user, now=now, prefs=prefs
            ),
            duration_ms=queue.answer_duration_ms(
                queue.from_epoch_ms(form.shown.data), now
            ),
            rng=Random(),
        )
    except (services.CardModified, services.CardNotDue):
        return _after_post(ALREADY_RECORDED)
    except services.NewCardLimitReached:
        return _after_post(NEW_LIMIT_REACHED)
    except services.CardNotInQueue:
        abort(404)
    db.session.commit()
    return _after_post(None)


@bp.post("/undo")
def undo() -> str | Response:
    """Take back the current student's last review."""
    if not UndoReviewForm().validate():
        return _after_post("The form expired; please try again.", "error")
    try:
        services.undo_last_review(current_user.id)
    except services.NothingToUndo:
        return _after_post("There is no review to undo.")
    db.session.commit()
    return _after_post("Last review undone.")


@bp.get("/my-flashcards.apkg")
def download_anki_deck() -> Response:
    """Download your own flashcards (every card in your queue) as an Anki deck."""
    from quiz_app.interchange.anki import build_apkg
    from quiz_app.interchange.services import list_student_notes

    now = utcnow()
    data = build_apkg(
        "Armistice Study: my flashcards",
        deck_key=f"student:{current_user.id}",
        notes=list_student_notes(current_user.id),
        now=now,
    )
    filename = f"armistice-study-{current_user.username}-{now:%Y%m%d}.apkg"
    return Response(
        data,
        mimetype="application/octet-stream",
        headers={"Content-Disposition": f'attachment; filename="{filename}"'},
    )


@bp.route("/settings", methods=["GET", "POST"])
def settings() -> str | Response:
    """Let the student choose desired retention, new cards per day and time zone."""
    prefs = _study_prefs()
    form = EditStudySettingsForm(
        data={
            "desired_retention": round(100 * prefs.desired_retention),
            "new_cards_per_day": prefs.new_cards_per_day,
            "timezone": prefs.timezone,
        }
        if request.method == "GET"
        else None
    )
    if form.validate_on_submit():
        services.update_study_prefs(
            current_user,
            desired_retention=form.desired_retention.data / 100,
            new_cards_per_day=form.new_cards_per_day.data,
            timezone=form.timezone.data,
            now=utcnow(),
        )
        db.session.commit()
        flash("Your study settings are saved.", "success")
        return redirect(url_for("flashcards.settings"))
    return render_template("flashcards/settings.html", form=form)
