"""Pure CSV/TSV reader and writer (Quizlet sets, spreadsheets). No Flask or DB imports.

Two layouts (docs/import-export.md):

* **Cards**: two columns, term and definition, as Quizlet exports them (tab between
  term and definition, one card per line, no header) or a spreadsheet saves them (a
  header ``front,back`` or ``term,definition`` is recognised and skipped). An optional
  third column ``topic`` names the card's topic.
* **Questions**: a header row naming the columns ``type, prompt, answer`` and any of
  ``id, topic, choices, explanation, tolerance, unit, tags, shuffle``. Lists
  (``choices``, several ``answer`` values of ``multi_choice``/``short_text``,
  ``tags``) are separated by ``|``;
  ``ordering`` lists its items in ``answer`` in the right order; ``matching`` writes
  ``left => right`` pairs in ``answer`` and distractors in ``choices``. Type ``card``
  is a plain flashcard: front in ``prompt``, back in ``answer``.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence

from quiz_app.banks.schema import Bank, Question
from quiz_app.interchange.common import ConvertError, Draft, DraftCard, DraftQuestion
from quiz_app.questions.formats import join_list, split_list
from quiz_app.questions.grading import QUESTION_TYPES, interchange
from quiz_app.questions.types import CsvCodec, Unsupported

FORMAT_LABEL = "CSV"
QUESTION_COLUMNS = (
    "id", "type", "topic", "prompt", "answer", "choices", "explanation", "tolerance",
    "unit", "tags", "shuffle",
)  # fmt: skip
_CARD_HEADERS = {("front", "back"), ("term", "definition"), ("question", "answer")}


def _codecs() -> dict[str, CsvCodec]:
    """The question types with a CSV form, by key."""
    return {
        key: qtype.interchange.csv
        for key, qtype in QUESTION_TYPES.items()
        if qtype.interchange is not None and isinstance(qtype.interchange.csv, CsvCodec)
    }


def _delimiter(text: str, name: str) -> str:
    first = text.split("\n", 1)[0]
    if name.lower().endswith(".tsv") or "\t" in first:
        return "\t"
    if ";" in first and "," not in first:
        return ";"
    return ","


def _split_list(value: str) -> list[str]:
    return split_list(value)


def parse_table(text: str, *, name: str = "") -> Draft:
    """Read CSV or TSV text: cards, or questions when the header says so.

    :raises ConvertError: for text that is not a table of two or more columns.
    """
    text = text.lstrip("\ufeff").replace("\r\n", "\n").replace("\r", "\n")
    delimiter = _delimiter(text, name)
    label = "TSV" if delimiter == "\t" else "CSV"
    try:
        rows = list(csv.reader(io.StringIO(text), delimiter=delimiter))
    except csv.Error as exc:
        raise ConvertError(f"this {label} file cannot be read: {exc}") from None
    rows = [r for r in rows if any(cell.strip() for cell in r)]
    if not rows or max(len(r) for r in rows) < 2:
        raise ConvertError(
            f"this {label} file has no rows of two columns (term and definition)"
        )
    header = [cell.strip().lower() for cell in rows[0]]
    if "type" in header and "prompt" in header:
        return _questions(rows, header, f"{label} (questions)")
    draft = Draft(f"{label} (cards)")
    start = 1 if tuple(header[:2]) in _CARD_HEADERS else 0
    for line, row in enumerate(rows[start:], start=start + 1):
        cells = [c.strip() for c in row] + ["", ""]
        draft.cards.append(
            DraftCard(
                front=cells[0],
                back=cells[1],
                position=f"row {line}",
                topic=cells[2] if len(row) > 2 else "",
            )
        )
    return draft


def _questions(rows: list[list[str]], header: list[str], label: str) -> Draft:
    draft = Draft(label)
    unknown = [h for h in header if h and h not in QUESTION_COLUMNS]
    if unknown:
        draft.notes.append(f"columns ignored: {', '.join(unknown)}")
    for line, row in enumerate(rows[1:], start=2):
        cell = {
            h: (row[i].strip() if i < len(row) else "") for i, h in enumerate(header)
        }
        qtype = cell.get("type", "").lower()
        where = f"row {line}" + (f" ({cell['id']})" if cell.get("id") else "")
        if qtype == "card":
            draft.cards.append(
                DraftCard(
                    front=cell.get("prompt", ""),
                    back=cell.get("answer", ""),
                    position=where,
                    name=cell.get("id", ""),
                    topic=cell.get("topic", ""),
                    tags=_split_list(cell.get("tags", "")),
                )
            )
            continue
        codec = _codecs().get(qtype)
        if codec is None:
            draft.skip(where, f"unknown type {qtype!r}")
            continue
        try:
            data = codec.read(cell)
        except ValueError as exc:
            draft.skip(where, str(exc))
            continue
        draft.questions.append(
            DraftQuestion(
                type=qtype,
                prompt=cell.get("prompt", ""),
                data=data,
                position=where,
                name=cell.get("id", ""),
                explanation=cell.get("explanation", ""),
                topic=cell.get("topic", ""),
                tags=_split_list(cell.get("tags", "")),
            )
        )
    return draft


# --------------------------------------------------------------------------------------
# writing


def _join(values: Sequence[str]) -> str:
    return join_list(values)


def _row(q: Question, topics: dict[str, str]) -> list[str] | None:
    codec = interchange(q.type).csv
    if isinstance(codec, Unsupported):
        return None
    cells = codec.write(q.data)
    return [
        q.id, q.type, topics.get(q.topic, q.topic), q.prompt, cells.answer,
        cells.choices, q.explanation, cells.tolerance, cells.unit, _join(q.tags),
        cells.shuffle,
    ]  # fmt: skip


def _questions_csv(bank: Bank) -> tuple[str, list[str]]:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(QUESTION_COLUMNS)
    topics = dict(bank.topics)
    left_out = []
    for q in bank.questions:
        row = _row(q, topics)
        if row is None:
            left_out.append(f"{q.id}: {q.type} has no CSV form")
        else:
            writer.writerow(row)
    return out.getvalue(), left_out


def export_questions_csv(bank: Bank) -> str:
    """The bank's questions in the documented question layout."""
    return _questions_csv(bank)[0]


def export_cards_tsv(faces: Sequence[tuple[str, str, str]]) -> str:
    """Quizlet-style TSV: term, definition and topic per line (tabs and newlines
    inside a field become spaces, as Quizlet's import expects)."""
    lines = []
    for front, back, topic in faces:
        cells = [" ".join(x.split()) for x in (front, back, topic)]
        lines.append("\t".join(cells))
    return "\n".join(lines) + "\n"


def export_csv(bank: Bank) -> tuple[str, list[str]]:
    """CSV of the bank's questions, then its plain cards as rows of type ``card``
    (front in ``prompt``, back in ``answer``)."""
    text, left_out = _questions_csv(bank)
    if bank.cards:
        out = io.StringIO()
        writer = csv.writer(out, lineterminator="\n")
        for card in bank.cards:
            writer.writerow(
                [card.id, "card", bank.topics.get(card.topic, card.topic), card.front,
                 card.back, "", "", "", "", _join(card.tags), ""]
            )  # fmt: skip
        text += out.getvalue()
    return text, left_out
