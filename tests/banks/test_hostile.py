"""Hostile bank files: each gives a clear problem quickly, never a crash or a hang."""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from quiz_app.banks import yamlnodes
from quiz_app.banks.loader import parse_bank
from quiz_app.banks.schema import BankError

VALID = Path(__file__).resolve().parent.parent / "data" / "banks" / "valid"


def only_problem(text: str | bytes, **kwargs: int) -> str:
    """The single problem of a hostile text, checking it took under a second of CPU
    (CPU time, not wall time: a busy CI machine must not fail the test).
    """
    started = time.process_time()
    with pytest.raises(BankError) as info:
        parse_bank(text, source="evil.yaml", **kwargs)
    assert time.process_time() - started < 1.0
    [problem] = info.value.problems
    return f"{problem.line}:{problem.column}: {problem.message}"


def billion_laughs(levels: int = 9, width: int = 10) -> str:
    lines = ['a0: &a0 ["lol"]']
    for i in range(1, levels + 1):
        refs = ", ".join([f"*a{i - 1}"] * width)
        lines.append(f"a{i}: &a{i} [{refs}]")
    return "\n".join(lines) + "\n"


def test_billion_laughs_is_stopped_by_the_expanded_node_limit() -> None:
    assert only_problem(billion_laughs()) == (
        "7:25: more than 1000000 YAML nodes (aliases expanded)"
    )


def test_small_alias_bomb_is_stopped_by_the_alias_limit() -> None:
    # 432 bytes of this shape expand to hundreds of millions of items in PyYAML.
    text = "a: &a [x, x]\n" + "".join(
        f"b{i}: &b{i} [{', '.join(['*a'] * 10)}]\n" for i in range(30)
    )
    assert only_problem(text) == "22:12: more than 200 aliases (*name)"


def test_recursive_alias_is_refused() -> None:
    assert only_problem("a: &a [1, *a]\n") == (
        "1:11: alias *a refers to a collection that contains it"
    )


def test_unknown_alias_is_refused() -> None:
    assert only_problem("a: *nowhere\n") == (
        "1:4: alias *nowhere has no anchor &nowhere before it"
    )


def test_alias_cannot_smuggle_depth_past_the_limit() -> None:
    deep = "[" * 30 + "]" * 30
    text = f"a: &deep {deep}\nb: [[[[[[[[[[[*deep]]]]]]]]]]]\n"
    assert only_problem(text) == (
        "2:15: nesting is deeper than 40 levels (through alias *deep)"
    )


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("- " * 100_000 + "x", "1:81: nesting is deeper than 40 levels"),
        (
            "".join(" " * i + "a:\n" for i in range(2_000)),
            "41:41: nesting is deeper than 40 levels",
        ),
    ],
    ids=["block-sequences", "block-mappings"],
)
def test_deep_block_nesting_is_refused(text: str, expected: str) -> None:
    assert only_problem(text) == expected


@pytest.mark.parametrize("opener", ["[", "{a: "])
def test_deep_flow_nesting_is_refused(opener: str) -> None:
    # libyaml's scanner looks ahead through flow collections and stops at its own limit
    # (1000) before the tree builder sees 41 levels; either way the file is refused.
    message = only_problem(opener * 100_000)
    assert message.endswith("nesting is deeper than 40 levels") or (
        "exceeded maximum nesting depth" in message
    )


def test_deep_nesting_does_not_crash_the_process() -> None:
    """The C composer would recurse and kill the interpreter; run it in a child."""
    code = (
        "from quiz_app.banks.loader import parse_bank\n"
        "from quiz_app.banks.schema import BankError\n"
        "try:\n"
        "    parse_bank('[' * 1_000_000, source='x')\n"
        "except BankError as e:\n"
        "    print(e.problems[0].message)\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=False
    )
    assert result.returncode == 0
    assert "nesting" in result.stdout


def test_oversized_file_is_refused_before_parsing() -> None:
    text = "# " + "x" * (8 * 1024 * 1024) + "\n"
    assert only_problem(text) == (
        "0:0: the file is 8,388,611 bytes; the limit is 8,388,608 bytes"
    )
    assert only_problem("format: 1\n", max_bytes=5) == (
        "0:0: the file is 10 bytes; the limit is 5 bytes"
    )


def test_binary_file_is_refused() -> None:
    assert only_problem(b"format: 1\n\x89PNG\r\n\x1a\n\x00\x00") == (
        "4:0: this is a binary file (it contains NUL bytes), not YAML text"
    )


def test_invalid_utf8_is_refused_with_its_position() -> None:
    assert only_problem("format: 1\ntitle: caf\xe9\n".encode("latin-1")) == (
        "2:11: the file is not UTF-8 text (byte 0xe9); save it as UTF-8"
    )


def test_lone_surrogate_in_text_is_refused() -> None:
    assert only_problem("title: \ud800\n") == (
        "0:0: the text is not valid Unicode (surrogates not allowed)"
    )


def test_control_characters_are_a_syntax_error() -> None:
    assert only_problem("title: a\x07b\n") == (
        "1:9: YAML syntax error: control characters are not allowed (character '\\x07')"
    )


def test_huge_numbers_are_refused_not_crashed_on() -> None:
    text = (VALID / "origins.yaml").read_text(encoding="utf-8")
    text = text.replace("answer: 1951", "answer: 1" + "0" * 5000)
    assert only_problem(text) == (
        "37:13: questions[1] (origins-first-plenary): 'answer' is too long for a number"
    )


def test_second_document_is_refused() -> None:
    assert only_problem("format: 1\n---\nformat: 1\n") == (
        "2:1: a bank file holds one YAML document, found a second '---'"
    )


def test_syntax_error_is_located_at_its_mark() -> None:
    assert only_problem("format: 1\nid: [a, b\ntitle: x\n") == (
        "3:6: YAML syntax error: did not find expected ',' or ']' "
        "(while parsing a flow sequence at line 2, column 5)"
    )


def test_complex_keys_are_reported() -> None:
    text = "? [a, b]\n: c\n"
    with pytest.raises(BankError) as info:
        parse_bank(text, source="evil.yaml")
    messages = [p.message for p in info.value.problems]
    assert "a key in a bank file is a list; keys must be plain text" in messages


def test_pure_python_parser_gives_the_same_tree(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    raw = (VALID / "origins.yaml").read_bytes()
    with_c = parse_bank(raw, source="o")
    monkeypatch.setattr(yamlnodes, "LOADER", yamlnodes.yaml.SafeLoader)
    assert parse_bank(raw, source="o") == with_c
    assert only_problem("[" * 10_000) == "1:41: nesting is deeper than 40 levels"
    assert only_problem("- " * 10_000) == "1:81: nesting is deeper than 40 levels"


# --------------------------------------------------------------------------------------
# Properties: nothing but BankError, whatever the text

VALID_TEXT = (VALID / "origins.yaml").read_text(encoding="utf-8")
TOKENS = [
    *"ab01 :-[]{},&*!|>'\"#?\n\t.~",
    "yes",
    "\u00e9",
    "- ",
    ": ",
    "\n  ",
    "*a",
    "&a ",
]
YAMLISH = st.lists(st.sampled_from(TOKENS), max_size=80).map("".join)


def parses_or_bank_error(text: str | bytes) -> None:
    try:
        parse_bank(text, source="fuzz.yaml")
    except BankError as exc:
        assert exc.problems
        assert all(p.source == "fuzz.yaml" and p.message for p in exc.problems)


@settings(max_examples=300, deadline=None)
@given(st.one_of(YAMLISH, st.text(max_size=200), st.binary(max_size=200)))
def test_random_text_raises_nothing_but_bank_error(text: str | bytes) -> None:
    parses_or_bank_error(text)


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.integers(min_value=0, max_value=len(VALID_TEXT)), YAMLISH)
def test_edited_valid_bank_raises_nothing_but_bank_error(at: int, insert: str) -> None:
    parses_or_bank_error(VALID_TEXT[:at] + insert + VALID_TEXT[at:])


def test_every_truncation_of_a_valid_bank_raises_nothing_but_bank_error() -> None:
    for end in range(len(VALID_TEXT) + 1):
        parses_or_bank_error(VALID_TEXT[:end])
