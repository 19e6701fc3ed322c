"""Pure Anki package reader (.apkg/.colpkg) and writer (via genanki). No Flask or DB
imports; the collection is read from memory (sqlite3 deserialize), never from disk.

A package is a zip holding the collection: ``collection.anki21b`` (newer Anki: a
zstd-compressed SQLite database with ``decks``/``notetypes``/``fields`` tables),
``collection.anki21`` or ``collection.anki2`` (older: decks and note types as JSON in
``col``). Newer packages also carry a stub ``collection.anki2`` that only says "please
update Anki", so the newest collection present is read. Media files are never
extracted. Hostile files are bounded: the member count, the size each member claims,
the bytes actually read and the decompressed size are all capped.
"""

from __future__ import annotations

import hashlib
import io
import itertools
import json
import re
import sqlite3
import zipfile
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

import genanki
import zstandard

from quiz_app.banks.schema import Bank
from quiz_app.interchange.common import (
    MAX_ZIP_MEMBERS,
    ConvertError,
    Draft,
    DraftCard,
    html_to_markdown,
)
from quiz_app.markdown import render_markdown
from quiz_app.questions.grading import QUESTION_TYPES, interchange

FORMAT_LABEL = "Anki package"
#: A collection may be this many times the file limit once unpacked (text compresses
#: well; a zip bomb is thousands of times).
EXPANSION_FACTOR = 8
_COLLECTIONS = ("collection.anki21b", "collection.anki21", "collection.anki2")
_SQLITE_MAGIC = b"SQLite format 3\x00"
_ZSTD_MAGIC = b"\x28\xb5\x2f\xfd"
_CLOZE_RE = re.compile(r"\{\{c\d+::")
_SOUND_RE = re.compile(r"\[sound:[^\]]*\]")


def _read_capped(stream: io.BufferedIOBase, limit: int, what: str) -> bytes:
    chunks: list[bytes] = []
    total = 0
    while True:
        chunk = stream.read(min(1 << 20, limit + 1 - total))
        if not chunk:
            return b"".join(chunks)
        chunks.append(chunk)
        total += len(chunk)
        if total > limit:
            raise ConvertError(
                f"the package's {what} unpacks to more than {limit:,} bytes; refused"
            )


def _collection_bytes(data: bytes, *, max_bytes: int) -> tuple[bytes, str, int]:
    """The SQLite bytes of the newest collection, its member name and the number of
    media files in the package."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, ValueError) as exc:
        raise ConvertError(
            f"this is not an Anki package (not a zip file: {exc})"
        ) from None
    with archive:
        infos = archive.infolist()
        if len(infos) > MAX_ZIP_MEMBERS:
            raise ConvertError(
                f"the package lists {len(infos):,} files; at most "
                f"{MAX_ZIP_MEMBERS:,} are accepted"
            )
        by_name = {info.filename: info for info in infos}
        member = next((name for name in _COLLECTIONS if name in by_name), None)
        if member is None:
            raise ConvertError(
                "this zip file holds no Anki collection (collection.anki2, .anki21 or "
                ".anki21b)"
            )
        limit = max_bytes * EXPANSION_FACTOR
        info = by_name[member]
        if info.file_size > limit:
            raise ConvertError(
                f"the package's collection claims {info.file_size:,} bytes unpacked; "
                f"the limit is {limit:,} bytes"
            )
        try:
            with archive.open(info) as stream:
                raw = _read_capped(stream, limit, "collection")  # type: ignore[arg-type]
        except (zipfile.BadZipFile, NotImplementedError, OSError) as exc:
            raise ConvertError(f"the package cannot be unpacked: {exc}") from None
        media = sum(
            1 for i in infos if i.filename not in _COLLECTIONS and i.filename.isdigit()
        )
    if raw.startswith(_ZSTD_MAGIC):
        try:
            reader = zstandard.ZstdDecompressor().stream_reader(io.BytesIO(raw))
            with reader:
                raw = _read_capped(reader, limit, "collection")  # type: ignore[arg-type]
        except zstandard.ZstdError as exc:
            raise ConvertError(
                f"the collection cannot be decompressed: {exc}"
            ) from None
    if not raw.startswith(_SQLITE_MAGIC):
        raise ConvertError(f"{member} in this package is not an Anki collection")
    return raw, member, media


def _unicase(a: str, b: str) -> int:
    x, y = a.casefold(), b.casefold()
    return (x > y) - (x < y)


def _open(raw: bytes) -> sqlite3.Connection:
    conn = sqlite3.connect(":memory:")
    # Newer collections declare Anki's own case-insensitive collation on names.
    conn.create_collation("unicase", _unicase)
    try:
        conn.deserialize(raw)
        # A hostile database must not run code through views or triggers we query.
        conn.execute("PRAGMA trusted_schema = OFF")
        conn.execute("PRAGMA query_only = ON")
        conn.execute("PRAGMA cell_size_check = ON")
    except sqlite3.Error as exc:
        conn.close()
        raise ConvertError(
            f"the collection is not a readable database: {exc}"
        ) from None
    return conn


def _tables(conn: sqlite3.Connection) -> set[str]:
    return {
        row[0]
        for row in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")
    }


def _decks_and_models(
    conn: sqlite3.Connection,
) -> tuple[dict[int, str], dict[int, tuple[str, list[str], bool]]]:
    """deck id -> name (levels joined by '::'); note type id -> (name, field names,
    is_cloze)."""
    decks: dict[int, str] = {}
    models: dict[int, tuple[str, list[str], bool]] = {}
    tables = _tables(conn)
    if "notetypes" in tables and "decks" in tables:
        for deck_id, name in conn.execute("SELECT id, name FROM decks"):
            decks[int(deck_id)] = str(name).replace("\x1f", "::")
        fields: dict[int, list[str]] = {}
        if "fields" in tables:
            for ntid, name in conn.execute(
                "SELECT ntid, name FROM fields ORDER BY ntid, ord"
            ):
                fields.setdefault(int(ntid), []).append(str(name))
        for ntid, name in conn.execute("SELECT id, name FROM notetypes"):
            models[int(ntid)] = (str(name), fields.get(int(ntid), []), False)
        return decks, models
    row = conn.execute("SELECT decks, models FROM col").fetchone()
    if row is None:
        raise ConvertError("the collection has no deck list")
    try:
        deck_json, model_json = json.loads(row[0] or "{}"), json.loads(row[1] or "{}")
    except (json.JSONDecodeError, RecursionError):
        raise ConvertError("the collection's deck list is not valid JSON") from None
    for key, deck in deck_json.items():
        if isinstance(deck, dict):
            decks[int(key)] = str(deck.get("name", ""))
    for key, model in model_json.items():
        if isinstance(model, dict):
            names = [
                str(f.get("name", ""))
                for f in model.get("flds", [])
                if isinstance(f, dict)
            ]
            models[int(key)] = (
                str(model.get("name", "")),
                names,
                model.get("type") == 1,
            )
    return decks, models


def _field(html: str) -> tuple[str, int]:
    sounds = len(_SOUND_RE.findall(html))
    text, media = html_to_markdown(_SOUND_RE.sub("", html))
    return text, media + sounds


def parse_anki(data: bytes, *, max_bytes: int) -> Draft:
    """Read an .apkg/.colpkg: each note becomes a card (first field front, second back,
    further fields added to the back), each deck a topic.

    :raises ConvertError: for anything that is not a readable, bounded Anki package.
    """
    raw, _member, media_files = _collection_bytes(data, max_bytes=max_bytes)
    draft = Draft(FORMAT_LABEL)
    conn = _open(raw)
    try:
        decks, models = _decks_and_models(conn)
        first_deck: dict[int, int] = {}
        for nid, did in conn.execute("SELECT nid, did FROM cards ORDER BY nid, ord"):
            first_deck.setdefault(int(nid), int(did))
        rows = conn.execute(
            "SELECT id, mid, flds, tags FROM notes ORDER BY id"
        ).fetchall()
    except sqlite3.Error as exc:
        raise ConvertError(f"the collection cannot be read: {exc}") from None
    finally:
        conn.close()
    media = 0
    for number, (nid, mid, flds, tags) in enumerate(rows, start=1):
        where = f"note {number} (id {nid})"
        fields = str(flds).split("\x1f")
        model_name, field_names, is_cloze = models.get(int(mid), ("", [], False))
        if is_cloze or any(_CLOZE_RE.search(f) for f in fields):
            draft.skip(
                where, "a cloze note (fill-in-the-gap cards have no plain front)"
            )
            continue
        if len(fields) < 2:
            draft.skip(
                where, f"note type {model_name!r} has one field; a card needs two"
            )
            continue
        front, m1 = _field(fields[0])
        back, m2 = _field(fields[1])
        media += m1 + m2
        extras = []
        for field_html in fields[2:]:
            extra, m3 = _field(field_html)
            media += m3
            if extra:
                extras.append(extra)
        if extras and back:
            back = "\n\n".join([back, *extras])
        deck = decks.get(first_deck.get(int(nid), -1), "")
        draft.cards.append(
            DraftCard(
                front=front,
                back=back,
                position=where,
                name=f"note-{nid}",
                topic=deck.split("::")[-1] if deck else "",
                tags=[t.replace("_", " ") for t in str(tags).split()],
            )
        )
    if media or media_files:
        draft.notes.append(
            f"{max(media, media_files)} images or sounds were left out (only text is "
            "imported)"
        )
    return draft


# --------------------------------------------------------------------------------------
# writing


def stable_id(key: str) -> int:
    """A deck or note-type id that stays the same for the same key (genanki wants ids
    between 2**30 and 2**31)."""
    digest = int.from_bytes(hashlib.sha256(key.encode("utf-8")).digest()[:8], "big")
    return (1 << 30) + digest % (1 << 30)


MODEL = genanki.Model(
    stable_id("armistice-study:anki-model:front-back-explanation:v1"),
    "Armistice Study (front, back, explanation)",
    fields=[{"name": "Front"}, {"name": "Back"}, {"name": "Explanation"}],
    templates=[
        {
            "name": "Card 1",
            "qfmt": "{{Front}}",
            "afmt": "{{FrontSide}}<hr id=answer>{{Back}}"
            "{{#Explanation}}<hr><div class=explanation>{{Explanation}}</div>"
            "{{/Explanation}}",
        }
    ],
    css=".card { font-family: sans-serif; font-size: 20px; text-align: left; }\n"
    ".explanation { font-size: 16px; }\n",
)


@dataclass(frozen=True)
class AnkiNote:
    key: str  #: our card or question id: the note's guid is made from it
    front: str  #: Markdown
    back: str  #: Markdown
    explanation: str = ""  #: Markdown
    deck: str = ""  #: sub-deck title (a topic); "" = the main deck
    tags: tuple[str, ...] = ()


def notes_from_bank(bank: Bank) -> list[AnkiNote]:
    """One note per question (prompt with its choices, the right answer, the
    explanation) and per plain card, in sub-decks named after the topics."""
    notes = []
    for q in bank.questions:
        front = q.prompt + interchange(q.type).anki_front(q.data)
        notes.append(
            AnkiNote(
                key=q.id,
                front=front,
                back=QUESTION_TYPES[q.type].describe_answer(q.data),
                explanation=q.explanation,
                deck=bank.topics.get(q.topic, q.topic),
                tags=q.tags,
            )
        )
    for card in bank.cards:
        notes.append(
            AnkiNote(
                key=card.id,
                front=card.front,
                back=card.back,
                deck=bank.topics.get(card.topic, card.topic),
                tags=card.tags,
            )
        )
    return notes


def build_apkg(
    title: str, *, deck_key: str, notes: Sequence[AnkiNote], now: datetime
) -> bytes:
    """An .apkg with a main deck ``title`` and a sub-deck per note's ``deck``.

    Deck, note-type and note ids are derived from our ids, so importing a newer export
    into Anki updates the same notes instead of duplicating them.
    """
    package_decks: dict[str, genanki.Deck] = {}

    def deck_for(sub: str) -> genanki.Deck:
        name = f"{title}::{sub}" if sub else title
        if name not in package_decks:
            package_decks[name] = genanki.Deck(stable_id(f"{deck_key}:{sub}"), name)
        return package_decks[name]

    deck_for("")
    for note in notes:
        deck_for(note.deck).add_note(
            genanki.Note(
                model=MODEL,
                fields=[
                    str(render_markdown(note.front)),
                    str(render_markdown(note.back)),
                    str(render_markdown(note.explanation)) if note.explanation else "",
                ],
                guid=genanki.guid_for(note.key),
                tags=["_".join(t.split()) for t in note.tags if t.strip()],
            )
        )
    package = genanki.Package(list(package_decks.values()))
    conn = sqlite3.connect(":memory:")
    try:
        timestamp = now.timestamp()
        package.write_to_db(
            conn.cursor(), timestamp, itertools.count(int(timestamp * 1000))
        )
        conn.commit()
        collection = conn.serialize()
    finally:
        conn.close()
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("collection.anki2", collection)
        archive.writestr("media", "{}")
    return out.getvalue()
