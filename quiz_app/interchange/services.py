"""Interchange services: read a bank or a student's flashcards from the database for
export. Reads only; never commits.
"""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa

from quiz_app.banks import schema
from quiz_app.banks.models import Bank, Card, Question
from quiz_app.extensions import db
from quiz_app.flashcards.models import CardProgress
from quiz_app.interchange.anki import AnkiNote


def _frozen(value: Any) -> Any:
    """JSON lists back to the tuples the bank model uses (pairs as 2-tuples)."""
    if isinstance(value, list):
        return tuple(_frozen(v) for v in value)
    return value


def get_export_bank(bank_id: str) -> schema.Bank | None:
    """The bank as it is in the database (active questions and plain cards), in the
    loader's typed form, or None for an unknown or retired bank."""
    row = db.session.get(Bank, bank_id)
    if row is None or row.is_retired:
        return None
    questions = db.session.scalars(
        sa.select(Question)
        .where(Question.bank_id == bank_id, Question.is_retired.is_(False))
        .order_by(Question.position)
    ).all()
    cards = db.session.scalars(
        sa.select(Card)
        .where(
            Card.bank_id == bank_id,
            Card.question_id.is_(None),
            Card.is_retired.is_(False),
        )
        .order_by(Card.position)
    ).all()
    return schema.Bank(
        id=row.id,
        title=row.title,
        source_path=row.source_path,
        description=row.description,
        authors=tuple(row.authors or ()),
        licence=row.licence,
        topics=dict(row.topics or {}),
        sources={
            key: schema.Source(
                key=key, title=s.get("title", key), url=s.get("url"), note=s.get("note")
            )
            for key, s in (row.sources or {}).items()
        },
        questions=tuple(
            schema.Question(
                id=q.id,
                type=q.type,
                prompt=q.prompt,
                explanation=q.explanation,
                sources=tuple(q.sources or ()),
                topic=q.topic,
                tags=tuple(q.tags or ()),
                difficulty=schema.Difficulty(q.difficulty),
                image=schema.Image(**q.image) if q.image else None,
                data={k: _frozen(v) for k, v in (q.data or {}).items()},
            )
            for q in questions
        ),
        cards=tuple(
            schema.Card(
                id=c.id,
                front=c.front,
                back=c.back,
                sources=tuple(c.sources or ()),
                topic=c.topic,
                tags=tuple(c.tags or ()),
            )
            for c in cards
        ),
    )


def list_student_notes(user_id: int) -> list[AnkiNote]:
    """The student's own flashcards (every card in their queue, missed questions
    included) as Anki notes, one sub-deck per bank."""
    rows = db.session.execute(
        sa.select(Card, Bank.title)
        .join(CardProgress, CardProgress.card_id == Card.id)
        .join(Bank, Bank.id == Card.bank_id)
        .where(
            CardProgress.user_id == user_id,
            Card.is_retired.is_(False),
            Bank.is_retired.is_(False),
        )
        .order_by(Bank.title, Card.position)
    ).all()
    return [
        AnkiNote(
            key=card.id,
            front=card.front,
            back=card.back,
            deck=title,
            tags=tuple(card.tags),
        )
        for card, title in rows
    ]
