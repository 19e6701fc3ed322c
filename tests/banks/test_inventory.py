"""Pure inventory helpers: counts and duplicate detection."""

from __future__ import annotations

from quiz_app.banks import schema
from quiz_app.banks.inventory import count_bank, find_duplicate_questions
from tests.factories import make_schema_question


def _bank(bank_id, *questions, cards=()):
    return schema.Bank(
        id=bank_id,
        title=bank_id,
        source_path=f"{bank_id}.yaml",
        questions=tuple(questions),
        cards=tuple(cards),
    )


def test_same_prompt_and_answer_across_banks_is_a_duplicate():
    a = make_schema_question("a-1", prompt="Who signed for the UNC?")
    b = make_schema_question(
        "b-1", prompt="who signed for the  UNC"
    )  # case, spacing, punctuation
    c = make_schema_question(
        "b-2",
        prompt="Who signed for the UNC?",
        data={"choices": ("X", "Y"), "answer": "X", "shuffle": True},
    )
    assert find_duplicate_questions([_bank("a", a), _bank("b", b, c)]) == [
        ("a-1", "b-1")
    ]


def test_counts_split_plain_cards_from_question_cards():
    card = schema.Card(id="c1", front="NNSC", back="…", sources=("s",), topic="t")
    flash = make_schema_question("q2", flashcard=schema.CardFace(front="f", back="b"))
    counts = count_bank(_bank("x", make_schema_question("q1"), flash, cards=(card,)))
    assert (counts.questions, counts.cards, counts.question_cards) == (2, 1, 1)
    assert counts.by_type == {"single_choice": 2}
