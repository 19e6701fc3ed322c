"""Pure checks that relate a bank's items to each other: unique ids, quiz selections
and their size; and which questions a quiz selection draws. No Flask or DB imports.
The checks across banks (and of image files on disk) are in :mod:`.files`.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import PurePath
from typing import Any

from quiz_app.banks.checks import Checker, QuizPlaces, did_you_mean, item_where
from quiz_app.banks.schema import (
    ALL_BANKS,
    Bank,
    Card,
    Question,
    QuizDef,
    draws,
)
from quiz_app.banks.yamlnodes import Map, Node, Scalar


def check_unique_ids(
    c: Checker,
    pairs: Mapping[str, tuple[Scalar, Node]],
    questions: list[tuple[Question | None, Node]],
    cards: list[tuple[Card | None, Node]],
    quizzes: list[tuple[QuizDef | None, Node]],
) -> None:
    """Report duplicate ids: questions and cards share one id space."""

    def id_nodes(
        items: list[tuple[Any, Node]], kind: str
    ) -> Iterable[tuple[str, Node, str]]:
        for index, (_, node) in enumerate(items):
            if not isinstance(node, Map):
                continue
            for key, value in node.pairs:
                if isinstance(key, Scalar) and key.value == "id":
                    if isinstance(value, Scalar) and value.value:
                        yield value.value, value, item_where(kind, index, node)
                    break

    for group in (
        [*id_nodes(questions, "questions"), *id_nodes(cards, "cards")],
        list(id_nodes(quizzes, "quizzes")),
    ):
        seen: dict[str, tuple[Node, str]] = {}
        for text, node, where in group:
            first = seen.get(text)
            if first is None:
                seen[text] = (node, where)
                c.places.item_ids.setdefault(text, (node.line, node.column))
                continue
            c.add(
                node,
                where,
                f"duplicate id {text!r}: {first[1].split(' ')[0]} at line "
                f"{first[0].line} has it too",
            )


def _node_id(node: Node) -> str | None:
    """The ``id`` text of an item node, even if the item failed to convert."""
    if isinstance(node, Map):
        for key, value in node.pairs:
            if isinstance(key, Scalar) and key.value == "id":
                return value.value if isinstance(value, Scalar) else None
    return None


def check_quizzes_in_bank(
    c: Checker,
    quizzes: list[tuple[QuizDef | None, Node]],
    questions: list[tuple[Question | None, Node]],
    cards: list[tuple[Card | None, Node]],
    topic_keys: frozenset[str] | None,
) -> None:
    """Check selections drawn from this bank: known topics/ids, count fits."""
    question_ids = {_node_id(node) for _, node in questions} - {None}
    card_ids = {_node_id(node) for _, node in cards} - {None}
    good = tuple(q for q, _ in questions if q is not None)
    for index, (quiz, node) in enumerate(quizzes):
        places = c.places.by_index.get(index)
        if quiz is None or quiz.select.banks or places is None:
            continue
        where = item_where("quizzes", index, node)
        before = len(c.problems)
        for topic in quiz.select.topics:
            if topic_keys is not None and topic not in topic_keys:
                c.add(
                    places.topics[topic],
                    where,
                    f"topic {topic!r} is not a key of "
                    f"'topics'{did_you_mean(topic, topic_keys)}",
                )
        for qid in quiz.select.ids:
            if qid in card_ids:
                c.add(
                    places.ids[qid],
                    where,
                    f"{qid!r} is a card; quizzes select questions",
                )
            elif qid not in question_ids:
                c.add(
                    places.ids[qid],
                    where,
                    f"no question has id {qid!r}"
                    f"{did_you_mean(qid, sorted(map(str, question_ids)))}",
                )
        # A question that failed to convert would make the count wrong.
        if len(c.problems) == before and len(good) == len(questions):
            chosen = resolve_quiz_questions(quiz, _Pool(good), {})
            check_selection_size(c, quiz, places, where, chosen)


def check_selection_size(
    c: Checker, quiz: QuizDef, places: QuizPlaces, where: str, chosen: list[Question]
) -> None:
    # An attempt asks one question of a variant group, so a group counts once.
    drawable = len({q.variant_group or f"\0{q.id}" for q in chosen})
    if not chosen:
        c.add(places.quiz, where, "the quiz selects no question")
    elif quiz.count is not None and quiz.count > drawable:
        at = places.count or places.quiz
        grouped = " (a variant group counts once)" if drawable < len(chosen) else ""
        c.add(
            at,
            where,
            f"'count' is {quiz.count} but the selection has only {drawable} "
            f"question{'s' * (drawable != 1)}{grouped}",
        )


@dataclass(frozen=True, slots=True)
class _Pool:
    """The one attribute of a Bank that selection needs."""

    questions: tuple[Question, ...]


# ----------------------------------------------------------------------
# Selection (pure; used by the quiz service too)


def collection_key(source_path: str, *, is_upload: bool) -> str:
    """The collection a bank belongs to, which ``select.banks: all`` draws from.

    A bundled bank's collection is the folder its file ships in (its siblings in that
    folder, not sub-folders or other configured folders). A teacher's upload is a
    collection of its own: ``all`` in an uploaded quiz means its own bank, never the
    bundled banks or other uploads (to draw from several of your banks, name them).
    """
    if is_upload:
        return f"upload:{source_path}"
    return f"folder:{PurePath(source_path).parent}"


def same_collection(bank: Bank | _Pool, banks: Iterable[Bank]) -> Iterator[Bank]:
    """The banks (in the given order) in the same collection as ``bank``."""
    if not isinstance(bank, Bank):
        return
    key = collection_key(bank.source_path, is_upload=bank.is_upload)
    for other in banks:
        if collection_key(other.source_path, is_upload=other.is_upload) == key:
            yield other


def resolve_quiz_questions(
    quiz: QuizDef, bank: Bank | _Pool, banks_by_id: Mapping[str, Bank]
) -> list[Question]:
    """The questions a quiz draws from, in bank then file order.

    ``select.banks`` empty means ``bank`` itself, ``("all",)`` every bank of
    ``banks_by_id`` in ``bank``'s collection (:func:`collection_key`; in the mapping's
    order), otherwise those banks in the order listed; ids missing from ``banks_by_id``
    are skipped (validation reports them). Topics, tags and ids combine as "any of";
    none of them means every question.
    """
    banks = quiz.select.banks
    if not banks:
        pools: list[Bank | _Pool] = [bank]
    elif banks == (ALL_BANKS,):
        pools = list(same_collection(bank, banks_by_id.values()))
    else:
        pools = [banks_by_id[b] for b in banks if b in banks_by_id]
    return [
        q
        for pool in pools
        for q in pool.questions
        if draws(quiz.select, topic=q.topic, question_id=q.id, tags=q.tags)
    ]
