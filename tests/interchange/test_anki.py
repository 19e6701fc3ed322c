"""Anki packages: genanki-built and newer zstd packages, cloze notes, hostile zips, and
our own export read back."""

from __future__ import annotations

import io
import sqlite3
import zipfile
from datetime import UTC, datetime

import pytest
import zstandard

from quiz_app.banks.loader import parse_bank
from quiz_app.interchange import ConvertError, convert
from quiz_app.interchange.anki import MODEL, AnkiNote, build_apkg, stable_id
from quiz_app.interchange.common import MAX_ZIP_MEMBERS
from tests.interchange.ankibuild import apkg, newer_apkg

DECKS = [
    (
        2059400110,
        "Armistice::Places",
        [
            [
                "Panmunjom",
                "Village <b>on the line</b> of contact<br>(from October 1951)",
            ],
            ["{{c1::Kaesong}} hosted the first talks"],
            ["<img src='map.png'>Where?", "Kaesong [sound:kaesong.mp3]"],
        ],
    ),
    (
        2059400111,
        "Armistice::Bodies",
        [["NNSC", "Sweden, Switzerland, Poland, Czechoslovakia"]],
    ),
]


@pytest.mark.parametrize("build", [apkg, newer_apkg], ids=["genanki", "anki21b-zstd"])
def test_package_notes_become_cards_and_decks_topics(build):
    conversion = convert(build(DECKS), filename="armistice.apkg")
    report = conversion.report
    assert dict(report.converted) == {"card": 3}
    assert [s.reason for s in report.skipped] == [
        "a cloze note (fill-in-the-gap cards have no plain front)"
    ]
    assert any("images or sounds were left out" in n for n in report.notes)
    bank = parse_bank(conversion.yaml_text, source="x")
    assert list(bank.topics.values()) == ["Places", "Bodies"]
    first = bank.cards[0]
    assert first.front == "Panmunjom"
    assert first.back == "Village **on the line** of contact  \n(from October 1951)"
    assert first.tags == ("armistice", "1953")
    assert bank.cards[1].back == "Kaesong"


def test_the_newer_package_is_read_from_its_zstd_collection_not_the_stub():
    conversion = convert(newer_apkg(DECKS), filename="new.colpkg")
    assert "Please update" not in conversion.yaml_text


def _zip(members: dict[str, bytes]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return out.getvalue()


def test_a_zip_bomb_collection_is_refused_before_it_is_read():
    bomb = _zip({"collection.anki2": b"\0" * (20 * 1024 * 1024)})
    assert len(bomb) < 100_000
    with pytest.raises(ConvertError, match="claims"):
        convert(bomb, filename="bomb.apkg", max_bytes=1024 * 1024)


def test_a_zstd_bomb_is_refused_while_decompressing():
    payload = zstandard.ZstdCompressor().compress(b"\0" * (20 * 1024 * 1024))
    bomb = _zip({"collection.anki21b": payload})
    with pytest.raises(ConvertError, match="unpacks to more than"):
        convert(bomb, filename="bomb.apkg", max_bytes=1024 * 1024)


def test_too_many_members_and_non_collections_are_refused():
    many = _zip({f"{i}": b"" for i in range(MAX_ZIP_MEMBERS + 1)})
    with pytest.raises(ConvertError, match="lists 10,001 files"):
        convert(many, filename="many.apkg")
    with pytest.raises(ConvertError, match="no Anki collection"):
        convert(_zip({"readme.txt": b"hi"}), filename="x.apkg")
    with pytest.raises(ConvertError, match="not an Anki collection"):
        convert(_zip({"collection.anki2": b"garbage"}), filename="x.apkg")
    with pytest.raises(ConvertError, match="not a zip"):
        convert(b"PK\x03\x04 broken", filename="x.apkg")


def test_a_file_over_the_limit_is_refused_unread():
    with pytest.raises(ConvertError, match="the limit is 10 bytes"):
        convert(apkg(DECKS), filename="x.apkg", max_bytes=10)


def test_our_export_has_front_back_explanation_and_stable_ids():
    notes = [
        AnkiNote("card-a", "**Front**", "Back", "Why it is so.", deck="Topic"),
        AnkiNote("card-b", "Second", "Other"),
    ]
    now = datetime(2026, 1, 1, tzinfo=UTC)
    data = build_apkg("My deck", deck_key="user:1", notes=notes, now=now)
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        collection = archive.read("collection.anki2")
    conn = sqlite3.connect(":memory:")
    conn.deserialize(collection)
    rows = conn.execute("SELECT guid, mid, flds FROM notes ORDER BY id").fetchall()
    assert sorted(r[2].split("\x1f") for r in rows) == [
        ["<p><strong>Front</strong></p>\n", "<p>Back</p>\n", "<p>Why it is so.</p>\n"],
        ["<p>Second</p>\n", "<p>Other</p>\n", ""],
    ]
    assert {r[1] for r in rows} == {MODEL.model_id}
    deck_ids = {r[0] for r in conn.execute("SELECT DISTINCT did FROM cards")}
    assert deck_ids == {stable_id("user:1:Topic"), stable_id("user:1:")}
    again = build_apkg("My deck", deck_key="user:1", notes=notes, now=now)
    assert [r[0] for r in rows] == [r[0] for r in _notes(again)]
    back = convert(data, filename="mine.apkg")
    bank = parse_bank(back.yaml_text, source="x")
    faces = {(c.front, c.back) for c in bank.cards}
    assert faces == {("**Front**", "Back\n\nWhy it is so."), ("Second", "Other")}


def _notes(data: bytes) -> list[tuple[str]]:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        collection = archive.read("collection.anki2")
    conn = sqlite3.connect(":memory:")
    conn.deserialize(collection)
    return conn.execute("SELECT guid FROM notes ORDER BY id").fetchall()
