"""Pure inventory of loaded banks: counts per bank and type, and near-duplicate
questions. No Flask or DB.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

from quiz_app.banks.schema import Bank, Question

_WORDS = re.compile(r"[a-z0-9]+")


@dataclass(frozen=True, slots=True)
class BankCounts:
    bank_id: str
    questions: int
    cards: int  #: plain `cards:` (terms, people, places, bodies)
    question_cards: int  #: questions marked `flashcard:` for every student
    quizzes: int
    by_type: dict[str, int]
    by_difficulty: dict[str, int]


def count_bank(bank: Bank) -> BankCounts:
    """How much of each kind a bank holds."""
    return BankCounts(
        bank_id=bank.id,
        questions=len(bank.questions),
        cards=len(bank.cards),
        question_cards=sum(q.flashcard is not None for q in bank.questions),
        quizzes=len(bank.quizzes),
        by_type=dict(Counter(q.type for q in bank.questions)),
        by_difficulty=dict(Counter(str(q.difficulty) for q in bank.questions)),
    )


def prompt_fingerprint(question: Question) -> str:
    """The prompt's words, lowercased, without punctuation: equal for questions that ask
    the same thing.
    """
    return " ".join(_WORDS.findall(question.prompt.casefold()))


def find_duplicate_questions(banks: Sequence[Bank]) -> list[tuple[str, str]]:
    """Pairs of question ids (across all banks) whose prompts and correct answers are
    the same.
    """
    seen: dict[tuple[str, str, str], str] = {}
    pairs: list[tuple[str, str]] = []
    for bank in banks:
        for question in bank.questions:
            key = (
                question.type,
                prompt_fingerprint(question),
                repr(sorted(question.data.items())),
            )
            if key in seen:
                pairs.append((seen[key], question.id))
            else:
                seen[key] = question.id
    return pairs


def format_inventory(banks: Sequence[Bank]) -> list[str]:
    """A plain-text table of counts per bank and per question type, with totals."""
    rows = [count_bank(b) for b in banks]
    types = sorted({t for r in rows for t in r.by_type})
    header = ["bank", "questions", "cards", "q-cards", "quizzes", *types]
    table = [header]
    for r in rows:
        table.append(
            [
                r.bank_id,
                str(r.questions),
                str(r.cards),
                str(r.question_cards),
                str(r.quizzes),
            ]
            + [str(r.by_type.get(t, 0)) for t in types]
        )
    table.append(
        [
            "TOTAL",
            str(sum(r.questions for r in rows)),
            str(sum(r.cards for r in rows)),
            str(sum(r.question_cards for r in rows)),
            str(sum(r.quizzes for r in rows)),
        ]
        + [str(sum(r.by_type.get(t, 0) for r in rows)) for t in types]
    )
    widths = [max(len(row[i]) for row in table) for i in range(len(header))]
    return [
        "  ".join(
            cell.ljust(w) if i == 0 else cell.rjust(w)
            for i, (cell, w) in enumerate(zip(row, widths, strict=True))
        ).rstrip()
        for row in table
    ]
