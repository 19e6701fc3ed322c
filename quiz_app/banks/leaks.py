"""Pure check that the questions of one quiz do not give each other's answers away.
No Flask or DB.

A quiz shows a student its questions' prompts, choices, ordering items and matching
pairs. When one of those texts contains the answer of another question the same quiz
can draw, the student reads the answer before (or after) being asked for it: an
ordering item "Harrison replaces Joy (May 1952)" answers "When did Harrison take over?".

Which answers count:

* ``short_text`` (every accepted answer) and ``numeric`` answers are hidden until the
  student answers, so they leak wherever another question shows them: prompt, choices,
  ordering items, matching pairs or distractors. A small whole number also leaks as a
  word ("Ten senior officers") from ordering items and matching pairs.
* A ``single_choice`` answer is already on screen among its own choices; another
  question leaks it only by tying it to the facts, in its prompt, its ordering items or
  its matching pairs, not by listing it as one more choice.
* A ``multi_choice`` answer is a set of choices that are all on screen, and
  ``true_false``, ``ordering`` and ``matching`` have no answer text of their own: none
  of them is checked.

Each type says which of its texts are answers and which are shown (``LeakCheck`` in
its module under ``questions/kinds``); this module compares them.

Texts are compared word for word after the short-answer grader's normalisation
(:func:`quiz_app.questions.answers.answer_words`): case, accents, punctuation and
romanisation do not matter, and "Joy" is not found inside "enjoy". Answers shorter than
three letters or digits (``10``, ``UN``) are too common to count.

Two questions never leak to each other when they share a ``variant_group`` (a quiz draws
at most one of them) or when either lists the other in ``allow_overlap``.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import PurePath

from quiz_app.banks.schema import Bank, Question, QuizDef
from quiz_app.questions.answers import answer_words
from quiz_app.questions.grading import leak_check
from quiz_app.questions.types import Scope

__all__ = [
    "Leak",
    "Scope",
    "UnknownOverlap",
    "answers_of",
    "check_banks",
    "find_bank_leaks",
    "find_leaks",
    "find_pair_leak",
    "find_unknown_overlaps",
    "shown_texts",
    "warnings_about",
]

#: answers whose normalised text is shorter than this are not checked
MIN_ANSWER_CHARS = 3


@dataclass(frozen=True, slots=True, order=True)
class Leak:
    """Question ``shown_in`` shows ``answer``, the answer of question ``answer_of``."""

    source: str  #: the file of ``shown_in``
    line: int  #: the line of ``shown_in``
    shown_in: str
    answer_of: str
    answer: str
    field: str  #: where ``shown_in`` shows it: prompt, choices, items, pairs, ...
    quizzes: tuple[str, ...]  #: every quiz that can draw both questions

    def __str__(self) -> str:
        quizzes = ", ".join(self.quizzes)
        return (
            f"{self.source}:{self.line}:0: warning: questions ({self.shown_in}): its "
            f"{self.field} {'gives' if self.field == 'prompt' else 'give'} away "
            f"{self.answer!r}, the answer of {self.answer_of}, "
            f"and {'quizzes' if len(self.quizzes) > 1 else 'quiz'} {quizzes} can draw "
            f"both; reword one, put both in one 'variant_group', or list "
            f"{self.answer_of} in 'allow_overlap'"
        )


@dataclass(frozen=True, slots=True, order=True)
class UnknownOverlap:
    """An ``allow_overlap`` entry that names no question of the checked banks."""

    source: str
    line: int
    question_id: str
    unknown_id: str

    def __str__(self) -> str:
        return (
            f"{self.source}:{self.line}:0: warning: questions ({self.question_id}): "
            f"'allow_overlap' names {self.unknown_id!r}, which is no question"
        )


def answers_of(question: Question) -> tuple[tuple[str, Scope], ...]:
    """The question's answer texts long enough to check, each with where another
    question could give it away.

    A whole-number answer up to twenty is also checked as a word ("ten"), but only
    against ordering items and matching pairs: in prompts such words are too common
    ("two sides", "ten days") to mean anything.
    """
    texts = leak_check(question.type).answers(question.data)
    return tuple(
        (text, scope)
        for text, scope in dict.fromkeys(texts)
        if len("".join(answer_words(text))) >= MIN_ANSWER_CHARS
    )


def shown_texts(question: Question) -> tuple[tuple[str, str, bool], ...]:
    """What a quiz shows of the question before it is answered, as
    ``(field, text, is_a_list_of_options)``.
    """
    shown = leak_check(question.type).shown(question.data)
    return (("prompt", question.prompt, False), *shown)


def _spaced(text: str) -> str:
    """The text's normalised words between spaces, so that a word sequence is found
    with one substring search: " nam il " is in " general nam il led " but " joy " is
    not in " enjoyed ".
    """
    return " " + " ".join(answer_words(text)) + " "


#: (field, spaced words, is a list of options) per shown text
_Shown = tuple[tuple[str, str, bool], ...]
#: (answer as written, spaced words, scope) per answer
_Answers = tuple[tuple[str, str, Scope], ...]


def _index_shown(question: Question) -> _Shown:
    return tuple(
        (field, _spaced(text), is_option)
        for field, text, is_option in shown_texts(question)
    )


def _index_answers(question: Question) -> _Answers:
    return tuple((text, _spaced(text), scope) for text, scope in answers_of(question))


def _first_leak(shown: _Shown, answers: _Answers) -> tuple[str, str] | None:
    for field, words, is_option in shown:
        for answer, needle, scope in answers:
            if scope is Scope.NOT_OPTIONS and is_option:
                continue
            if scope is Scope.ITEMS_AND_PAIRS and field not in ("items", "pairs"):
                continue
            if needle in words:
                return answer, field
    return None


def _may_overlap(first: Question, second: Question) -> bool:
    if first.variant_group is not None and first.variant_group == second.variant_group:
        return True
    return second.id in first.allow_overlap or first.id in second.allow_overlap


def find_pair_leak(shown_in: Question, answer_of: Question) -> tuple[str, str] | None:
    """The first answer of ``answer_of`` that ``shown_in`` shows, and where, or None.

    Ignores ``variant_group`` and ``allow_overlap``.
    """
    return _first_leak(_index_shown(shown_in), _index_answers(answer_of))


def find_leaks(
    quiz_pools: Iterable[tuple[QuizDef, Sequence[Question]]],
    *,
    sources: Mapping[str, str],
) -> list[Leak]:
    """Every pair of questions that one quiz can draw together where one shows the
    other's answer, once per pair with all the quizzes concerned.

    :param quiz_pools: each quiz with the questions its selection draws from
        (:func:`quiz_app.banks.loader.resolve_quiz_questions`).
    :param sources: question id -> the file it comes from, for the messages.
    """
    found: dict[tuple[str, str], tuple[Question, str, str]] = {}
    quizzes: dict[tuple[str, str], list[str]] = defaultdict(list)
    checked: dict[tuple[str, str], tuple[str, str] | None] = {}
    # Normalised once per question: a final exam pairs every question with every other.
    shown: dict[str, _Shown] = {}
    answers: dict[str, _Answers] = {}
    for quiz, pool in quiz_pools:
        if quiz.count == 1:
            continue
        questions = list({q.id: q for q in pool}.values())
        for shown_in in questions:
            for answer_of in questions:
                key = (shown_in.id, answer_of.id)
                if shown_in.id == answer_of.id or _may_overlap(shown_in, answer_of):
                    continue
                if key not in checked:
                    if shown_in.id not in shown:
                        shown[shown_in.id] = _index_shown(shown_in)
                    if answer_of.id not in answers:
                        answers[answer_of.id] = _index_answers(answer_of)
                    checked[key] = _first_leak(
                        shown[shown_in.id], answers[answer_of.id]
                    )
                hit = checked[key]
                if hit is None:
                    continue
                found.setdefault(key, (shown_in, *hit))
                quizzes[key].append(quiz.id)
    return sorted(
        Leak(
            source=sources.get(shown_in.id, ""),
            line=shown_in.line,
            shown_in=shown_in.id,
            answer_of=answer_of_id,
            answer=answer,
            field=field,
            quizzes=tuple(dict.fromkeys(quizzes[(shown_in.id, answer_of_id)])),
        )
        for (_, answer_of_id), (shown_in, answer, field) in found.items()
    )


def find_unknown_overlaps(banks: Sequence[Bank]) -> list[UnknownOverlap]:
    """``allow_overlap`` entries that name no question of these banks."""
    known = {q.id for bank in banks for q in bank.questions}
    return sorted(
        UnknownOverlap(bank.source_path, q.line, q.id, other)
        for bank in banks
        for q in bank.questions
        for other in q.allow_overlap
        if other not in known
    )


Resolver = Callable[[QuizDef, Bank, Mapping[str, Bank]], list[Question]]


def find_bank_leaks(
    banks: Sequence[Bank], *, resolve: Resolver
) -> list[UnknownOverlap | Leak]:
    """Every unknown ``allow_overlap`` id, then every leak, among these banks' quizzes.

    :param resolve: the selection rule (``loader.resolve_quiz_questions``), passed in so
        this module does not depend on the loader.
    """
    banks_by_id = {bank.id: bank for bank in banks}
    pools = [
        (quiz, resolve(quiz, bank, banks_by_id))
        for bank in banks
        for quiz in bank.quizzes
    ]
    sources = {q.id: bank.source_path for bank in banks for q in bank.questions}
    found: list[UnknownOverlap | Leak] = [*find_unknown_overlaps(banks)]
    found += find_leaks(pools, sources=sources)
    return found


def check_banks(banks: Sequence[Bank], *, resolve: Resolver) -> list[str]:
    """:func:`find_bank_leaks` as ``file:line:column: warning: ...`` lines."""
    return [str(warning) for warning in find_bank_leaks(banks, resolve=resolve)]


def warnings_about(
    bank_id: str,
    banks: Sequence[Bank],
    *,
    resolve: Resolver,
    shown_as: str | None = None,
) -> list[str]:
    """The warnings that concern one bank (one of its questions shows or is given
    away), for the teacher who uploads it.

    :param shown_as: the file name to print for the bank instead of its path (an upload
        is checked under a temporary name); other banks are named by file name only.
    """
    mine = next((b for b in banks if b.id == bank_id), None)
    if mine is None:
        return []
    ids = {q.id for q in mine.questions}
    lines = []
    for found in find_bank_leaks(banks, resolve=resolve):
        if isinstance(found, Leak):
            if found.shown_in not in ids and found.answer_of not in ids:
                continue
        elif found.question_id not in ids:
            continue
        # Teachers see file names, not the server's folders.
        name = PurePath(found.source).name
        if shown_as is not None and found.source == mine.source_path:
            name = shown_as
        lines.append(name + str(found)[len(found.source) :])
    return lines
