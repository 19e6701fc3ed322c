"""Bank problems in teachers' words: counted from 1, with the line, never
``questions[0]``."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from quiz_app.banks.loader import parse_bank
from quiz_app.banks.schema import Bank, BankError, Problem
from quiz_app.banks.wording import cli_line, teacher_problem, teacher_problems
from tests.banks.test_editing import BANK


def test_an_entry_is_named_by_its_number_id_and_line() -> None:
    worded = teacher_problem(
        Problem("b.yaml", 16, 5, "questions[2] (x): 'answer' is not one of the choices")
    )
    assert str(worded) == (
        "Question 3 (id `x`), line 16: 'answer' is not one of the choices"
    )
    assert (worded.section, worded.index, worded.item_id) == ("questions", 2, "x")


def test_cards_quizzes_items_and_the_whole_file() -> None:
    assert str(
        teacher_problem(Problem("b", 3, 1, "cards[0]: missing required key 'id'"))
    ) == ("Card 1, line 3: missing required key 'id'")
    assert str(
        teacher_problem(Problem("b", 9, 1, "quizzes (final): no bank has id 'x'"))
    ) == ("Quiz (id `final`), line 9: no bank has id 'x'")
    assert str(
        teacher_problem(
            Problem("b", 7, 2, "questions[0] (q): 'choices[1]' must be text")
        )
    ) == ("Question 1 (id `q`), line 7: item 2 of 'choices' must be text")
    assert str(teacher_problem(Problem("b", 0, 0, "the file is empty"))) == (
        "the file is empty"
    )
    assert str(teacher_problem(Problem("b", 4, 1, "unknown key 'titel'"))) == (
        "Line 4: unknown key 'titel'"
    )


def test_real_loader_problems_never_show_an_index() -> None:
    broken = BANK.replace("    answer: Panmunjom\n", "    answer: Panmunjon\n")
    broken = broken.replace(
        "  - id: q-order\n    type: ordering", "  - id: q-order\n    type: orderin"
    )
    with pytest.raises(BankError) as raised:
        parse_bank(broken, source="edited.yaml")
    problems = raised.value.problems
    worded = [str(p) for p in teacher_problems(problems)]
    assert worded[0] == (
        "Question 1 (id `q-place`), line 17: 'answer' is not one of the choices "
        "(did you mean 'Panmunjom'?)"
    )
    assert worded[1].startswith(
        "Question 3 (id `q-order`), line 33: unknown type 'orderin' (did you mean "
        "'ordering'?); use one of "
    )
    assert len(worded) == 2
    assert cli_line(problems[0]).startswith(
        "edited.yaml:17:5: Question 1 (id `q-place`): 'answer'"
    )


def _answer_values(bank: Bank) -> set[str]:
    values: set[str] = set()
    for question in bank.questions:
        for value in question.data.values():
            items = value if isinstance(value, tuple) else (value,)
            for item in items:
                pair = item if isinstance(item, tuple) else (item,)
                values.update(str(v) for v in pair if not isinstance(v, bool))
    return values


def test_a_typo_in_any_key_never_gets_an_answer_as_its_hint() -> None:
    """Every key of a bank with numbers, names and pairs, typed wrong three ways: no
    "did you mean" names a choice, an answer or a pair."""
    text = (Path(__file__).parents[1] / "data/banks/valid/origins.yaml").read_text()
    answers = _answer_values(parse_bank(text, source="origins.yaml"))
    lines = text.split("\n")
    tried = 0
    for n, line in enumerate(lines):
        match = re.match(r"^(\s*(?:- )?)([^:#\s][^:#]*?):(\s|$)", line)
        if not match:
            continue
        key = match.group(2)
        for typo in {key[:-1], key + "s", key.swapcase()} - {"", key}:
            broken = [*lines[:n], match.group(1) + typo + line[match.end(2) :]]
            try:
                parse_bank("\n".join(broken + lines[n + 1 :]), source="o.yaml")
            except BankError as error:
                problems = error.problems
            else:
                continue  # still valid: a text used as a key (a matching pair)
            tried += 1
            for problem in problems:
                hints = re.findall(r"did you mean '([^']*)'", problem.message)
                assert not set(hints) & answers, problem
    assert tried > 200
