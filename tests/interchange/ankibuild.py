"""Anki packages for the importer tests: one built by genanki, and a newer-format one
(schema 18 tables, zstd-compressed ``collection.anki21b``) derived from it the way Anki
2.1.50+ lays out its packages (see tests/data/interchange/README.md)."""

from __future__ import annotations

import io
import itertools
import sqlite3
import zipfile
from collections.abc import Sequence

import genanki
import zstandard

BASIC = genanki.Model(
    1607392319,
    "Basic (genanki test)",
    fields=[{"name": "Front"}, {"name": "Back"}, {"name": "Extra"}],
    templates=[{"name": "Card 1", "qfmt": "{{Front}}", "afmt": "{{Back}}"}],
)
CLOZE = genanki.Model(
    1607392320,
    "Cloze (genanki test)",
    fields=[{"name": "Text"}, {"name": "Back Extra"}],
    templates=[{"name": "Cloze", "qfmt": "{{cloze:Text}}", "afmt": "{{cloze:Text}}"}],
    model_type=genanki.Model.CLOZE,
)
TIMESTAMP = 1_700_000_000.0


def _unicase(a: str, b: str) -> int:
    x, y = a.casefold(), b.casefold()
    return (x > y) - (x < y)


def genanki_collection(
    decks: Sequence[tuple[int, str, Sequence[Sequence[str]]]],
) -> bytes:
    """The collection.anki2 bytes genanki writes for decks of (id, name, notes); a note
    of one field is a cloze note."""
    package_decks = []
    for deck_id, name, notes in decks:
        deck = genanki.Deck(deck_id, name)
        for fields in notes:
            model = CLOZE if len(fields) == 1 else BASIC
            values = (
                [*fields, ""]
                if model is CLOZE
                else [*fields, *[""] * (3 - len(fields))]
            )
            deck.add_note(
                genanki.Note(model=model, fields=values, tags=["armistice", "1953"])
            )
        package_decks.append(deck)
    conn = sqlite3.connect(":memory:")
    genanki.Package(package_decks).write_to_db(
        conn.cursor(), TIMESTAMP, itertools.count(int(TIMESTAMP * 1000))
    )
    conn.commit()
    data = conn.serialize()
    conn.close()
    return data


def apkg(decks: Sequence[tuple[int, str, Sequence[Sequence[str]]]]) -> bytes:
    """A .apkg exactly as genanki's Package.write_to_file lays it out."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("collection.anki2", genanki_collection(decks))
        archive.writestr("media", "{}")
    return out.getvalue()


def newer_apkg(decks: Sequence[tuple[int, str, Sequence[Sequence[str]]]]) -> bytes:
    """A package in the layout of Anki 2.1.50+ ("support older Anki versions" off)."""
    conn = sqlite3.connect(":memory:")
    conn.create_collation("unicase", _unicase)
    conn.deserialize(genanki_collection(decks))
    conn.executescript(
        """
        CREATE TABLE decks (id integer PRIMARY KEY NOT NULL, name text NOT NULL COLLATE
          unicase, mtime_secs integer NOT NULL, usn integer NOT NULL, common blob NOT
          NULL, kind blob NOT NULL);
        CREATE UNIQUE INDEX idx_decks_name ON decks (name);
        CREATE TABLE notetypes (id integer NOT NULL PRIMARY KEY, name text NOT NULL
          COLLATE unicase, mtime_secs integer NOT NULL, usn integer NOT NULL, config
          blob NOT NULL);
        CREATE TABLE fields (ntid integer NOT NULL, ord integer NOT NULL, name text NOT
          NULL COLLATE unicase, config blob NOT NULL, PRIMARY KEY (ntid, ord)) WITHOUT
          ROWID;
        """
    )
    import json

    decks_json, models_json = conn.execute("SELECT decks, models FROM col").fetchone()
    for key, deck in json.loads(decks_json).items():
        conn.execute(
            "INSERT INTO decks VALUES (?, ?, 0, 0, x'', x'')",
            (int(key), deck["name"].replace("::", "\x1f")),
        )
    for key, model in json.loads(models_json).items():
        conn.execute(
            "INSERT INTO notetypes VALUES (?, ?, 0, 0, x'')", (int(key), model["name"])
        )
        for field in model["flds"]:
            conn.execute(
                "INSERT INTO fields VALUES (?, ?, ?, x'')",
                (int(key), field["ord"], field["name"]),
            )
    conn.execute(
        "UPDATE col SET ver = 18, decks = '', models = '', dconf = '', tags = ''"
    )
    conn.commit()
    collection = zstandard.ZstdCompressor().compress(conn.serialize())
    conn.close()
    stub = genanki_collection(
        [
            (
                1,
                "Default",
                [
                    [
                        "Please update to the latest Anki version, then import the "
                        ".colpkg/.apkg file again.",
                        "",
                    ]
                ],
            )
        ]
    )
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("collection.anki2", stub)
        archive.writestr("collection.anki21b", collection)
        archive.writestr("meta", b"\x08\x03")
        archive.writestr("media", zstandard.ZstdCompressor().compress(b""))
    return out.getvalue()
