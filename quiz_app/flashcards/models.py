"""Flashcards: each student's memory state per card, and the log of every review."""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from quiz_app.extensions import Model, UtcDateTime


class CardProgress(Model):
    """One student's FSRS state for one card; the row exists once the card is queued."""

    __tablename__ = "card_progress"
    __table_args__ = (
        sa.UniqueConstraint("user_id", "card_id"),
        sa.Index("ix_card_progress_user_due", "user_id", "due_at"),
        # "new cards today" counts this student's deck rows added since midnight
        sa.Index("ix_card_progress_user_added", "user_id", "added_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id", ondelete="CASCADE"))
    card_id: Mapped[str] = mapped_column(sa.ForeignKey("cards.id"), index=True)
    #: scheduler.Phase: 0 new, 1 learning, 2 review, 3 relearning
    phase: Mapped[int] = mapped_column(default=0)
    #: learning/relearning step index; None in review
    step: Mapped[int | None] = mapped_column()
    stability: Mapped[float | None] = mapped_column()
    difficulty: Mapped[float | None] = mapped_column()
    due_at: Mapped[datetime] = mapped_column(UtcDateTime)
    last_reviewed_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    #: when the card entered this student's queue
    added_at: Mapped[datetime] = mapped_column(UtcDateTime)
    #: "deck" (introduced as a new card) or "missed" (a quiz question answered wrongly)
    origin: Mapped[str] = mapped_column(sa.String(10), default="deck")
    review_count: Mapped[int] = mapped_column(default=0)
    lapse_count: Mapped[int] = mapped_column(default=0)


class ReviewLog(Model):
    """One answer to one card, with the state before it so the review can be undone."""

    __tablename__ = "review_logs"
    __table_args__ = (
        sa.Index("ix_review_logs_user_reviewed", "user_id", "reviewed_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id", ondelete="CASCADE"))
    card_id: Mapped[str] = mapped_column(sa.ForeignKey("cards.id"), index=True)
    #: scheduler.Rating: 1 again, 2 hard, 3 good, 4 easy
    rating: Mapped[int] = mapped_column()
    reviewed_at: Mapped[datetime] = mapped_column(UtcDateTime)
    #: time from showing the card to answering it, as measured by the page
    duration_ms: Mapped[int | None] = mapped_column()
    #: the card's phase before this review (the review-state share gives true retention)
    phase_before: Mapped[int] = mapped_column()
    #: the whole state before this review, for undo: {"phase", "step", "stability",
    #: "difficulty",
    #: "due_at", "last_reviewed_at"} with ISO datetimes
    state_before: Mapped[dict[str, object]] = mapped_column(sa.JSON)
    #: days from this review to the next due date, for statistics
    interval_days: Mapped[float] = mapped_column(default=0.0)


class StudySettings(Model):
    """One student's study choices; a student without a row uses the app's defaults."""

    __tablename__ = "study_settings"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(
        sa.ForeignKey("users.id", ondelete="CASCADE"), unique=True
    )
    #: the chance of still remembering a card when it comes due (0.70..0.97)
    desired_retention: Mapped[float] = mapped_column(default=0.9)
    #: deck cards introduced per local day (0..200)
    new_cards_per_day: Mapped[int] = mapped_column(default=20)
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime)
