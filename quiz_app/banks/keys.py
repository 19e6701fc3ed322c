"""Pure key tables of the bank format: what each YAML key holds, shared by the
loader and :mod:`quiz_app.banks.jsonschema`. No Flask or DB imports.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum
from typing import Any, Final

from quiz_app.banks.schema import (
    FORMAT_VERSION,
    IMAGE_EXTENSIONS,
    MAX_ID_LENGTH,
    Difficulty,
    Layout,
    Review,
    Visibility,
)
from quiz_app.questions.grading import QUESTION_TYPES
from quiz_app.questions.types import FieldKind, QuestionType

# ----------------------------------------------------------------------
# Key tables (shared with jsonschema.py)


class Kind(StrEnum):
    """What a key holds; the first five match the question types' :class:`FieldKind`."""

    TEXT = "text"  #: non-empty text, kept as written
    TEXT_LIST = "text_list"
    BOOL = "bool"  #: true / false only
    NUMBER = "number"  #: decimal int or float
    TEXT_MAP = "text_map"  #: text -> text, file order kept
    SLUG = "slug"  #: an id: ID_PATTERN, at most MAX_ID_LENGTH
    SLUG_LIST = "slug_list"
    SLUG_TEXT_MAP = "slug_text_map"  #: slug -> text (topics)
    INT = "int"  #: decimal integer within minimum..maximum
    ENUM = "enum"  #: one of KeySpec.choices
    URL = "url"  #: http(s) address
    PATH = "path"  #: relative file path beside the bank, IMAGE_EXTENSIONS
    OBJECT = "object"  #: a mapping described by KeySpec.table
    OBJECT_MAP = "object_map"  #: slug -> mapping described by KeySpec.table (sources)
    OBJECT_LIST = "object_list"  #: a list of mappings described by KeySpec.table
    FLASHCARD = "flashcard"  #: true / false or a mapping described by KeySpec.table
    BANKS = "banks"  #: "all" or a list of bank ids


@dataclass(frozen=True, slots=True)
class KeySpec:
    """One key of a YAML mapping: what it holds, if it is required, its help."""

    kind: Kind
    required: bool
    description: str
    table: Mapping[str, KeySpec] | None = (
        None  #: for OBJECT, OBJECT_MAP, OBJECT_LIST, FLASHCARD
    )
    choices: tuple[str, ...] = ()  #: for ENUM
    minimum: int | None = None  #: INT: smallest value; lists: fewest items
    maximum: int | None = None
    default: Any = None  #: documentation only (the schema's "default")
    typed: bool = False  #: OBJECT_LIST of questions: items also take their type's keys


def _spec(kind: Kind, required: bool, description: str, **extra: Any) -> KeySpec:
    return KeySpec(kind, required, description, **extra)


SLUG_HELP = f"a lowercase slug (a-z, 0-9 and '-'), at most {MAX_ID_LENGTH} characters"

SOURCE_KEYS: Final[Mapping[str, KeySpec]] = {
    "title": _spec(
        Kind.TEXT,
        True,
        "How the source is cited, e.g. 'FRUS 1951, vol. VII, part 1, document 355'.",
    ),
    "url": _spec(Kind.URL, False, "Link to the source (http or https)."),
    "note": _spec(Kind.TEXT, False, "Remark on the source, e.g. 'Single source.'"),
}

IMAGE_KEYS: Final[Mapping[str, KeySpec]] = {
    "file": _spec(
        Kind.PATH,
        True,
        "Image file beside the bank file (relative path, no '..'): "
        + ", ".join(IMAGE_EXTENSIONS)
        + ".",
    ),
    "alt": _spec(Kind.TEXT, True, "Text for screen readers describing the image."),
}

FLASHCARD_KEYS: Final[Mapping[str, KeySpec]] = {
    "front": _spec(Kind.TEXT, True, "Front of the card (Markdown)."),
    "back": _spec(Kind.TEXT, True, "Back of the card (Markdown)."),
}

QUESTION_KEYS: Final[Mapping[str, KeySpec]] = {
    "id": _spec(
        Kind.SLUG,
        True,
        f"Stable id, unique across all banks: {SLUG_HELP}. Never reuse or rename.",
    ),
    "type": _spec(Kind.ENUM, True, "Question type.", choices=tuple(QUESTION_TYPES)),
    "prompt": _spec(Kind.TEXT, True, "The question (Markdown)."),
    "explanation": _spec(
        Kind.TEXT,
        True,
        "Shown after answering (Markdown): teach, do not only restate the answer.",
    ),
    "sources": _spec(
        Kind.SLUG_LIST, True, "One or more keys of the bank's 'sources'.", minimum=1
    ),
    "topic": _spec(Kind.SLUG, True, "A key of the bank's 'topics'."),
    "tags": _spec(Kind.TEXT_LIST, False, "Short labels; quizzes can select by tag."),
    "difficulty": _spec(
        Kind.ENUM,
        False,
        "How hard the question is.",
        choices=tuple(d.value for d in Difficulty),
        default=Difficulty.MEDIUM.value,
    ),
    "flashcard": _spec(
        Kind.FLASHCARD,
        False,
        "true: also a flashcard for every student (front = prompt, back = answer and "
        "explanation); "
        "or {front, back} to word the card yourself.",
        table=FLASHCARD_KEYS,
    ),
    "image": _spec(
        Kind.OBJECT, False, "An image shown with the prompt.", table=IMAGE_KEYS
    ),
    "variant_group": _spec(
        Kind.SLUG,
        False,
        "Name shared by questions that ask the same thing (in any bank): one quiz "
        f"draws at most one of them; {SLUG_HELP}.",
    ),
    "allow_overlap": _spec(
        Kind.SLUG_LIST,
        False,
        "Ids of questions that may show this question's answer, or whose answer this "
        "one may show, in the same quiz (checked by 'banks validate').",
    ),
}

#: Help text for the question types' own keys, by (type, key). Each type's module is
#: the source (``QuestionType.key_help``); this view keeps the old name working.
TYPE_KEY_DESCRIPTIONS: Final[Mapping[tuple[str, str], str]] = {
    (qtype.key, key): text
    for qtype in QUESTION_TYPES.values()
    for key, text in qtype.key_help.items()
}

CARD_KEYS: Final[Mapping[str, KeySpec]] = {
    "id": _spec(
        Kind.SLUG,
        True,
        f"Stable id, unique across all banks (shared with questions): {SLUG_HELP}.",
    ),
    "topic": _spec(Kind.SLUG, True, "A key of the bank's 'topics'."),
    "front": _spec(Kind.TEXT, True, "Front of the card (Markdown)."),
    "back": _spec(Kind.TEXT, True, "Back of the card (Markdown)."),
    "sources": _spec(
        Kind.SLUG_LIST, True, "One or more keys of the bank's 'sources'.", minimum=1
    ),
    "tags": _spec(Kind.TEXT_LIST, False, "Short labels."),
}

SELECT_KEYS: Final[Mapping[str, KeySpec]] = {
    "topics": _spec(Kind.SLUG_LIST, False, "Questions with any of these topics."),
    "tags": _spec(Kind.TEXT_LIST, False, "... or with any of these tags."),
    "ids": _spec(Kind.SLUG_LIST, False, "... or with these ids."),
    "banks": _spec(
        Kind.BANKS,
        False,
        "Draw from these banks instead of this one ('all' = every bank); topics, tags "
        "and ids then filter their questions.",
    ),
}

QUIZ_KEYS: Final[Mapping[str, KeySpec]] = {
    "id": _spec(Kind.SLUG, True, f"Stable quiz id, unique across banks: {SLUG_HELP}."),
    "title": _spec(Kind.TEXT, True, "Quiz title."),
    "description": _spec(Kind.TEXT, False, "Shown before the quiz starts (Markdown)."),
    "select": _spec(
        Kind.OBJECT,
        False,
        "Which questions; omitted = every question of this bank.",
        table=SELECT_KEYS,
    ),
    "count": _spec(
        Kind.INT,
        False,
        "Draw this many questions at random per attempt (default: all).",
        minimum=1,
    ),
    "shuffle": _spec(
        Kind.BOOL, False, "Shuffle the question order per attempt.", default=True
    ),
    "layout": _spec(
        Kind.ENUM,
        False,
        "How questions are shown.",
        choices=tuple(x.value for x in Layout),
        default=Layout.ONE_PER_PAGE.value,
    ),
    "time_limit_minutes": _spec(
        Kind.INT, False, "Time limit in minutes (default: none).", minimum=1
    ),
    "max_attempts": _spec(
        Kind.INT, False, "Attempts allowed per student (default: unlimited).", minimum=1
    ),
    "pass_mark": _spec(
        Kind.INT, False, "Percent needed to pass.", minimum=0, maximum=100, default=60
    ),
    "review": _spec(
        Kind.ENUM,
        False,
        "What students see after an attempt: everything at once, the score until the "
        "quiz closes, or the score only. Default: 'immediately' for practice; "
        "'after_close' for a quiz with a time or attempt limit ('score_only' when "
        "its assignment has no close date).",
        choices=tuple(x.value for x in Review),
    ),
    "visibility": _spec(
        Kind.ENUM,
        False,
        "Who may start it: every student, or only students of a class it is assigned "
        "to. Default: 'assigned' for a quiz with a time or attempt limit, else "
        "'everyone'.",
        choices=tuple(x.value for x in Visibility),
    ),
}

BANK_KEYS: Final[Mapping[str, KeySpec]] = {
    "format": _spec(
        Kind.INT,
        True,
        "Bank format version: always 1.",
        minimum=FORMAT_VERSION,
        maximum=FORMAT_VERSION,
    ),
    "id": _spec(Kind.SLUG, True, f"Stable bank id, unique across banks: {SLUG_HELP}."),
    "title": _spec(Kind.TEXT, True, "Bank title (plain text)."),
    "description": _spec(Kind.TEXT, False, "What the bank covers (Markdown)."),
    "authors": _spec(Kind.TEXT_LIST, False, "Names of the authors."),
    "licence": _spec(Kind.TEXT, False, "Licence of the content, e.g. CC-BY-SA-4.0."),
    "topics": _spec(
        Kind.SLUG_TEXT_MAP,
        True,
        "Topic key -> title; every question and card names one key.",
    ),
    "sources": _spec(
        Kind.OBJECT_MAP,
        True,
        "Source key -> reference; questions cite the keys.",
        table=SOURCE_KEYS,
    ),
    "questions": _spec(
        Kind.OBJECT_LIST, False, "Quiz questions.", table=QUESTION_KEYS, typed=True
    ),
    "cards": _spec(Kind.OBJECT_LIST, False, "Plain flashcards.", table=CARD_KEYS),
    "quizzes": _spec(
        Kind.OBJECT_LIST,
        False,
        "Quizzes; a bank with none gets one quiz of all its questions.",
        table=QUIZ_KEYS,
    ),
}

#: FieldKind of a question type's key -> the loader's Kind.
FIELD_KINDS: Final[Mapping[FieldKind, Kind]] = {
    FieldKind.TEXT: Kind.TEXT,
    FieldKind.TEXT_LIST: Kind.TEXT_LIST,
    FieldKind.BOOL: Kind.BOOL,
    FieldKind.NUMBER: Kind.NUMBER,
    FieldKind.TEXT_MAP: Kind.TEXT_MAP,
}


def type_key_spec(qtype: QuestionType, key: str) -> KeySpec:
    """The KeySpec of one of a question type's own keys."""
    return KeySpec(
        FIELD_KINDS[qtype.fields[key]],
        key in qtype.required,
        qtype.key_help.get(key, ""),
        default=qtype.defaults.get(key),
    )
