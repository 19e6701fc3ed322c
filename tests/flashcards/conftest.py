"""Flashcard fixtures: a deck of plain cards."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from quiz_app.banks import schema
from tests.factories import make_schema_question


def plain_cards(bank_id: str, count: int, *, topic: str = "topic-a") -> tuple[Any, ...]:
    return tuple(
        schema.Card(
            id=f"{bank_id}-c{n:02d}",
            front=f"Front {bank_id} {n}",
            back=f"Back {bank_id} {n}",
            sources=("src",),
            topic=topic,
        )
        for n in range(1, count + 1)
    )


@pytest.fixture
def make_deck(make_bank: Callable[..., schema.Bank]) -> Callable[..., schema.Bank]:
    """A bank of ``cards`` plain deck cards (``<bank>-c01``...) and one question."""

    def _make_deck(bank_id: str = "deck", cards: int = 3, **kwargs: Any) -> Any:
        return make_bank(
            bank_id,
            questions=(make_schema_question(f"{bank_id}-q1"),),
            cards=plain_cards(bank_id, cards),
            **kwargs,
        )

    return _make_deck
