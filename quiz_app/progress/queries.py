"""Progress queries: the raw numbers behind a student's statistics. Read only."""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa

from quiz_app.banks.models import Bank, Card
from quiz_app.extensions import db
from quiz_app.flashcards.models import CardProgress, ReviewLog


def list_review_times(user_id: int, *, since: datetime) -> list[datetime]:
    """When the student reviewed, from ``since`` on."""
    return list(
        db.session.scalars(
            sa.select(ReviewLog.reviewed_at).where(
                ReviewLog.user_id == user_id, ReviewLog.reviewed_at >= since
            )
        )
    )


def list_due_times(user_id: int, *, until: datetime) -> list[datetime]:
    """Due dates up to ``until`` of the student's cards that are still live."""
    return list(
        db.session.scalars(
            sa.select(CardProgress.due_at)
            .join(Card, Card.id == CardProgress.card_id)
            .join(Bank, Bank.id == Card.bank_id)
            .where(
                CardProgress.user_id == user_id,
                CardProgress.due_at < until,
                Card.is_retired.is_(False),
                Bank.is_retired.is_(False),
            )
        )
    )


def count_by_phase(user_id: int) -> dict[int, int]:
    """The student's live cards with progress, counted per scheduler phase."""
    rows = db.session.execute(
        sa.select(CardProgress.phase, sa.func.count())
        .join(Card, Card.id == CardProgress.card_id)
        .join(Bank, Bank.id == Card.bank_id)
        .where(
            CardProgress.user_id == user_id,
            Card.is_retired.is_(False),
            Bank.is_retired.is_(False),
        )
        .group_by(CardProgress.phase)
    )
    return {int(phase): int(count) for phase, count in rows}


def count_unseen_deck_cards(user_id: int) -> int:
    """Live deck cards the student has never studied."""
    seen = sa.exists().where(
        CardProgress.user_id == user_id, CardProgress.card_id == Card.id
    )
    return (
        db.session.scalar(
            sa.select(sa.func.count())
            .select_from(Card)
            .join(Bank, Bank.id == Card.bank_id)
            .where(
                Card.is_in_deck.is_(True),
                Card.is_retired.is_(False),
                Bank.is_retired.is_(False),
                ~seen,
            )
        )
        or 0
    )


def count_review_outcomes(
    user_id: int, *, since: datetime | None = None
) -> dict[tuple[int, int], int]:
    """The student's reviews counted by (phase before, rating), since ``since``."""
    query = sa.select(ReviewLog.phase_before, ReviewLog.rating, sa.func.count()).where(
        ReviewLog.user_id == user_id
    )
    if since is not None:
        query = query.where(ReviewLog.reviewed_at >= since)
    rows = db.session.execute(query.group_by(ReviewLog.phase_before, ReviewLog.rating))
    return {(int(phase), int(rating)): int(count) for phase, rating, count in rows}
