"""The bundled banks: valid, complete enough for a course, and free of duplicates and
weak citations.
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest

from quiz_app import resource_dir
from quiz_app.banks.crossbank import resolve_quiz_questions
from quiz_app.banks.files import load_bank_files
from quiz_app.banks.inventory import (
    count_bank,
    find_duplicate_questions,
    format_inventory,
)
from quiz_app.banks.leaks import check_banks
from quiz_app.questions.grading import QUESTION_TYPES

BANKS_DIR = resource_dir("question_banks")

#: Minimums from the content issue (#6).
MIN_CONTENT_BANKS = 6
MIN_QUESTIONS = 200
MIN_PLAIN_CARDS = 60

#: Sites that only mirror or repackage a source: cite the original instead.
MIRROR_HOSTS = (
    "findatwiki.com",
    "liquisearch.com",
    "softbeam.net",
    "wordola.com",
    "vdocuments",
)


@pytest.fixture(scope="module")
def banks():
    loaded, problems = load_bank_files([BANKS_DIR])
    assert problems == [], "\n".join(map(str, problems))
    return loaded


def test_every_bundled_bank_validates(banks):
    assert len(banks) == len(list(Path(BANKS_DIR).rglob("*.yaml")))


def test_minimum_size_and_every_type_used(banks):
    content = [b for b in banks if b.questions]
    counts = [count_bank(b) for b in content]
    assert len(content) >= MIN_CONTENT_BANKS
    assert sum(c.questions for c in counts) >= MIN_QUESTIONS
    assert sum(c.cards for c in counts) >= MIN_PLAIN_CARDS
    used = Counter(t for c in counts for t, n in c.by_type.items() for _ in range(n))
    assert set(used) == set(QUESTION_TYPES), (
        f"unused types: {set(QUESTION_TYPES) - set(used)}"
    )
    difficulties = Counter(
        d for c in counts for d, n in c.by_difficulty.items() for _ in range(n)
    )
    assert {"easy", "medium", "hard"} <= set(difficulties)


def test_every_content_bank_defines_its_own_quizzes(banks):
    for bank in banks:
        if bank.questions:
            assert any(not z.is_default for z in bank.quizzes), bank.id


def test_a_final_exam_draws_from_every_bank(banks):
    exams = [z for b in banks for z in b.quizzes if z.select.banks == ("all",)]
    assert exams, "no quiz selects from all banks"
    assert any(z.time_limit_minutes for z in exams)


def test_no_question_gives_away_another_in_any_quiz(banks):
    """The leak check is silent over the bundled banks, final exam included."""
    assert check_banks(banks, resolve=resolve_quiz_questions) == []


def test_no_two_questions_are_duplicates(banks):
    assert find_duplicate_questions(banks) == []


def test_sources_are_cited_and_not_mirrors(banks):
    for bank in banks:
        used = {key for q in bank.questions for key in q.sources}
        used |= {key for c in bank.cards for key in c.sources}
        for key, source in bank.sources.items():
            assert source.title.strip(), f"{bank.id}: source {key} has no title"
            assert not any(host in (source.url or "") for host in MIRROR_HOSTS), (
                f"{bank.id}: source {key} cites a mirror: {source.url}"
            )
        if bank.questions:
            assert used, bank.id


def test_inventory_table_lists_every_bank_and_a_total(banks):
    lines = format_inventory(banks)
    assert lines[0].split()[:5] == ["bank", "questions", "cards", "q-cards", "quizzes"]
    assert {line.split()[0] for line in lines[1:]} == {b.id for b in banks} | {"TOTAL"}
    total = lines[-1].split()
    assert int(total[1]) == sum(len(b.questions) for b in banks)


def test_stats_command_prints_the_inventory(runner):
    result = runner.invoke(args=["banks", "stats", str(BANKS_DIR)])
    assert result.exit_code == 0, result.output
    assert "TOTAL" in result.output and "duplicate" not in result.output
