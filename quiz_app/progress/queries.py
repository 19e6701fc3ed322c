"""Progress queries: the raw numbers behind a student's statistics. Read only."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime

import sqlalchemy as sa

from quiz_app.banks.models import Bank, Card
from quiz_app.extensions import UtcDateTime, db
from quiz_app.flashcards.models import CardProgress, ReviewLog
from quiz_app.progress.stats import DayWindow


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
    user_id: int, *, since: datetime
) -> dict[tuple[int, int], int]:
    """The student's reviews counted by (phase before, rating), since ``since``."""
    query = sa.select(ReviewLog.phase_before, ReviewLog.rating, sa.func.count()).where(
        ReviewLog.user_id == user_id, ReviewLog.reviewed_at >= since
    )
    rows = db.session.execute(query.group_by(ReviewLog.phase_before, ReviewLog.rating))
    return {(int(phase), int(rating)): int(count) for phase, rating, count in rows}


def _windows_table(windows: Sequence[DayWindow]) -> sa.Subquery:
    """The windows as a derived table (day, start, end).

    A UNION ALL of one-row selects rather than VALUES, which SQLite cannot alias by
    column; half a year of days stays well under SQLite's 500-term compound limit.
    """
    rows = [
        sa.select(
            sa.literal(w.day.isoformat(), sa.String).label("day"),
            sa.literal(w.start, UtcDateTime).label("start"),
            sa.literal(w.end, UtcDateTime).label("end"),
        )
        for w in windows
    ]
    return sa.union_all(*rows).subquery("day_windows")


def count_reviews_by_day(user_id: int, windows: Sequence[DayWindow]) -> dict[date, int]:
    """The student's reviews counted per local day, in one indexed query."""
    if not windows:
        return {}
    days = _windows_table(windows)
    rows = db.session.execute(
        sa.select(days.c.day, sa.func.count(ReviewLog.id))
        .select_from(days)
        .join(
            ReviewLog,
            sa.and_(
                ReviewLog.user_id == user_id,
                ReviewLog.reviewed_at >= days.c.start,
                ReviewLog.reviewed_at < days.c.end,
            ),
        )
        .group_by(days.c.day)
    )
    return {date.fromisoformat(day): int(count) for day, count in rows}


def count_due_by_day(user_id: int, windows: Sequence[DayWindow]) -> dict[date, int]:
    """The student's live cards falling due in each window, in one indexed query."""
    if not windows:
        return {}
    days = _windows_table(windows)
    rows = db.session.execute(
        sa.select(days.c.day, sa.func.count(CardProgress.id))
        .select_from(days)
        .join(
            CardProgress,
            sa.and_(
                CardProgress.user_id == user_id,
                CardProgress.due_at >= days.c.start,
                CardProgress.due_at < days.c.end,
            ),
        )
        .join(Card, Card.id == CardProgress.card_id)
        .join(Bank, Bank.id == Card.bank_id)
        .where(Card.is_retired.is_(False), Bank.is_retired.is_(False))
        .group_by(days.c.day)
    )
    return {date.fromisoformat(day): int(count) for day, count in rows}
