"""Pure question-type interface: what every type declares. No Flask or DB.

Each type lives in one module of :mod:`quiz_app.questions.kinds` and registers one
:class:`QuestionType` holding every part of it; the registry, ``QUESTION_TYPES``, is in
:mod:`quiz_app.questions.registry` (importable from :mod:`quiz_app.questions.grading`
too). The rest of the app asks the registry and never switches on a type's key.

Parts of a type (a registered type has all of them; see ``QuestionType.missing_parts``):

* validation: ``fields``, ``required``, ``defaults``, ``check``, and ``key_help`` (what
  each own key means, for the bank-format reference, the JSON Schema and the editor),
  with an ``example`` of valid data and its ``correct_response``;
* grading and results: ``grade``, ``describe_answer``, ``describe_response``, and the
  template ``quiz/questions/<key>.html``;
* ``quiz`` (:class:`QuizForm`): the options shown, the form fields as plain
  :class:`FormField` descriptions (``quiz/forms.py`` turns them into WTForms fields),
  reading the submitted values back into a response, and the values showing a saved one;
* ``analysis`` (:class:`ItemAnalysis`): the options whose shares item analysis counts;
* ``leaks`` (:class:`LeakCheck`): its answer texts another question could give away,
  and the texts it shows before it is answered;
* ``interchange`` (:class:`Interchange`): its GIFT, Moodle XML and CSV forms, each
  either a codec or :class:`Unsupported` with the reason, and its Anki card front.

Interface contract (the bank loader depends on it):

* ``QUESTION_TYPES[key]`` is a :class:`QuestionType`.
* ``QuestionType.fields`` maps each type-specific YAML key to a :class:`FieldKind`; the
  loader converts the YAML node to the Python value named there and reports kind
  mismatches with the node's line: TEXT -> str (the scalar exactly as written, never a
  YAML bool/number), TEXT_LIST -> tuple[str, ...], BOOL -> bool (only the literals
  true/false), NUMBER -> int | float, TEXT_MAP -> tuple[tuple[str, str], ...] (a mapping
  of text to text, file order kept).
* ``QuestionType.required`` are the keys that must be present; ``defaults`` fills absent
  optional ones.
* ``QuestionType.check(data)`` gets the converted fields and returns
  ``[(key, message), ...]`` for cross-field rules (answer among the choices, counts,
  distinct items); the loader locates each at that key's node.
* ``QuestionType.grade(data, response)`` is pure and returns a :class:`Grade`.
* ``QuestionType.describe_answer(data)`` and ``describe_response(data, response)``
  return Markdown-safe text (user text is backslash-escaped) for results pages and
  derived flashcards. Ordering and matching give a Markdown list, one line per item;
  the other types give one line.

Response shapes (the web layer builds these from the submitted form):

* ``single_choice``: ``str | None``, the chosen choice text.
* ``multi_choice``: a collection of ``str``, the ticked choice texts (order and
  duplicates do not matter; a bare ``str`` counts as one tick).
* ``true_false``: ``bool | None``.
* ``short_text``: ``str``, the text typed.
* ``numeric``: ``str``, the text typed (an ``int``/``float`` is accepted too). Spaces
  are ignored, so is a trailing unit equal to the question's ``unit`` or to its first
  words (``8 July`` for the unit ``July 1951``); ``−`` counts as minus. Commas
  followed by groups of three digits separate thousands (``75,823``, ``1,953.5``;
  ``1.234.567`` and ``1.234,5`` the other way round); otherwise one comma or point is
  the decimal separator (``4,5`` = ``4.5``). Anything else is "not a number" and
  scores 0.
* ``ordering``: a sequence of ``str``, the items in the student's order; ``None`` or
  ``""`` for an unfilled slot.
* ``matching``: a mapping of left text -> chosen right-hand text (or ``None``).

Grading never raises on a missing or malformed response: it scores 0 with feedback.
The question data is assumed to have passed ``check``.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from random import Random
from typing import Any, Protocol


class FieldKind(StrEnum):
    TEXT = "text"
    TEXT_LIST = "text_list"
    BOOL = "bool"
    NUMBER = "number"
    TEXT_MAP = "text_map"


@dataclass(frozen=True, slots=True)
class Grade:
    score: float  #: 0.0 .. 1.0
    is_correct: bool  #: full marks only
    feedback: str = ""
    #: partial credit counted in parts: (right, out of, what), e.g. (5, 6, "pairs")
    tally: tuple[int, int, str] | None = None


Check = Callable[[Mapping[str, Any]], list[tuple[str, str]]]
Grader = Callable[[Mapping[str, Any], Any], Grade]
AnswerDescriber = Callable[[Mapping[str, Any]], str]
ResponseDescriber = Callable[[Mapping[str, Any], Any], str]


Data = Mapping[str, Any]
#: The option lists a question shows, in this attempt's order (``QuizForm.present``).
Options = Mapping[str, Sequence[str]]


# --------------------------------------------------------------------------------------
# Taking a quiz


class Widget(StrEnum):
    """The kinds of form field a type can ask for (``quiz/forms.py`` builds them)."""

    RADIO = "radio"  #: one of ``choices``
    CHECKBOXES = "checkboxes"  #: any of ``choices``
    SELECT = "select"  #: a drop-down of ``choices`` after a blank "— choose —"
    TEXT = "text"  #: one line of text, at most ``max_length`` characters


@dataclass(frozen=True, slots=True)
class FormField:
    """One field of a question's answer form, described without a form library."""

    widget: Widget
    label: str
    choices: tuple[tuple[str, str], ...] = ()  #: (value, label) in the order shown
    max_length: int | None = None


def _never_unreadable(data: Data, response: Any) -> str | None:
    return None


def _no_picks(response: Any) -> list[Any]:
    return []


@dataclass(frozen=True, slots=True)
class QuizForm:
    """How a question of the type is asked in a quiz and read back."""

    #: the option lists shown, in this attempt's order (shuffled with the given Random)
    present: Callable[[Data, Random], dict[str, list[str]]]
    #: its answer fields, built from the options shown
    fields: Callable[[Options], list[FormField]]
    #: the fields' submitted values (in ``fields`` order) -> the grading response
    read: Callable[[Data, Options, Sequence[Any]], Any]
    #: a saved response -> the fields' values showing it again
    initial: Callable[[Options, Any], list[Any]]
    #: why a response cannot be saved ("“x” is not a number, …"), or None
    unreadable: Callable[[Data, Any], str | None] = _never_unreadable
    #: the items a response places, checked for one placed twice
    picks: Callable[[Any], list[Any]] = _no_picks


# --------------------------------------------------------------------------------------
# Item analysis and answer leaks


@dataclass(frozen=True, slots=True)
class ItemAnalysis:
    """What item analysis counts for the type (Moodle's option shares)."""

    #: the options a student picks among, in display order, and the correct ones;
    #: ``((), frozenset())`` when the type has none
    options: Callable[[Data], tuple[tuple[str, ...], frozenset[str]]]
    #: the options a response picked (empty when blank); None: the type has no
    #: options, so neither shares nor blanks are counted
    chosen: Callable[[Any], set[str]] | None


def _no_options(data: Data) -> tuple[tuple[str, ...], frozenset[str]]:
    return (), frozenset()


#: The analysis of a type without options: facility and discrimination only.
NO_OPTIONS = ItemAnalysis(options=_no_options, chosen=None)


class Scope(StrEnum):
    """Which of another question's texts can give an answer away."""

    ANYWHERE = "anywhere"  #: hidden answers: prompt, choices, items, pairs, distractors
    NOT_OPTIONS = "not_options"  #: shown answers: prompt, items and pairs only
    ITEMS_AND_PAIRS = "items_and_pairs"  #: a number written as a word: items, pairs


@dataclass(frozen=True, slots=True)
class LeakCheck:
    """What ``banks/leaks.py`` compares between the questions of one quiz."""

    #: answer texts another question could give away, each with where it could
    answers: Callable[[Data], list[tuple[str, Scope]]]
    #: what it shows besides the prompt before it is answered: (field, text, is one
    #: of a list of options)
    shown: Callable[[Data], list[tuple[str, str, bool]]]


# --------------------------------------------------------------------------------------
# Import and export


@dataclass(frozen=True, slots=True)
class Unsupported:
    """A format cannot express the type; ``reason`` says why (shown in reports)."""

    reason: str


@dataclass(frozen=True, slots=True)
class GiftAnswer:
    """A question's GIFT answer part, the text between ``{`` and ``}``."""

    block: str
    inline: bool = False  #: starts on the prompt's line (``{TRUE``), not the next
    has_explanation: bool = True  #: a ``####`` general feedback may follow
    lost: tuple[str, ...] = ()  #: details of the question that GIFT cannot hold


class GiftContext(Protocol):
    """What ``interchange/gift.py`` offers a type reading its answer part (escaped
    characters are still protected in the raw texts it is given)."""

    def plain(self, raw: str) -> str:
        """One line of plain text of an answer (format tag, escapes and HTML removed;
        images counted as left out)."""
        ...

    def restore(self, raw: str) -> str:
        """The raw text with its escapes undone."""
        ...

    def note(self, message: str) -> None:
        """Report a detail of the question that was lost or changed."""
        ...


@dataclass(frozen=True, slots=True)
class GiftRead:
    """What a type read from a GIFT answer part."""

    data: dict[str, Any]
    #: raw feedback texts that explain the question when it has no general feedback
    explained_by: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class GiftCodec:
    """Both directions of GIFT. Which type reads an answer part is decided by its
    syntax, as in Moodle's parser: the types are asked in ``order`` (lowest first) and
    the first whose ``claims`` is true reads it."""

    write: Callable[[Data], GiftAnswer]
    #: the answer part (between { and }, without general feedback) -> the data;
    #: ValueError(reason) skips the question
    read: Callable[[str, GiftContext], GiftRead]
    claims: Callable[[str], bool]
    order: int


class MoodleXmlContext(Protocol):
    """What ``interchange/moodlexml.py`` offers a type reading its <question>."""

    def plain(self, node: ET.Element | None) -> str:
        """One line of plain text from an element's <text> (HTML removed; its
        images and files counted as left out)."""
        ...

    def plain_text(self, text: str) -> str:
        """One line of plain text from text that may be HTML."""
        ...

    def note(self, message: str) -> None:
        """Report a detail of the question that was lost or changed."""
        ...


@dataclass(frozen=True, slots=True)
class MoodleXmlRead:
    """What a type read from a Moodle <question>."""

    data: dict[str, Any]
    #: answers whose feedback explains the question when it has no general feedback
    explained_by: tuple[ET.Element, ...] = ()


def _always(node: ET.Element) -> bool:
    return True


@dataclass(frozen=True, slots=True)
class MoodleXmlCodec:
    """Both directions of Moodle XML, as Moodle's question type ``qtype``."""

    qtype: str  #: Moodle's question type, e.g. "multichoice"
    #: adds the type's own elements (answers, options) to the <question> element
    write: Callable[[Data, ET.Element], None]
    #: a <question> of Moodle's type -> the data; ValueError(reason) skips it
    read: Callable[[ET.Element, MoodleXmlContext], MoodleXmlRead]
    #: whether a <question> of Moodle's type is this type (Moodle's multichoice is
    #: single_choice or multi_choice, by its <single>)
    accepts: Callable[[ET.Element], bool] = _always


@dataclass(frozen=True, slots=True)
class CsvCells:
    """The type's cells of a CSV question row (docs/import-export.md)."""

    answer: str = ""
    choices: str = ""
    tolerance: str = ""
    unit: str = ""
    shuffle: str = ""  #: "false" keeps the choices in their order


@dataclass(frozen=True, slots=True)
class CsvCodec:
    """Both directions of the CSV question layout."""

    write: Callable[[Data], CsvCells]
    #: the row's cells by column name -> the type's data; ValueError(reason) skips it
    read: Callable[[Mapping[str, str]], dict[str, Any]]


def _no_front_extra(data: Data) -> str:
    return ""


@dataclass(frozen=True, slots=True)
class Interchange:
    """The type in other tools' formats."""

    gift: GiftCodec | Unsupported
    moodle_xml: MoodleXmlCodec | Unsupported
    csv: CsvCodec | Unsupported
    #: Markdown added after the prompt on an exported Anki card's front (its choices);
    #: the back is ``describe_answer``
    anki_front: Callable[[Data], str] = _no_front_extra


#: The parts a registered type must declare (None only in hand-built test doubles).
PARTS = ("example", "correct_response", "quiz", "analysis", "leaks", "interchange")


@dataclass(frozen=True, slots=True)
class QuestionType:
    key: str
    label: str  #: shown to teachers, e.g. "Single choice"
    fields: Mapping[str, FieldKind]
    required: frozenset[str]
    check: Check
    grade: Grader
    describe_answer: AnswerDescriber  #: the correct answer, Markdown-safe
    describe_response: ResponseDescriber  #: what the student answered, Markdown-safe
    defaults: Mapping[str, Any] = field(default_factory=dict)
    #: what each own key means (bank-format reference, JSON Schema, editor)
    key_help: Mapping[str, str] = field(default_factory=dict)
    #: the type's own keys of a valid question, as a bank file writes them (the
    #: completeness test; a starting point for a new question in an editor)
    example: Mapping[str, Any] | None = None
    #: the response that earns full marks (tests, previews)
    correct_response: Callable[[Data], Any] | None = None
    quiz: QuizForm | None = None
    analysis: ItemAnalysis | None = None
    leaks: LeakCheck | None = None
    interchange: Interchange | None = None

    @property
    def template(self) -> str:
        return f"quiz/questions/{self.key}.html"

    def missing_parts(self) -> list[str]:
        """The parts this type leaves out; a registered type leaves out none."""
        missing = [name for name in PARTS if getattr(self, name) is None]
        missing += [f"key_help[{k!r}]" for k in self.fields if k not in self.key_help]
        return missing


NO_ANSWER = "(no answer)"
NO_ANSWER_FEEDBACK = "No answer given."
