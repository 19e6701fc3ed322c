"""Bank content in the database: banks, questions, cards and quiz definitions, keyed by
their stable YAML ids.

Rows are never deleted by an import: a question that leaves its YAML file is retired,
because attempts and
review logs still refer to it.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from quiz_app.accounts.models import User
from quiz_app.extensions import Model, UtcDateTime

ID_LENGTH = 80


class Bank(Model):
    __tablename__ = "banks"

    id: Mapped[str] = mapped_column(sa.String(ID_LENGTH), primary_key=True)
    title: Mapped[str] = mapped_column(sa.String(300))
    description: Mapped[str] = mapped_column(sa.Text, default="")
    authors: Mapped[list[str]] = mapped_column(sa.JSON, default=list)
    licence: Mapped[str | None] = mapped_column(sa.String(100))
    #: topic key -> title, in file order
    topics: Mapped[dict[str, str]] = mapped_column(sa.JSON, default=dict)
    #: source key -> {"title", "url", "note"}
    sources: Mapped[dict[str, dict[str, Any]]] = mapped_column(sa.JSON, default=dict)
    #: the file it was last imported from (relative to the banks folder when it lies
    #: inside it)
    source_path: Mapped[str] = mapped_column(sa.String(500), default="")
    #: sha256 of the file's bytes at the last import; an unchanged file is skipped
    content_hash: Mapped[str] = mapped_column(sa.String(64), default="")
    is_retired: Mapped[bool] = mapped_column(default=False)
    imported_at: Mapped[datetime] = mapped_column(UtcDateTime)
    #: uploaded by a teacher through the browser (the bundled banks of BANKS_DIR are
    #: not, and are read-only in the browser)
    is_upload: Mapped[bool] = mapped_column(default=False, server_default=sa.false())
    #: the teacher who uploaded it; None for bundled banks, and for uploads made before
    #: banks had owners (administrators manage those)
    owner_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("users.id", ondelete="SET NULL"), index=True
    )
    #: not offered to students; its teachers still see it
    is_hidden: Mapped[bool] = mapped_column(default=False, server_default=sa.false())
    #: when a teacher archived it (``is_retired`` is then set too and a reload of its
    #: file leaves it retired); None when not archived
    archived_at: Mapped[datetime | None] = mapped_column(UtcDateTime)

    owner: Mapped[User | None] = relationship(foreign_keys=[owner_id])
    co_owners: Mapped[list[BankCoOwner]] = relationship(
        back_populates="bank",
        cascade="all, delete-orphan",
        order_by="BankCoOwner.id",
    )
    questions: Mapped[list[Question]] = relationship(
        back_populates="bank", order_by="Question.position"
    )
    quizzes: Mapped[list[Quiz]] = relationship(
        back_populates="bank", order_by="Quiz.position"
    )


class BankCoOwner(Model):
    """Another teacher who may change an uploaded bank as its owner may."""

    __tablename__ = "bank_co_owners"
    __table_args__ = (sa.UniqueConstraint("bank_id", "user_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    bank_id: Mapped[str] = mapped_column(
        sa.String(ID_LENGTH), sa.ForeignKey("banks.id", ondelete="CASCADE"), index=True
    )
    user_id: Mapped[int] = mapped_column(
        sa.ForeignKey("users.id", ondelete="CASCADE"), index=True
    )
    added_at: Mapped[datetime] = mapped_column(UtcDateTime)

    bank: Mapped[Bank] = relationship(back_populates="co_owners")
    user: Mapped[User] = relationship()


class Question(Model):
    __tablename__ = "questions"

    id: Mapped[str] = mapped_column(sa.String(ID_LENGTH), primary_key=True)
    bank_id: Mapped[str] = mapped_column(sa.ForeignKey("banks.id"), index=True)
    #: key of questions.grading.QUESTION_TYPES
    type: Mapped[str] = mapped_column(sa.String(30))
    topic: Mapped[str] = mapped_column(sa.String(ID_LENGTH))
    tags: Mapped[list[str]] = mapped_column(sa.JSON, default=list)
    difficulty: Mapped[str] = mapped_column(sa.String(10), default="medium")
    prompt: Mapped[str] = mapped_column(sa.Text)
    explanation: Mapped[str] = mapped_column(sa.Text)
    #: source keys of the bank
    sources: Mapped[list[str]] = mapped_column(sa.JSON, default=list)
    #: type-specific fields (choices, answer, items, pairs, ...), as the loader
    #: converted them
    data: Mapped[dict[str, Any]] = mapped_column(sa.JSON, default=dict)
    #: {"file", "alt"} relative to the bank file, or None
    image: Mapped[dict[str, str] | None] = mapped_column(sa.JSON)
    #: order within the bank file
    position: Mapped[int] = mapped_column(default=0)
    #: bumped whenever an import changes the question, so an attempt can tell what
    #: version it answered
    version: Mapped[int] = mapped_column(default=1)
    #: the YAML's variant_group: an attempt asks at most one question of a group
    variant_group: Mapped[str | None] = mapped_column(sa.String(ID_LENGTH))
    is_retired: Mapped[bool] = mapped_column(default=False)
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime)

    bank: Mapped[Bank] = relationship(back_populates="questions")


class Card(Model):
    """A flashcard: a bank's plain card, or the card face of a question (id equal to the
    question's id).
    """

    __tablename__ = "cards"

    id: Mapped[str] = mapped_column(sa.String(ID_LENGTH), primary_key=True)
    bank_id: Mapped[str] = mapped_column(sa.ForeignKey("banks.id"), index=True)
    #: set when the card is a question's face; missed questions reach a student's queue
    #: through it
    question_id: Mapped[str | None] = mapped_column(
        sa.ForeignKey("questions.id"), index=True
    )
    topic: Mapped[str] = mapped_column(sa.String(ID_LENGTH))
    tags: Mapped[list[str]] = mapped_column(sa.JSON, default=list)
    front: Mapped[str] = mapped_column(sa.Text)
    back: Mapped[str] = mapped_column(sa.Text)
    sources: Mapped[list[str]] = mapped_column(sa.JSON, default=list)
    #: in every student's deck (plain cards, questions marked `flashcard:`); otherwise
    #: only once missed
    is_in_deck: Mapped[bool] = mapped_column(default=True)
    position: Mapped[int] = mapped_column(default=0)
    is_retired: Mapped[bool] = mapped_column(default=False)
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime)

    bank: Mapped[Bank] = relationship()
    question: Mapped[Question | None] = relationship()


class Quiz(Model):
    __tablename__ = "quizzes"

    id: Mapped[str] = mapped_column(sa.String(ID_LENGTH), primary_key=True)
    bank_id: Mapped[str] = mapped_column(sa.ForeignKey("banks.id"), index=True)
    title: Mapped[str] = mapped_column(sa.String(300))
    description: Mapped[str] = mapped_column(sa.Text, default="")
    #: {"topics", "tags", "ids", "banks"} as in the YAML
    selection: Mapped[dict[str, list[str]]] = mapped_column(sa.JSON, default=dict)
    count: Mapped[int | None] = mapped_column()
    shuffle: Mapped[bool] = mapped_column(default=True)
    layout: Mapped[str] = mapped_column(sa.String(20), default="one_per_page")
    time_limit_minutes: Mapped[int | None] = mapped_column()
    max_attempts: Mapped[int | None] = mapped_column()
    pass_mark: Mapped[int] = mapped_column(default=60)
    #: quiz.review.Review as the bank states it; None = the default for its kind
    review: Mapped[str | None] = mapped_column(sa.String(20))
    #: quiz.review.Visibility as the bank states it; None = the default for its kind
    visibility: Mapped[str | None] = mapped_column(sa.String(20))
    is_default: Mapped[bool] = mapped_column(default=False)
    position: Mapped[int] = mapped_column(default=0)
    is_retired: Mapped[bool] = mapped_column(default=False)
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime)

    bank: Mapped[Bank] = relationship(back_populates="quizzes")


class UploadedBank(Model):
    """The YAML text of a bank a teacher uploaded, kept in the database so that every
    server of a school serves it (banks from BANKS_DIR folders stay files).
    """

    __tablename__ = "uploaded_banks"

    #: the id the text declares; no foreign key to ``banks``: like a bank file, a
    #: stored bank may not be imported (yet), e.g. when another bank clashes with it
    bank_id: Mapped[str] = mapped_column(sa.String(ID_LENGTH), primary_key=True)
    #: the bank file's text, exactly as uploaded (or saved by the editor)
    text: Mapped[str] = mapped_column(sa.Text)
    #: sha256 of the text's UTF-8 bytes (the bank's ``content_hash`` when imported)
    content_hash: Mapped[str] = mapped_column(sa.String(64))
    uploaded_by_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("users.id", ondelete="SET NULL"), index=True
    )
    uploaded_at: Mapped[datetime] = mapped_column(UtcDateTime)


class UploadedImage(Model):
    """An image an uploaded bank's questions show, stored beside its text."""

    __tablename__ = "uploaded_bank_images"
    __table_args__ = (sa.UniqueConstraint("bank_id", "name"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    #: (the unique constraint's index serves lookups by bank)
    bank_id: Mapped[str] = mapped_column(sa.ForeignKey("uploaded_banks.bank_id"))
    #: the path the bank's ``image.file`` names, relative to the bank file
    name: Mapped[str] = mapped_column(sa.String(500))
    media_type: Mapped[str] = mapped_column(sa.String(100))
    data: Mapped[bytes] = mapped_column(sa.LargeBinary)
    size_bytes: Mapped[int] = mapped_column()
    sha256: Mapped[str] = mapped_column(sa.String(64))
    uploaded_at: Mapped[datetime] = mapped_column(UtcDateTime)
