"""Bank services: import validated banks into the database. Flushes, never commits (the
caller owns the transaction).
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

import sqlalchemy as sa

from quiz_app.banks import schema
from quiz_app.banks.files import bank_file_paths, load_bank_files
from quiz_app.banks.models import Bank, Card, Question, Quiz
from quiz_app.deploy import lock_bank_writes
from quiz_app.extensions import db
from quiz_app.questions.grading import QUESTION_TYPES


@dataclass
class ImportSummary:
    """What one import changed, for the CLI's one-line report and the teacher's page."""

    banks_imported: int = 0
    banks_unchanged: int = 0
    created: int = 0  #: questions, cards and quizzes added
    updated: int = 0  #: rows whose content changed
    retired: int = 0  #: rows that left their file (kept for history)
    bank_ids: list[str] = field(default_factory=list)
    #: questions that give away another's answer in some quiz (``banks.leaks``)
    warnings: list[str] = field(default_factory=list)

    def __str__(self) -> str:
        return (
            f"{self.banks_imported} banks imported, {self.banks_unchanged} unchanged; "
            f"{self.created} created, {self.updated} updated, {self.retired} retired"
        )


def card_face(question: schema.Question) -> schema.CardFace:
    """The flashcard face of a question: its own `flashcard:` wording, or prompt /
    answer + explanation.
    """
    if question.flashcard is not None:
        return question.flashcard
    answer = QUESTION_TYPES[question.type].describe_answer(question.data)
    return schema.CardFace(
        front=question.prompt, back=f"**{answer}**\n\n{question.explanation}"
    )


def _jsonable(value: Any) -> Any:
    """Tuples and mappings from the frozen bank model as plain JSON lists and dicts."""
    if isinstance(value, tuple):
        return [_jsonable(v) for v in value]
    if isinstance(value, dict) or hasattr(value, "items"):
        return {str(k): _jsonable(v) for k, v in value.items()}
    return value


def _assign(row: Any, values: dict[str, Any]) -> bool:
    """Set changed attributes only; return whether anything changed."""
    changed = False
    for key, value in values.items():
        if getattr(row, key) != value:
            setattr(row, key, value)
            changed = True
    return changed


def _upsert(
    model: type[Any],
    existing: dict[str, Any],
    key: str,
    values: dict[str, Any],
    *,
    now: datetime,
    summary: ImportSummary,
) -> Any:
    row = existing.pop(key, None)
    values = {**values, "is_retired": False}
    if row is None:
        row = model(id=key, updated_at=now, **values)
        db.session.add(row)
        summary.created += 1
    elif _assign(row, values):
        row.updated_at = now
        if isinstance(row, Question):
            row.version += 1
        summary.updated += 1
    return row


def _retire(rows: Iterable[Any], *, now: datetime, summary: ImportSummary) -> None:
    for row in rows:
        if not row.is_retired:
            row.is_retired = True
            row.updated_at = now
            summary.retired += 1


def import_bank(
    bank: schema.Bank,
    *,
    now: datetime,
    summary: ImportSummary | None = None,
    force: bool = False,
) -> ImportSummary:
    """Create or update a bank and its questions, cards and quizzes by id; retire what
    left the file.

    Idempotent: importing the same file twice changes nothing the second time, and an
    unchanged file (same content hash) is skipped unless ``force``.
    """
    summary = summary or ImportSummary()
    summary.bank_ids.append(bank.id)
    lock_bank_writes()  # two servers importing one new bank: one inserts it
    row = db.session.get(Bank, bank.id)
    if row is not None and row.archived_at is not None:
        # Archived by its teachers: a reload of its file leaves it alone.
        summary.banks_unchanged += 1
        return summary
    if (
        row is not None
        and not force
        and row.content_hash == bank.content_hash
        and not row.is_retired
    ):
        summary.banks_unchanged += 1
        return summary
    bank_values = {
        "title": bank.title,
        "description": bank.description,
        "authors": list(bank.authors),
        "licence": bank.licence,
        "topics": dict(bank.topics),
        "sources": {
            k: {"title": s.title, "url": s.url, "note": s.note}
            for k, s in bank.sources.items()
        },
        "source_path": bank.source_path,
        "content_hash": bank.content_hash,
        "is_retired": False,
    }
    if row is None:
        row = Bank(id=bank.id, imported_at=now, **bank_values)
        db.session.add(row)
    else:
        _assign(row, bank_values)
        row.imported_at = now
    summary.banks_imported += 1

    # Ids are unique across banks, so a question may arrive here from another bank: look
    # rows up by id.
    question_ids = [q.id for q in bank.questions]
    card_ids = [c.id for c in bank.cards] + question_ids
    quiz_ids = [z.id for z in bank.quizzes]
    questions = _rows_for(Question, bank.id, question_ids)
    cards = _rows_for(Card, bank.id, card_ids)
    quizzes = _rows_for(Quiz, bank.id, quiz_ids)

    for position, q in enumerate(bank.questions):
        row = _upsert(
            Question,
            questions,
            q.id,
            {
                "bank_id": bank.id,
                "type": q.type,
                "topic": q.topic,
                "tags": list(q.tags),
                "difficulty": str(q.difficulty),
                "prompt": q.prompt,
                "explanation": q.explanation,
                "sources": list(q.sources),
                "data": _jsonable(dict(q.data)),
                "image": asdict(q.image) if q.image else None,
                "position": position,
            },
            now=now,
            summary=summary,
        )
        # Set apart from the values above: grouping changes no wording, so it must not
        # bump the question's version.
        row.variant_group = q.variant_group
    db.session.flush()  # cards refer to the questions just added
    position = 0
    for position, c in enumerate(bank.cards):
        _upsert(
            Card,
            cards,
            c.id,
            {
                "bank_id": bank.id,
                "question_id": None,
                "topic": c.topic,
                "tags": list(c.tags),
                "front": c.front,
                "back": c.back,
                "sources": list(c.sources),
                "is_in_deck": True,
                "position": position,
            },
            now=now,
            summary=summary,
        )
    for offset, q in enumerate(bank.questions, start=position + 1):
        face = card_face(q)
        _upsert(
            Card,
            cards,
            q.id,
            {
                "bank_id": bank.id,
                "question_id": q.id,
                "topic": q.topic,
                "tags": list(q.tags),
                "front": face.front,
                "back": face.back,
                "sources": list(q.sources),
                "is_in_deck": q.flashcard is not None,
                "position": offset,
            },
            now=now,
            summary=summary,
        )
    for position, z in enumerate(bank.quizzes):
        _upsert(
            Quiz,
            quizzes,
            z.id,
            {
                "bank_id": bank.id,
                "title": z.title,
                "description": z.description,
                "selection": {
                    "topics": list(z.select.topics),
                    "tags": list(z.select.tags),
                    "ids": list(z.select.ids),
                    "banks": list(z.select.banks),
                },
                "count": z.count,
                "shuffle": z.shuffle,
                "layout": str(z.layout),
                "time_limit_minutes": z.time_limit_minutes,
                "max_attempts": z.max_attempts,
                "pass_mark": z.pass_mark,
                "review": z.review,
                "visibility": z.visibility,
                "is_default": z.is_default,
                "position": position,
            },
            now=now,
            summary=summary,
        )
    for leftover in (questions, cards, quizzes):
        _retire(leftover.values(), now=now, summary=summary)
    db.session.flush()
    return summary


def _rows_for(model: type[Any], bank_id: str, ids: Sequence[str]) -> dict[str, Any]:
    """Existing rows of this bank plus rows with the given ids (moved from another
    bank), by id.
    """
    rows: dict[str, Any] = {
        r.id: r
        for r in db.session.scalars(sa.select(model).where(model.bank_id == bank_id))
    }
    missing = [i for i in ids if i not in rows]
    for start in range(
        0, len(missing), 500
    ):  # stay under SQLite's bound-parameter limit
        chunk = missing[start : start + 500]
        rows.update(
            {
                r.id: r
                for r in db.session.scalars(sa.select(model).where(model.id.in_(chunk)))
            }
        )
    return rows


def import_banks(
    banks: Sequence[schema.Bank], *, now: datetime, force: bool = False
) -> ImportSummary:
    """Import several banks in file order and report the total."""
    summary = ImportSummary()
    for bank in banks:
        import_bank(bank, now=now, summary=summary, force=force)
    return summary


#: ``banks.source_path`` of an uploaded bank: no server's folder, just where it lives.
UPLOAD_SOURCE_PREFIX = "database:uploads/"


def is_upload_source(source_path: str) -> bool:
    """Whether a bank's ``source_path`` names an upload stored in the database."""
    return source_path.startswith(UPLOAD_SOURCE_PREFIX)


def configured_bank_paths(banks_dir: str) -> list[str]:
    """The BANKS_DIR folders banks are read from (teachers' uploads are in the
    database: ``banks.uploads``).
    """
    return [p for p in banks_dir.split(os.pathsep) if p]


def uploads_dir(instance_path: str) -> Path:
    """Where a data folder kept uploaded banks before they moved into the database
    (``banks.uploadfolder`` moves what it finds there)."""
    return Path(instance_path) / "banks" / "uploads"


def import_bank_files(
    paths: Sequence[str | Path],
    *,
    max_bytes: int,
    now: datetime,
    force: bool = False,
) -> tuple[ImportSummary, list[schema.Problem]]:
    """Validate and import every bank file under ``paths``; files with problems are
    left out (and their problems returned), the rest are imported.
    """
    files = bank_file_paths(paths)
    banks, problems = load_bank_files(files, max_bytes=max_bytes) if files else ([], [])
    broken = {p.source for p in problems}
    good = [b for b in banks if b.source_path not in broken]
    return import_banks(good, now=now, force=force), problems


def bank_image_files(bank_id: str) -> set[str]:
    """The image files the bank's questions (retired ones too) refer to."""
    images = db.session.scalars(
        sa.select(Question.image).where(
            Question.bank_id == bank_id, Question.image.is_not(None)
        )
    )
    return {image["file"] for image in images if image and image.get("file")}


def sources_of(question: Question) -> list[dict[str, Any]]:
    """The bank's references ({"title", "url", "note"}) a question cites, in order."""
    bank_sources = question.bank.sources
    return [bank_sources[key] for key in question.sources if key in bank_sources]


def get_bank_folder(bank_id: str) -> str | None:
    """The folder a bank was imported from (its images lie there), or None (also for
    an uploaded bank: its images are in the database)."""
    bank = db.session.get(Bank, bank_id)
    if bank is None or not bank.source_path or is_upload_source(bank.source_path):
        return None
    return str(Path(bank.source_path).resolve().parent)


def list_banks(*, include_retired: bool = False) -> list[Bank]:
    """Every bank, by title."""
    query = sa.select(Bank).order_by(Bank.title)
    if not include_retired:
        query = query.where(Bank.is_retired.is_(False))
    return list(db.session.scalars(query))


def list_bank_ids_with_cards() -> set[str]:
    """Banks that give every student flashcards (plain or `flashcard:` questions)."""
    query = sa.select(Card.bank_id).where(
        Card.is_in_deck.is_(True), Card.is_retired.is_(False)
    )
    return set(db.session.scalars(query.distinct()))


def list_quizzes(*, bank_id: str | None = None) -> list[Quiz]:
    """Active quizzes, grouped by bank title then file order."""
    query = (
        sa.select(Quiz)
        .join(Bank)
        .where(Quiz.is_retired.is_(False), Bank.is_retired.is_(False))
        .order_by(Bank.title, Quiz.position)
    )
    if bank_id is not None:
        query = query.where(Quiz.bank_id == bank_id)
    return list(db.session.scalars(query))


def get_question(question_id: str) -> Question | None:
    """A question by id, retired or not."""
    return db.session.get(Question, question_id)


def get_bank(bank_id: str) -> Bank | None:
    """A bank by id, retired or not."""
    return db.session.get(Bank, bank_id)


def get_quiz(quiz_id: str) -> Quiz | None:
    """A quiz by id, retired or not (past attempts can still be analysed)."""
    return db.session.get(Quiz, quiz_id)


def list_questions(bank_id: str) -> list[Question]:
    """A bank's live questions in file order."""
    return list(
        db.session.scalars(
            sa.select(Question)
            .where(Question.bank_id == bank_id, Question.is_retired.is_(False))
            .order_by(Question.position)
        )
    )


def list_cards(bank_id: str) -> list[Card]:
    """A bank's live plain cards (not questions' card faces) in file order."""
    return list(
        db.session.scalars(
            sa.select(Card)
            .where(
                Card.bank_id == bank_id,
                Card.question_id.is_(None),
                Card.is_retired.is_(False),
            )
            .order_by(Card.position)
        )
    )


def describe_answer(question: Question) -> str:
    """The question's correct answer as Markdown."""
    return QUESTION_TYPES[question.type].describe_answer(question.data)
