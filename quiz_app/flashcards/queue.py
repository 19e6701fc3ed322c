"""Pure study-queue rules: the local day, the new-card allowance and card order.

No Flask, DB or clock: ``now`` and the time zone are always passed in.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from enum import StrEnum
from zoneinfo import ZoneInfo

from quiz_app.flashcards.scheduler import (
    CardState,
    Phase,
    Rating,
    SchedulerParams,
    interval_label,
    preview,
)

__all__ = [
    "LEARN_AHEAD",
    "MAX_ANSWER_MS",
    "AnswerChoice",
    "DueEntry",
    "ItemKind",
    "QueueItem",
    "StudyQueue",
    "answer_choices",
    "answer_duration_ms",
    "from_epoch_ms",
    "build_queue",
    "day_bounds",
    "local_date",
    "new_cards_left",
    "to_epoch_ms",
]

#: When nothing else is left, learning cards due this soon are shown early (Anki's
#: "learn ahead limit"), so a session does not stall on a one-minute step.
LEARN_AHEAD = timedelta(minutes=20)

#: Answer times above this are recorded as this: the student was away, not thinking.
MAX_ANSWER_MS = 60_000


class ItemKind(StrEnum):
    LEARNING = "learning"  #: learning or relearning steps
    REVIEW = "review"  #: due reviews and missed quiz questions
    NEW = "new"  #: deck cards never studied


@dataclass(frozen=True, slots=True)
class DueEntry:
    """A card with progress: what the queue needs to know about it."""

    card_id: str
    phase: Phase
    due_at: datetime


@dataclass(frozen=True, slots=True)
class QueueItem:
    card_id: str
    kind: ItemKind


@dataclass(frozen=True, slots=True)
class StudyQueue:
    """Today's cards in study order, with the counts shown above the card."""

    items: tuple[QueueItem, ...]
    learning: int
    review: int
    new: int

    @property
    def first(self) -> QueueItem | None:
        return self.items[0] if self.items else None

    @property
    def total(self) -> int:
        return len(self.items)


def local_date(now: datetime, tz: ZoneInfo) -> date:
    """The student's calendar date at ``now``."""
    return now.astimezone(tz).date()


def day_bounds(now: datetime, tz: ZoneInfo) -> tuple[datetime, datetime]:
    """The UTC start and end of the student's local day containing ``now``.

    Midnight comes from the zone's rules, so a day across a daylight-saving change
    lasts 23 or 25 hours.
    """
    day = local_date(now, tz)
    start = datetime.combine(day, time(0), tzinfo=tz)
    end = datetime.combine(day + timedelta(days=1), time(0), tzinfo=tz)
    return start.astimezone(UTC), end.astimezone(UTC)


def new_cards_left(limit: int, introduced_today: int) -> int:
    """How many more deck cards may be introduced today (never negative)."""
    return max(0, limit - introduced_today)


def answer_duration_ms(shown_at: datetime | None, now: datetime) -> int | None:
    """Time from showing a card to answering it, clamped; None if unknown."""
    if shown_at is None:
        return None
    elapsed = (now - shown_at).total_seconds() * 1000
    return int(min(max(elapsed, 0), MAX_ANSWER_MS))


def from_epoch_ms(text: str | None) -> datetime | None:
    """A UTC instant from epoch milliseconds as a form sent them; None if invalid."""
    if not text or not text.isdigit() or len(text) > 15:
        return None
    return datetime.fromtimestamp(int(text) / 1000, tz=UTC)


def to_epoch_ms(moment: datetime) -> int:
    """Milliseconds since the epoch, for a hidden form field."""
    return int(moment.timestamp() * 1000)


@dataclass(frozen=True, slots=True)
class AnswerChoice:
    """One answer button: its rating, name, keyboard key and the wait it would give."""

    rating: Rating
    name: str
    interval: str

    @property
    def key(self) -> str:
        return str(int(self.rating))


def answer_choices(
    state: CardState, *, now: datetime, params: SchedulerParams
) -> list[AnswerChoice]:
    """The four answer buttons with the wait each would give, as Anki labels them."""
    outcomes = preview(state, now=now, params=params)
    return [
        AnswerChoice(rating, rating.name.title(), interval_label(now, after.due_at))
        for rating, after in outcomes.items()
    ]


def _is_learning(phase: Phase) -> bool:
    return phase in (Phase.LEARNING, Phase.RELEARNING)


def build_queue(
    due: Iterable[DueEntry], new_card_ids: Sequence[str], *, now: datetime
) -> StudyQueue:
    """Order today's cards: learning steps first, then due reviews, then new deck cards.

    ``due`` may hold entries due later than ``now``: learning cards due within
    :data:`LEARN_AHEAD` are used only when nothing else is left, later ones never.
    ``new_card_ids`` is already cut to today's allowance, in deck order. Ties keep the
    earliest due first, then card id, so the order is stable.
    """
    learning: list[DueEntry] = []
    review: list[DueEntry] = []
    ahead: list[DueEntry] = []
    for entry in due:
        if entry.due_at <= now:
            (learning if _is_learning(entry.phase) else review).append(entry)
        elif _is_learning(entry.phase) and entry.due_at <= now + LEARN_AHEAD:
            ahead.append(entry)

    def key(entry: DueEntry) -> tuple[datetime, str]:
        return (entry.due_at, entry.card_id)

    learning.sort(key=key)
    review.sort(key=key)
    items = [QueueItem(e.card_id, ItemKind.LEARNING) for e in learning]
    items += [QueueItem(e.card_id, ItemKind.REVIEW) for e in review]
    items += [QueueItem(card_id, ItemKind.NEW) for card_id in new_card_ids]
    if not items and ahead:
        ahead.sort(key=key)
        learning = ahead
        items = [QueueItem(e.card_id, ItemKind.LEARNING) for e in ahead]
    return StudyQueue(
        items=tuple(items),
        learning=len(learning),
        review=len(review),
        new=len(new_card_ids),
    )
