"""Flashcard services: the bridge between CardProgress rows and the pure scheduler. Flushes, never commits."""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa

from quiz_app.banks.models import Card
from quiz_app.extensions import db
from quiz_app.flashcards.models import CardProgress
from quiz_app.flashcards.scheduler import CardState, Phase


def to_state(row: CardProgress) -> CardState:
    """The scheduler's view of a progress row."""
    return CardState(
        phase=Phase(row.phase),
        step=row.step,
        stability=row.stability,
        difficulty=row.difficulty,
        due_at=row.due_at,
        last_reviewed_at=row.last_reviewed_at,
    )


def apply_state(row: CardProgress, state: CardState) -> None:
    """Write a scheduler state back onto a progress row."""
    row.phase = int(state.phase)
    row.step = state.step
    row.stability = state.stability
    row.difficulty = state.difficulty
    row.due_at = state.due_at
    row.last_reviewed_at = state.last_reviewed_at


def get_progress(user_id: int, card_id: str) -> CardProgress | None:
    """This student's progress row for a card, if the card is in their queue."""
    return db.session.scalar(
        sa.select(CardProgress).where(
            CardProgress.user_id == user_id, CardProgress.card_id == card_id
        )
    )


def enqueue_missed(user_id: int, question_id: str, *, now: datetime) -> None:
    """Put a missed quiz question's card into the student's review queue, due at once.

    Idempotent. A card the student already studies keeps its memory state and only becomes due now.
    """
    card = db.session.scalar(sa.select(Card).where(Card.question_id == question_id))
    if (
        card is None
    ):  # a question always has a card face; tolerate a bank imported before that rule
        return
    row = get_progress(user_id, card.id)
    if row is None:
        row = CardProgress(
            user_id=user_id, card_id=card.id, added_at=now, origin="missed"
        )
        apply_state(row, CardState.new(now))
        db.session.add(row)
    elif row.due_at > now:
        row.due_at = now
    db.session.flush()
