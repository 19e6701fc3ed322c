"""Pure question selection and shuffling with an injected Random. No Flask or DB.

Every random choice of an attempt comes from :func:`attempt_rng` with the attempt's
stored seed and a salt naming what is shuffled, so a page reload shows the same order
and each question's options get their own stable order, independent of the others::

    ids = order_questions(selected, count=quiz.count, shuffle=quiz.shuffle,
                          rng=attempt_rng(attempt.seed, "questions"))
    shown = presented_options(question.type, question.data,
                              rng=attempt_rng(attempt.seed, f"options:{question.id}"))
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Mapping
from random import Random
from typing import Any

from quiz_app.questions.common import scrambled, shuffled_options
from quiz_app.questions.grading import quiz_form

__all__ = [
    "attempt_rng",
    "one_per_group",
    "order_questions",
    "presented_options",
    "scrambled",
    "shuffled_options",
]


def attempt_rng(seed: int, salt: str) -> Random:
    """A Random that depends only on ``seed`` and ``salt``.

    Hashing both (rather than ``Random(seed)``) keeps streams for different salts
    unrelated and does not depend on Python's hash randomisation.
    """
    digest = hashlib.sha256(f"{seed}\x00{salt}".encode()).digest()
    return Random(int.from_bytes(digest[:8], "big"))


def order_questions(
    question_ids: Iterable[str],
    *,
    count: int | None,
    shuffle: bool,
    rng: Random,
    groups: Mapping[str, str] | None = None,
) -> list[str]:
    """The questions of one attempt, in the order they are asked.

    :param question_ids: the selected questions in file order; repeated ids count once.
    :param count: draw this many at random; None (or at least as many as there are)
        takes every question.
    :param shuffle: shuffle the order; otherwise the drawn questions keep file order.
    :param groups: question id -> its ``variant_group``; an attempt asks at most one
        question of each group, picked at random, so ``count`` counts a group once.
    :raises ValueError: if ``count`` is negative.
    """
    if count is not None and count < 0:
        raise ValueError(f"count must be 0 or more, not {count}")
    ids = one_per_group(dict.fromkeys(question_ids), groups or {}, rng=rng)
    if count is not None and count < len(ids):
        drawn = set(rng.sample(ids, count))
        ids = [qid for qid in ids if qid in drawn]
    if shuffle:
        rng.shuffle(ids)
    return ids


def one_per_group(
    question_ids: Iterable[str], groups: Mapping[str, str], *, rng: Random
) -> list[str]:
    """The ids in their order, keeping one question at random of each variant group.

    Draws from ``rng`` only when some group has more than one member here, so quizzes
    without variants order exactly as before.
    """
    ids = list(question_ids)
    members: dict[str, list[str]] = {}
    for qid in ids:
        group = groups.get(qid)
        if group is not None:
            members.setdefault(group, []).append(qid)
    dropped = {
        qid for group_ids in members.values() if len(group_ids) > 1 for qid in group_ids
    }
    for group_ids in members.values():
        if len(group_ids) > 1:
            dropped.discard(rng.choice(group_ids))
    return [qid for qid in ids if qid not in dropped]


def presented_options(
    type_key: str, data: Mapping[str, Any], *, rng: Random
) -> dict[str, list[str]]:
    """The option lists a question shows, in the order this attempt shows them (its
    type's ``QuizForm.present``).

    ``single_choice``/``multi_choice``: ``{"choices": [...]}`` (shuffled unless the
    bank says ``shuffle: false``); ``ordering``: ``{"items": [...]}`` (never in the
    right order); ``matching``: ``{"lefts": [...], "rights": [...]}`` (lefts in file
    order; the right-hand texts and distractors shuffled together); other types: ``{}``.
    """
    return quiz_form(type_key).present(data, rng)
