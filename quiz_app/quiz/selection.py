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
from collections.abc import Iterable, Mapping, Sequence
from random import Random
from typing import Any, TypeVar

T = TypeVar("T")


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


def shuffled_options(options: Iterable[T], *, rng: Random) -> list[T]:
    """A shuffled copy of ``options``; the input is never changed."""
    shuffled = list(options)
    rng.shuffle(shuffled)
    return shuffled


def scrambled(items: Sequence[T], *, rng: Random) -> list[T]:
    """A shuffled copy that is never the original order (when another order exists).

    Used for ordering questions, where showing the items in the right order would give
    the answer away. Rotating by one instead of reshuffling keeps it a single draw.
    """
    result = shuffled_options(items, rng=rng)
    if result == list(items) and len(set(map(repr, items))) > 1:
        result = result[1:] + result[:1]
    return result


def presented_options(
    type_key: str, data: Mapping[str, Any], *, rng: Random
) -> dict[str, list[str]]:
    """The option lists a question shows, in the order this attempt shows them.

    ``single_choice``/``multi_choice``: ``{"choices": [...]}`` (shuffled unless the
    bank says ``shuffle: false``); ``ordering``: ``{"items": [...]}`` (never in the
    right order); ``matching``: ``{"lefts": [...], "rights": [...]}`` (lefts in file
    order; the right-hand texts and distractors shuffled together); other types: ``{}``.
    """
    if type_key in ("single_choice", "multi_choice"):
        choices = list(data["choices"])
        if data.get("shuffle", True):
            choices = shuffled_options(choices, rng=rng)
        return {"choices": choices}
    if type_key == "ordering":
        return {"items": scrambled(list(data["items"]), rng=rng)}
    if type_key == "matching":
        pairs: Sequence[tuple[str, str]] = data["pairs"]
        rights = [right for _, right in pairs] + list(data.get("distractors", ()))
        return {
            "lefts": [left for left, _ in pairs],
            "rights": shuffled_options(rights, rng=rng),
        }
    return {}
