"""Pure checks that relate items to each other: unique ids, quiz selections (within
a bank and across banks), image files beside the bank; and which questions a quiz
selection draws. No Flask or DB imports.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from quiz_app.banks.checks import Checker, Places, QuizPlaces, did_you_mean, item_where
from quiz_app.banks.schema import (
    ALL_BANKS,
    Bank,
    Card,
    Problem,
    Question,
    QuizDef,
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
            _check_selection_size(c, quiz, places, where, chosen)


def _check_selection_size(
    c: Checker, quiz: QuizDef, places: QuizPlaces, where: str, chosen: list[Question]
) -> None:
    if not chosen:
        c.add(places.quiz, where, "the quiz selects no question")
    elif quiz.count is not None and quiz.count > len(chosen):
        at = places.count or places.quiz
        c.add(
            at,
            where,
            f"'count' is {quiz.count} but the selection has only {len(chosen)} "
            f"question{'s' * (len(chosen) != 1)}",
        )


@dataclass(frozen=True, slots=True)
class _Pool:
    """The one attribute of a Bank that selection needs."""

    questions: tuple[Question, ...]


# ----------------------------------------------------------------------
# Selection (pure; used by the quiz service too)


def resolve_quiz_questions(
    quiz: QuizDef, bank: Bank | _Pool, banks_by_id: Mapping[str, Bank]
) -> list[Question]:
    """The questions a quiz draws from, in bank then file order.

    ``select.banks`` empty means ``bank`` itself, ``("all",)`` every bank of
    ``banks_by_id`` (in its order), otherwise those banks in the order listed; ids
    missing from ``banks_by_id`` are skipped (validation reports them). Topics, tags and
    ids combine as "any of"; none of them means every question.
    """
    banks = quiz.select.banks
    if not banks:
        pools: list[Bank | _Pool] = [bank]
    elif banks == (ALL_BANKS,):
        pools = list(banks_by_id.values())
    else:
        pools = [banks_by_id[b] for b in banks if b in banks_by_id]
    topics, tags, ids = (
        set(quiz.select.topics),
        set(quiz.select.tags),
        set(quiz.select.ids),
    )
    everything = not (topics or tags or ids)
    return [
        q
        for pool in pools
        for q in pool.questions
        if everything or q.topic in topics or q.id in ids or not tags.isdisjoint(q.tags)
    ]


def cross_bank_problems(parsed: list[tuple[Bank, Places]]) -> list[Problem]:
    problems: list[Problem] = []
    banks_by_id: dict[str, Bank] = {}
    for bank, places in parsed:
        first = banks_by_id.get(bank.id)
        if first is None:
            banks_by_id[bank.id] = bank
        else:
            line, column = places.bank_id
            problems.append(
                Problem(
                    bank.source_path,
                    line,
                    column,
                    f"bank id {bank.id!r} is also used by {first.source_path}",
                )
            )

    item_owner: dict[str, tuple[str, str, int]] = {}  # id -> (kind, file, line)
    quiz_owner: dict[str, str] = {}  # id -> where it was first seen
    for bank, places in parsed:
        items = [("question", q.id, q.line) for q in bank.questions]
        items += [("card", card.id, card.line) for card in bank.cards]
        for kind, item_id, item_line in items:
            line, column = places.item_ids.get(item_id, (item_line, 0))
            first_item = item_owner.get(item_id)
            if first_item is None:
                item_owner[item_id] = (kind, bank.source_path, line)
            elif first_item[1] != bank.source_path:
                problems.append(
                    Problem(
                        bank.source_path,
                        line,
                        column,
                        f"{kind} id {item_id!r} is also used by a {first_item[0]} at "
                        f"{first_item[1]}:{first_item[2]}",
                    )
                )
        for quiz in bank.quizzes:
            quiz_places = places.quizzes.get(quiz.id)
            # A default quiz has no line of its own: point at the bank's id.
            line, column = quiz_places.id if quiz_places else places.bank_id
            where = f"{bank.source_path}:{line}"
            if quiz.is_default:
                where = f"the default quiz of {bank.source_path}"
            first_quiz = quiz_owner.get(quiz.id)
            if first_quiz is None:
                quiz_owner[quiz.id] = where
                continue
            message = f"quiz id {quiz.id!r} is also used by {first_quiz}"
            if quiz.is_default:
                message = (
                    f"this bank's default quiz id {quiz.id!r} is also used by "
                    f"{first_quiz}; define a quiz of your own"
                )
            problems.append(Problem(bank.source_path, line, column, message))

    for bank, places in parsed:
        for quiz in bank.quizzes:
            if quiz.select.banks and quiz.id in places.quizzes:
                problems += _check_cross_selection(
                    bank, quiz, places.quizzes[quiz.id], banks_by_id
                )
        base = Path(bank.source_path).parent
        for question in bank.questions:
            if (
                question.image is not None
                and not (base / question.image.file).is_file()
            ):
                line, column = places.images.get(question.id, (question.line, 0))
                problems.append(
                    Problem(
                        bank.source_path,
                        line,
                        column,
                        f"questions ({question.id}): image file "
                        f"{question.image.file!r} not found beside the bank",
                    )
                )
    return problems


def _check_cross_selection(
    bank: Bank, quiz: QuizDef, places: QuizPlaces, banks_by_id: Mapping[str, Bank]
) -> list[Problem]:
    c = Checker(bank.source_path)
    where = f"quizzes ({quiz.id})"
    names = quiz.select.banks
    if names != (ALL_BANKS,):
        for name in names:
            if name not in banks_by_id:
                c.add(
                    places.banks.get(name, places.quiz),
                    where,
                    f"no bank has id {name!r}{did_you_mean(name, banks_by_id)}",
                )
        if c.problems:
            return c.problems
        pools = [banks_by_id[name] for name in names]
    else:
        pools = list(banks_by_id.values())
    topics = {t for pool in pools for t in pool.topics}
    ids = {q.id for pool in pools for q in pool.questions}
    for topic, at in places.topics.items():
        if topic not in topics:
            c.add(
                at,
                where,
                f"topic {topic!r} is in none of the selected "
                f"banks{did_you_mean(topic, topics)}",
            )
    for qid, at in places.ids.items():
        if qid not in ids:
            c.add(
                at,
                where,
                "no question in the selected banks has id "
                f"{qid!r}{did_you_mean(qid, ids)}",
            )
    if not c.problems:
        _check_selection_size(
            c, quiz, places, where, resolve_quiz_questions(quiz, bank, banks_by_id)
        )
    return c.problems
