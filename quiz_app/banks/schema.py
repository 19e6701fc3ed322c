"""Pure typed model of a question bank (format 1). No Flask, DB or YAML imports.

The loader turns YAML into these frozen dataclasses; everything downstream (import,
quizzes, flashcards)
works from them, never from raw YAML.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any, Final

FORMAT_VERSION = 1
ID_PATTERN = r"^[a-z0-9][a-z0-9-]*$"
MAX_ID_LENGTH = 80
#: Largest bank file read, in bytes.
MAX_BANK_BYTES: Final = 8 * 1024 * 1024
#: Image files a question may show (and the only files served beside a bank).
IMAGE_EXTENSIONS: Final = (".png", ".jpg", ".jpeg", ".gif", ".svg", ".webp")
#: ``select.banks: all`` draws from every bank.
ALL_BANKS: Final = "all"
#: What a bank file's name ends with.
BANK_SUFFIXES: Final = (".yaml", ".yml")


class Difficulty(StrEnum):
    EASY = "easy"
    MEDIUM = "medium"
    HARD = "hard"


class Layout(StrEnum):
    ONE_PER_PAGE = "one_per_page"
    ALL_ON_ONE_PAGE = "all_on_one_page"


@dataclass(frozen=True, slots=True)
class Source:
    key: str
    title: str
    url: str | None = None
    note: str | None = None


@dataclass(frozen=True, slots=True)
class Image:
    file: str  #: path relative to the bank file
    alt: str


@dataclass(frozen=True, slots=True)
class CardFace:
    front: str  #: Markdown
    back: str  #: Markdown


@dataclass(frozen=True, slots=True)
class Question:
    id: str
    type: str  #: key of questions.grading.QUESTION_TYPES
    prompt: str  #: Markdown
    explanation: str  #: Markdown
    sources: tuple[str, ...]
    topic: str
    tags: tuple[str, ...] = ()
    difficulty: Difficulty = Difficulty.MEDIUM
    #: None: not a flashcard for everyone; a CardFace: the card's wording (derived from
    #: the question when
    #: the bank says only `flashcard: true`).
    flashcard: CardFace | None = None
    image: Image | None = None
    #: Type-specific fields, already converted and checked (e.g. {"choices": (...),
    #: "answer": "..."}).
    data: Mapping[str, Any] = field(default_factory=dict)
    line: int = 0  #: 1-based line of the question in its file, for error messages
    #: Questions sharing a group are variants of one another: a quiz draws at most one.
    variant_group: str | None = None
    #: Ids of questions that may show this question's answer, or whose answer this one
    #: may show, in the same quiz (the author judged the overlap harmless).
    allow_overlap: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Card:
    id: str
    front: str  #: Markdown
    back: str  #: Markdown
    sources: tuple[str, ...]
    topic: str
    tags: tuple[str, ...] = ()
    line: int = 0


@dataclass(frozen=True, slots=True)
class Selection:
    topics: tuple[str, ...] = ()
    tags: tuple[str, ...] = ()
    ids: tuple[str, ...] = ()
    #: () = this bank; ("all",) = every bank; otherwise bank ids
    banks: tuple[str, ...] = ()


def draws(
    selection: Selection, *, topic: str, question_id: str, tags: Iterable[str]
) -> bool:
    """Whether a quiz's selection draws this question (from the selected banks): topics,
    tags and ids combine as "any of"; none of them draws every question.
    """
    if not (selection.topics or selection.tags or selection.ids):
        return True
    return (
        topic in selection.topics
        or question_id in selection.ids
        or not set(selection.tags).isdisjoint(tags)
    )


#: A quiz's review option and visibility (bank keys ``review`` and ``visibility``; the
#: rules that apply them are in :mod:`quiz_app.quiz.review`).
class Review(StrEnum):
    IMMEDIATELY = "immediately"
    AFTER_CLOSE = "after_close"
    SCORE_ONLY = "score_only"


class Visibility(StrEnum):
    #: listed for and startable by every student
    EVERYONE = "everyone"
    #: only students of a class it is assigned to
    ASSIGNED = "assigned"


@dataclass(frozen=True, slots=True)
class QuizDef:
    id: str
    title: str
    description: str = ""
    select: Selection = field(default_factory=Selection)
    count: int | None = None  #: None = every selected question
    shuffle: bool = True
    layout: Layout = Layout.ONE_PER_PAGE
    time_limit_minutes: int | None = None
    max_attempts: int | None = None
    pass_mark: int = 60  #: percent
    #: "immediately" / "after_close" / "score_only"; None = the default for its kind
    review: str | None = None
    #: "everyone" / "assigned"; None = the default for its kind
    visibility: str | None = None
    is_default: bool = False  #: generated because the bank defines no quiz


@dataclass(frozen=True, slots=True)
class Bank:
    id: str
    title: str
    source_path: str  #: the file it was read from, as given to the loader
    description: str = ""
    authors: tuple[str, ...] = ()
    licence: str | None = None
    topics: Mapping[str, str] = field(
        default_factory=dict
    )  #: key -> title, in file order
    sources: Mapping[str, Source] = field(default_factory=dict)
    questions: tuple[Question, ...] = ()
    cards: tuple[Card, ...] = ()
    quizzes: tuple[QuizDef, ...] = ()
    content_hash: str = ""  #: sha256 of the file's bytes, to skip unchanged imports
    #: read from the teachers' upload folder: a collection of its own for
    #: ``select.banks: all`` (see :func:`quiz_app.banks.crossbank.collection_key`)
    is_upload: bool = False


@dataclass(frozen=True, slots=True, order=True)
class Problem:
    """One thing wrong with a bank file, printed as ``file:line:column: message``."""

    source: str
    line: int  #: 1-based; 0 when the problem is about the whole file
    column: int  #: 1-based; 0 when unknown
    message: str

    def __str__(self) -> str:
        return f"{self.source}:{self.line}:{self.column}: {self.message}"


class BankError(Exception):
    """Raised with every problem found in one or more bank files."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = sorted(problems)
        super().__init__("\n".join(str(p) for p in self.problems))
