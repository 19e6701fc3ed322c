"""Flashcard services: progress rows <-> the pure scheduler. Flushes, never commits."""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import dataclass
from datetime import datetime
from random import Random
from typing import Any, TypeVar
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import sqlalchemy as sa

from quiz_app import dates, sql
from quiz_app.accounts.models import User
from quiz_app.banks.models import Bank, Card
from quiz_app.extensions import db
from quiz_app.flashcards import queue
from quiz_app.flashcards.bridge import (
    apply_state,
    state_from_json,
    state_to_json,
    state_values,
    to_state,
)
from quiz_app.flashcards.models import CardProgress, ReviewLog, StudySettings
from quiz_app.flashcards.scheduler import (
    CardState,
    Phase,
    Rating,
    SchedulerParams,
    retrievability,
    schedule,
)

_Query = TypeVar("_Query", bound="sa.Select[*tuple[Any, ...]]")

#: New cards per day when neither the student nor the caller (from the app's
#: DEFAULT_NEW_CARDS_PER_DAY) says otherwise.
DEFAULT_NEW_CARDS_PER_DAY = 20
_DEFAULT_RETENTION = 0.9


class FlashcardError(Exception):
    """A user-facing problem with a flashcard operation."""


class CardModified(FlashcardError):
    """The card was answered (or undone) since the page showing it was built."""


class CardNotInQueue(FlashcardError):
    """The card does not exist, is retired, or is not this student's to study."""


class CardNotDue(FlashcardError):
    """The card is not due (beyond the learn-ahead): it was rated already."""


class NewCardLimitReached(FlashcardError):
    """Today's new cards are used up."""


class NothingToUndo(FlashcardError):
    """The student has no review left to undo."""


@dataclass(frozen=True, slots=True)
class StudyPrefs:
    """A student's effective study settings: their own choices or the app defaults."""

    desired_retention: float
    new_cards_per_day: int
    timezone: str

    @property
    def zone(self) -> ZoneInfo:
        return dates.zone(self.timezone)

    @property
    def params(self) -> SchedulerParams:
        return SchedulerParams(desired_retention=self.desired_retention)


def get_progress(user_id: int, card_id: str) -> CardProgress | None:
    """This student's progress row for a card, if the card is in their queue."""
    return db.session.scalar(
        sa.select(CardProgress).where(
            CardProgress.user_id == user_id, CardProgress.card_id == card_id
        )
    )


def enqueue_missed_many(
    user_id: int, question_ids: Sequence[str], *, now: datetime
) -> None:
    """Put every missed question's card into the student's queue, due at once, in a
    fixed number of queries however many there are (a submit of a long quiz).

    Idempotent. A card the student already studies keeps its memory state and only
    becomes due now. A question without a card face (a bank imported before that
    rule) is skipped.
    """
    wanted = list(dict.fromkeys(question_ids))
    card_ids: list[str] = []
    for chunk in _chunks(wanted):
        card_ids += db.session.scalars(
            sa.select(Card.id).where(Card.question_id.in_(chunk))
        )
    existing: dict[str, CardProgress] = {}
    for chunk in _chunks(card_ids):
        for row in db.session.scalars(
            sa.select(CardProgress).where(
                CardProgress.user_id == user_id, CardProgress.card_id.in_(chunk)
            )
        ):
            existing[row.card_id] = row
    template = CardProgress(user_id=user_id, card_id="", added_at=now, origin="missed")
    template.review_count = template.lapse_count = 0
    apply_state(template, CardState.new(now))
    columns = [c.key for c in CardProgress.__table__.columns if c.key != "id"]
    new_rows: list[dict[str, Any]] = []
    for card_id in card_ids:
        found = existing.get(card_id)
        if found is None:
            new_rows.append(
                {**{key: getattr(template, key) for key in columns}, "card_id": card_id}
            )
        elif found.due_at > now:
            found.due_at = now
    if new_rows:  # one executemany, not one INSERT per card
        db.session.execute(sa.insert(CardProgress), new_rows)
    db.session.flush()


def _chunks(values: Sequence[str], size: int = 500) -> list[Sequence[str]]:
    """Slices small enough for any database's limit on bound parameters."""
    return [values[i : i + size] for i in range(0, len(values), size)]


def enqueue_missed(user_id: int, question_id: str, *, now: datetime) -> None:
    """Put a missed quiz question's card into the student's review queue, due at once.

    Idempotent. A card the student already studies keeps its memory state and only
    becomes due now.
    """
    card = db.session.scalar(sa.select(Card).where(Card.question_id == question_id))
    if (
        card is None
    ):  # a question always has a card face; tolerate a bank imported before that rule
        return
    row = get_progress(user_id, card.id)
    if row is None:
        # Insert-or-nothing: the student may rate this card in another tab meanwhile.
        db.session.execute(
            sql.insert(CardProgress)
            .values(
                user_id=user_id,
                card_id=card.id,
                added_at=now,
                origin="missed",
                review_count=0,
                lapse_count=0,
                **state_values(CardState.new(now)),
            )
            .on_conflict_do_nothing(index_elements=["user_id", "card_id"])
        )
    elif row.due_at > now:
        row.due_at = now
    db.session.flush()


# --- settings -------------------------------------------------------------------------


def get_study_prefs(
    user: User, *, default_new_cards_per_day: int = DEFAULT_NEW_CARDS_PER_DAY
) -> StudyPrefs:
    """The student's study settings, falling back to the app's defaults (the caller
    passes the configured daily limit).
    """
    row = db.session.scalar(
        sa.select(StudySettings).where(StudySettings.user_id == user.id)
    )
    if row is not None:
        return StudyPrefs(row.desired_retention, row.new_cards_per_day, user.timezone)
    return StudyPrefs(
        desired_retention=_DEFAULT_RETENTION,
        new_cards_per_day=default_new_cards_per_day,
        timezone=user.timezone,
    )


def update_study_prefs(
    user: User,
    *,
    desired_retention: float,
    new_cards_per_day: int,
    timezone: str,
    now: datetime,
) -> None:
    """Save the student's study settings; the time zone lives on the user.

    :raises ValueError: for a retention or daily limit out of range or an unknown zone.
    """
    SchedulerParams(desired_retention=desired_retention)  # checks the range
    if not 0 <= new_cards_per_day <= 200:
        raise ValueError(f"new cards per day must lie in 0..200: {new_cards_per_day}")
    try:
        ZoneInfo(timezone)
    except ZoneInfoNotFoundError as exc:
        raise ValueError(f"unknown time zone {timezone!r}") from exc
    row = db.session.scalar(
        sa.select(StudySettings).where(StudySettings.user_id == user.id)
    )
    if row is None:
        row = StudySettings(user_id=user.id)
        db.session.add(row)
    row.desired_retention = desired_retention
    row.new_cards_per_day = new_cards_per_day
    row.updated_at = now
    user.timezone = timezone
    db.session.flush()


# --- the queue ------------------------------------------------------------------------


def _active_cards(
    query: _Query,
    *,
    bank_id: str | None,
    topic: str | None,
    held_back: Collection[str] = (),
) -> _Query:
    """Keep live cards of live banks (a query joined to Card), of one bank or topic,
    leaving out the faces of ``held_back`` questions (an open test's).
    """
    query = query.join(Bank, Bank.id == Card.bank_id).where(
        Card.is_retired.is_(False), Bank.is_retired.is_(False)
    )
    if held_back:
        query = query.where(
            sa.or_(Card.question_id.is_(None), Card.question_id.not_in(list(held_back)))
        )
    if bank_id:
        query = query.where(Card.bank_id == bank_id)
    if topic:
        query = query.where(Card.topic == topic)
    return query


def count_new_introduced(user_id: int, *, since: datetime) -> int:
    """Deck cards this student met for the first time at or after ``since``."""
    return (
        db.session.scalar(
            sa.select(sa.func.count())
            .select_from(CardProgress)
            .where(
                CardProgress.user_id == user_id,
                CardProgress.added_at >= since,
                CardProgress.origin == "deck",
            )
        )
        or 0
    )


def list_new_card_ids(
    user_id: int,
    *,
    limit: int,
    bank_id: str | None = None,
    topic: str | None = None,
    held_back: Collection[str] = (),
    shown_banks: Collection[str] | None = None,
) -> list[str]:
    """Deck cards this student has never studied, in deck order, at most ``limit``;
    only of ``shown_banks`` (the banks their classes show) unless None.
    """
    if limit <= 0:
        return []
    seen = sa.exists().where(
        CardProgress.user_id == user_id, CardProgress.card_id == Card.id
    )
    query = _active_cards(
        sa.select(Card.id).where(Card.is_in_deck.is_(True), ~seen),
        bank_id=bank_id,
        topic=topic,
        held_back=held_back,
    )
    if shown_banks is not None:
        query = query.where(Card.bank_id.in_(list(shown_banks)))
    return list(
        db.session.scalars(
            query.order_by(Card.bank_id, Card.position, Card.id).limit(limit)
        )
    )


def list_due_entries(
    user_id: int,
    *,
    until: datetime,
    bank_id: str | None = None,
    topic: str | None = None,
    held_back: Collection[str] = (),
) -> list[queue.DueEntry]:
    """The student's cards with progress due at or before ``until``."""
    query = _active_cards(
        sa.select(CardProgress.card_id, CardProgress.phase, CardProgress.due_at)
        .join(Card, Card.id == CardProgress.card_id)
        .where(CardProgress.user_id == user_id, CardProgress.due_at <= until),
        bank_id=bank_id,
        topic=topic,
        held_back=held_back,
    )
    return [
        queue.DueEntry(card_id, Phase(phase), due_at)
        for card_id, phase, due_at in db.session.execute(query)
    ]


def count_new_cards_left(user: User, *, now: datetime, prefs: StudyPrefs) -> int:
    """New deck cards this student may still start today, in their time zone."""
    day_start, _ = queue.day_bounds(now, prefs.zone)
    return queue.new_cards_left(
        prefs.new_cards_per_day, count_new_introduced(user.id, since=day_start)
    )


def build_study_queue(
    user: User,
    *,
    now: datetime,
    prefs: StudyPrefs,
    bank_id: str | None = None,
    topic: str | None = None,
    held_back: Collection[str] = (),
    shown_banks: Collection[str] | None = None,
) -> queue.StudyQueue:
    """Today's cards for this student: due cards, then new ones (of ``shown_banks``
    unless None) up to the limit, without the cards of ``held_back`` questions.
    """
    new_left = count_new_cards_left(user, now=now, prefs=prefs)
    due = list_due_entries(
        user.id,
        until=now + queue.LEARN_AHEAD,
        bank_id=bank_id,
        topic=topic,
        held_back=held_back,
    )
    new_ids = list_new_card_ids(
        user.id,
        limit=new_left,
        bank_id=bank_id,
        topic=topic,
        held_back=held_back,
        shown_banks=shown_banks,
    )
    return queue.build_queue(due, new_ids, now=now)


def count_due_today(user: User, now: datetime) -> int:
    """Cards with progress (reviews, steps, missed questions) due by local midnight."""
    return card_summaries([user], now=now)[user.id].due_today


@dataclass(frozen=True, slots=True)
class CardSummary:
    """One student's live cards as their teacher's pages count them."""

    #: cards with progress due by the end of the student's local day, overdue included
    due_today: int
    #: FSRS's predicted chance of recall now, averaged over reviewed cards; None when
    #: the student has reviewed nothing
    recall: float | None


def card_summaries(users: Sequence[User], *, now: datetime) -> dict[int, CardSummary]:
    """Due cards and predicted recall of every student given, in two queries however
    many students and cards (a class dashboard asks for a whole class at once).
    """
    ids = [u.id for u in users]
    settings = (
        {
            user_id: retention
            for user_id, retention in db.session.execute(
                sa.select(StudySettings.user_id, StudySettings.desired_retention).where(
                    StudySettings.user_id.in_(ids)
                )
            )
        }
        if ids
        else {}
    )
    day_end: dict[int, datetime] = {}
    params: dict[int, SchedulerParams] = {}
    for user in users:
        day_end[user.id] = queue.day_bounds(now, dates.zone(user.timezone))[1]
        params[user.id] = SchedulerParams(
            desired_retention=settings.get(user.id, _DEFAULT_RETENTION)
        )
    due = dict.fromkeys(ids, 0)
    recalls: dict[int, list[float]] = {user_id: [] for user_id in ids}
    rows = db.session.execute(
        _active_cards(
            sa.select(
                CardProgress.user_id,
                CardProgress.phase,
                CardProgress.step,
                CardProgress.stability,
                CardProgress.difficulty,
                CardProgress.due_at,
                CardProgress.last_reviewed_at,
            )
            .join(Card, Card.id == CardProgress.card_id)
            .where(CardProgress.user_id.in_(ids)),
            bank_id=None,
            topic=None,
        )
    )
    for user_id, phase, step, stability, difficulty, due_at, last in rows:
        if due_at < day_end[user_id]:
            due[user_id] += 1
        if phase == int(Phase.NEW):
            continue
        value = retrievability(
            CardState(Phase(phase), step, stability, difficulty, due_at, last),
            now=now,
            params=params[user_id],
        )
        if value is not None:
            recalls[user_id].append(value)
    return {
        user_id: CardSummary(
            due_today=due[user_id],
            recall=(
                sum(recalls[user_id]) / len(recalls[user_id])
                if recalls[user_id]
                else None
            ),
        )
        for user_id in ids
    }


# --- one card -------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class StudyCard:
    """A card as the review page shows it, with the student's state of it."""

    card: Card
    state: CardState
    #: reviews recorded so far; the answer form sends it back to detect stale pages
    review_count: int
    is_new: bool


def get_study_card(
    user_id: int, card_id: str, *, now: datetime, held_back: Collection[str] = ()
) -> StudyCard:
    """The card and this student's state of it.

    :raises CardNotInQueue: for an unknown or retired card, one outside the
        student's deck and queue, or the face of a ``held_back`` question.
    """
    card = db.session.get(Card, card_id)
    if card is None or card.is_retired or card.bank.is_retired:
        raise CardNotInQueue(card_id)
    if card.question_id is not None and card.question_id in held_back:
        raise CardNotInQueue(card_id)
    row = get_progress(user_id, card_id)
    if row is None:
        if not card.is_in_deck:
            raise CardNotInQueue(card_id)
        return StudyCard(card, CardState.new(now), 0, True)
    return StudyCard(card, to_state(row), row.review_count, row.phase == Phase.NEW)


def record_review(
    user_id: int,
    card_id: str,
    rating: Rating,
    *,
    now: datetime,
    seen_review_count: int,
    params: SchedulerParams,
    duration_ms: int | None = None,
    rng: Random | None = None,
    new_cards_left: int | None = None,
) -> ReviewLog:
    """Answer a card: schedule it, update the progress row and log the review.

    A deck card studied for the first time gets its progress row now; that row
    counts against today's new-card limit.

    :param seen_review_count: the review count the page showed; any other value
        means the card changed since (a second tab, a double submission).
    :param new_cards_left: today's allowance of new cards (None: not checked).
    :raises CardModified: when the card changed since it was shown.
    :raises CardNotInQueue: for a card the student may not study.
    :raises CardNotDue: for a card not due yet (within the learn-ahead), so a rating
        cannot be replayed to push a card's stability up.
    :raises NewCardLimitReached: for a new card past today's allowance.
    """
    row = get_progress(user_id, card_id)
    if row is None:
        card = db.session.get(Card, card_id)
        if card is None or card.is_retired or not card.is_in_deck:
            raise CardNotInQueue(card_id)
        if new_cards_left is not None and new_cards_left <= 0:
            raise NewCardLimitReached(card_id)
        # Two first ratings at once (a double click) both find no row: insert it
        # unless it exists, then both go through the conditional update below.
        new = CardState.new(now)
        db.session.execute(
            sql.insert(CardProgress)
            .values(
                user_id=user_id,
                card_id=card_id,
                added_at=now,
                origin="deck",
                review_count=0,
                lapse_count=0,
                **state_values(new),
            )
            .on_conflict_do_nothing(index_elements=["user_id", "card_id"])
        )
        row = get_progress(user_id, card_id)
        assert row is not None
    if row.review_count != seen_review_count:
        raise CardModified(card_id)
    if row.due_at > now + queue.LEARN_AHEAD:
        raise CardNotDue(card_id)
    before = to_state(row)
    after = schedule(before, rating, now=now, params=params, rng=rng)
    lapsed = before.phase == Phase.REVIEW and rating == Rating.AGAIN
    # Conditional on the review count the page showed: of two ratings racing from the
    # same page, the second finds the count moved on and is refused, not applied over
    # the first (PostgreSQL re-checks the condition once the first commits).
    updated = db.session.execute(
        sa.update(CardProgress)
        .where(
            CardProgress.id == row.id,
            CardProgress.review_count == seen_review_count,
        )
        .values(
            review_count=CardProgress.review_count + 1,
            lapse_count=CardProgress.lapse_count + int(lapsed),
            **state_values(after),
        )
        .execution_options(synchronize_session=False)
    )
    if updated.rowcount != 1:  # type: ignore[attr-defined]
        raise CardModified(card_id)
    db.session.expire(row)
    log = ReviewLog(
        user_id=user_id,
        card_id=card_id,
        rating=int(rating),
        reviewed_at=now,
        duration_ms=duration_ms,
        phase_before=int(before.phase),
        state_before=state_to_json(before),
        interval_days=(after.due_at - now).total_seconds() / 86400,
    )
    db.session.add(log)
    db.session.flush()
    return log


def undo_last_review(user_id: int) -> str:
    """Take back the student's latest review: restore the card's state, delete the log.

    A deck card whose first review is undone becomes new again (and no longer
    counts against today's limit).

    :returns: the id of the card that was restored.
    :raises NothingToUndo: when the student has no review left.
    """
    log = db.session.scalar(
        sa.select(ReviewLog)
        .where(ReviewLog.user_id == user_id)
        .order_by(ReviewLog.reviewed_at.desc(), ReviewLog.id.desc())
        .limit(1)
    )
    if log is None:
        raise NothingToUndo()
    row = get_progress(user_id, log.card_id)
    if row is not None:
        row.review_count = max(0, row.review_count - 1)
        if log.phase_before == Phase.REVIEW and log.rating == Rating.AGAIN:
            row.lapse_count = max(0, row.lapse_count - 1)
        if row.origin == "deck" and row.review_count == 0:
            db.session.delete(row)
        else:
            apply_state(row, state_from_json(log.state_before))
    db.session.delete(log)
    db.session.flush()
    return log.card_id


def has_reviews(user_id: int) -> bool:
    """Whether the student has any review that could be undone."""
    return (
        db.session.scalar(
            sa.select(ReviewLog.id).where(ReviewLog.user_id == user_id).limit(1)
        )
        is not None
    )


def list_study_banks(shown: Collection[str] | None = None) -> Sequence[Bank]:
    """Live banks that have cards, for the "study one bank" choices; only ``shown``
    ones unless None.
    """
    query = (
        sa.select(Bank)
        .where(Bank.is_retired.is_(False))
        .where(sa.exists().where(Card.bank_id == Bank.id, Card.is_retired.is_(False)))
        .order_by(Bank.title)
    )
    if shown is not None:
        query = query.where(Bank.id.in_(list(shown)))
    return db.session.scalars(query).all()


def predicted_recall(user: User, now: datetime) -> float | None:
    """FSRS's predicted chance of recall at ``now``, averaged over reviewed cards.

    :returns: a probability in 0..1, or None when the student has reviewed nothing.
    """
    return card_summaries([user], now=now)[user.id].recall
