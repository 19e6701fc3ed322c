"""Round-trip edits of a bank's YAML text: comments, key order and every untouched
entry survive, and the result loads to the values intended."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from quiz_app.banks import editing
from quiz_app.banks.loader import parse_bank
from quiz_app.banks.schema import Bank

BANK = """\
# A bank written by hand: these comments must survive every edit.
format: 1
id: edited
title: An edited bank   # trailing comment on the title
topics:
  talks: The talks
sources:
  src:
    title: A source
questions:
  # The first question, about the place.
  - id: q-place
    type: single_choice
    topic: talks
    prompt: Where were the talks held from October 1951?
    choices: [Panmunjom, Kaesong, Geneva]   # keep this order
    answer: Panmunjom
    explanation: They moved from Kaesong to Panmunjom.
    sources: [src]

  - id: q-year
    prompt: In what year was the Armistice signed?
    type: numeric
    answer: 1953
    # why no tolerance: the year is exact
    topic: talks
    explanation: |
      On 27 July 1953.
      # Not a comment: a Markdown heading inside the block.
    sources: [src]

  - id: q-order
    type: ordering
    topic: talks
    prompt: Put these in order.
    items:
      - Malik's broadcast
      - First plenary
      - Armistice signed
    explanation: 1951, 1951, 1953.
    sources: [src]
cards:
  - id: c-one
    front: Panmunjom
    back: The truce village.
    sources: [src]
    topic: talks
"""


def _load(text: str) -> Bank:
    return parse_bank(text, source="edited.yaml")


def _question(bank: Bank, qid: str) -> object:
    return next(q for q in bank.questions if q.id == qid)


def _lines_without(text: str, *removed: str) -> list[str]:
    return [line for line in text.splitlines() if line not in removed]


def test_replace_rewrites_only_the_changed_keys_in_place() -> None:
    item = editing.get_item(BANK, "questions", "q-year")
    item["answer"] = 1954
    item["explanation"] = "On 27 July 1953.\nIn Panmunjom."
    new = editing.replace_item(BANK, "questions", "q-year", item)
    old_lines, new_lines = BANK.splitlines(), new.splitlines()
    changed = [line for line in new_lines if line not in old_lines]
    assert changed == ["    answer: 1954", "    explanation: |-", "      In Panmunjom."]
    # Key order (prompt before type), the comment between keys and the other entries
    # are byte for byte the same.
    assert new.startswith(BANK[: BANK.index("    answer: 1953")])
    assert "    # why no tolerance: the year is exact\n    topic: talks\n" in new
    assert new.endswith(BANK[BANK.index("    sources: [src]\n\n  - id: q-order") :])
    q = _question(_load(new), "q-year")
    assert q.data["answer"] == 1954  # type: ignore[attr-defined]
    assert q.explanation == "On 27 July 1953.\nIn Panmunjom."  # type: ignore[attr-defined]


def test_an_unchanged_entry_gives_the_same_bytes() -> None:
    for qid in ("q-place", "q-year", "q-order"):
        item = editing.get_item(BANK, "questions", qid)
        assert editing.replace_item(BANK, "questions", qid, item) == BANK


def test_replace_keeps_the_flow_style_and_the_dash_of_the_first_key() -> None:
    item = editing.get_item(BANK, "questions", "q-place")
    item["id"] = "q-place-2"
    item["choices"] = ["Panmunjom", "Kaesong", "Geneva", "Munsan"]
    new = editing.replace_item(BANK, "questions", "q-place", item)
    assert "  - id: q-place-2\n" in new
    assert "    choices: [Panmunjom, Kaesong, Geneva, Munsan]\n" in new
    assert "  # The first question, about the place.\n" in new
    q = _question(_load(new), "q-place-2")
    assert q.data["choices"] == ("Panmunjom", "Kaesong", "Geneva", "Munsan")  # type: ignore[attr-defined]


def test_removed_keys_are_cut_and_new_keys_appended() -> None:
    item = editing.get_item(BANK, "questions", "q-year")
    item["tolerance"] = 0.5
    item["tags"] = ["dates", "1953"]
    new = editing.replace_item(BANK, "questions", "q-year", item)
    assert "    sources: [src]\n    tolerance: 0.5\n    tags: [dates, '1953']\n" in new
    q = _question(_load(new), "q-year")
    assert q.tags == ("dates", "1953")  # type: ignore[attr-defined]
    del item["tags"]
    del item["tolerance"]
    assert editing.replace_item(new, "questions", "q-year", item) == BANK


def test_text_that_looks_like_another_type_stays_text() -> None:
    item = editing.get_item(BANK, "questions", "q-place")
    item["choices"] = ["No", "1953", "true", "010", "a: b", "#hash"]
    item["answer"] = "1953"
    new = editing.replace_item(BANK, "questions", "q-place", item)
    q = _question(_load(new), "q-place")
    assert q.data["choices"] == ("No", "1953", "true", "010", "a: b", "#hash")  # type: ignore[attr-defined]
    assert q.data["answer"] == "1953"  # type: ignore[attr-defined]


def test_a_matching_question_is_added_with_its_pairs_in_order() -> None:
    item = {
        "id": "q-match",
        "type": "matching",
        "topic": "talks",
        "prompt": "Match each person to a role.",
        "pairs": (("Nam Il", "KPA delegate"), ("Joy", "UNC delegate"), ("1949", "x")),
        "explanation": "See the source.",
        "sources": ["src"],
    }
    new = editing.add_item(BANK, "questions", item)
    assert new.startswith(BANK[: BANK.index("cards:")])
    assert new.endswith(BANK[BANK.index("cards:") :])
    q = _question(_load(new), "q-match")
    assert q.data["pairs"] == (  # type: ignore[attr-defined]
        ("Nam Il", "KPA delegate"),
        ("Joy", "UNC delegate"),
        ("1949", "x"),
    )
    assert editing.item_ids(new, "questions")[-1] == "q-match"


def test_add_at_a_position_and_to_a_missing_list() -> None:
    card = {"id": "c-zero", "front": "F", "back": "B", "sources": ["src"]}
    new = editing.add_item(BANK, "cards", {**card, "topic": "talks"}, index=0)
    assert editing.item_ids(new, "cards") == ["c-zero", "c-one"]
    quiz = {"id": "quiz-a", "title": "A quiz", "count": 2}
    new = editing.add_item(new, "quizzes", quiz)
    assert new.endswith("quizzes:\n  - id: quiz-a\n    title: A quiz\n    count: 2\n")
    bank = _load(new)
    assert [c.id for c in bank.cards] == ["c-zero", "c-one"]
    assert bank.quizzes[0].count == 2


def test_add_refuses_a_duplicate_id() -> None:
    with pytest.raises(editing.EditError, match="already has"):
        editing.add_item(BANK, "cards", {"id": "c-one", "front": "x"})


def test_delete_takes_the_comment_above_and_keeps_the_rest() -> None:
    new = editing.delete_item(BANK, "questions", "q-place")
    assert "The first question" not in new
    assert "q-place" not in new
    assert new == BANK.replace(
        BANK[BANK.index("  # The first question") : BANK.index("\n  - id: q-year")],
        "",
    )
    assert [q.id for q in _load(new).questions] == ["q-year", "q-order"]
    # The only card: the list goes with it (an empty key would not load).
    no_cards = editing.delete_item(BANK, "cards", "c-one")
    assert "cards:" not in no_cards
    assert _load(no_cards).cards == ()


def test_move_keeps_every_line() -> None:
    new = editing.move_item(BANK, "questions", "q-order", 0)
    assert [q.id for q in _load(new).questions] == ["q-order", "q-place", "q-year"]
    assert sorted(new.splitlines()) == sorted(BANK.splitlines())
    back = editing.move_item(new, "questions", "q-order", 2)
    assert back == BANK


def test_crlf_and_a_missing_final_newline_are_kept() -> None:
    crlf = BANK.replace("\n", "\r\n")
    item = editing.get_item(crlf, "cards", "c-one")
    item["back"] = "The truce village on the line."
    new = editing.replace_item(crlf, "cards", "c-one", item)
    assert "\n" not in new.replace("\r\n", "")
    assert _load(new).cards[0].back == "The truce village on the line."


def test_unknown_entries_and_lists_are_refused() -> None:
    with pytest.raises(editing.EditError, match="no entry"):
        editing.delete_item(BANK, "questions", "nope")
    with pytest.raises(editing.EditError, match="unknown list"):
        editing.item_ids(BANK, "topics")
    with pytest.raises(editing.EditError, match="not YAML"):
        editing.item_ids("a: [", "questions")


@settings(max_examples=150, deadline=None)
@given(
    text=st.text(
        alphabet=st.characters(blacklist_categories=("Cs", "Cc"), max_codepoint=0x2FFF)
        | st.sampled_from(
            ["\n", "#", ":", " ", "-", "'", '"', "|", ">", "*", "&", "!"]
        ),
        min_size=1,
        max_size=60,
    ).filter(lambda s: s.strip() == s and s.strip()),
    items=st.lists(
        st.text(
            alphabet=st.characters(
                blacklist_categories=("Cs", "Cc", "Zl", "Zp"), max_codepoint=0x2FFF
            ),
            min_size=1,
            max_size=20,
        ).filter(lambda s: s.strip() == s and s.strip()),
        min_size=3,
        max_size=3,
        unique_by=lambda s: " ".join(s.split()).casefold(),
    ),
)
def test_any_text_is_written_so_that_the_loader_reads_it_back(
    text: str, items: list[str]
) -> None:
    item = editing.get_item(BANK, "questions", "q-order")
    item["prompt"] = text
    item["explanation"] = text + "\n\nMore."
    item["items"] = items
    new = editing.replace_item(BANK, "questions", "q-order", item)
    q = _question(_load(new), "q-order")
    assert q.prompt == text  # type: ignore[attr-defined]
    assert q.explanation == text + "\n\nMore."  # type: ignore[attr-defined]
    assert list(q.data["items"]) == items  # type: ignore[attr-defined]
    assert new.startswith(BANK[: BANK.index("  - id: q-order")])
