"""Pure import and export of question banks in other tools' formats. No Flask or DB
imports.

``convert`` reads Moodle GIFT, Moodle XML, CSV/TSV (Quizlet, spreadsheets) or an Anki
package and returns bank YAML that our loader accepts plus a report; ``export`` writes a
loaded bank as GIFT, Moodle XML, CSV or an Anki package. One module per format.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from pathlib import PurePath
from typing import Final

from quiz_app.banks.loader import parse_bank
from quiz_app.banks.schema import MAX_BANK_BYTES, Bank, BankError
from quiz_app.interchange import anki, gift, moodlexml, tabular
from quiz_app.interchange.common import (
    Conversion,
    ConvertError,
    ConvertReport,
    build_bank_yaml,
    slugify,
)

__all__ = [
    "EXPORT_FORMATS",
    "IMPORT_FORMATS",
    "Conversion",
    "ConvertError",
    "ConvertReport",
    "Export",
    "convert",
    "export",
    "guess_format",
]

IMPORT_FORMATS: Final = ("gift", "moodle-xml", "csv", "anki")
EXPORT_FORMATS: Final = ("gift", "moodle-xml", "csv", "anki")
#: File name endings the browser upload and the CLI recognise.
IMPORT_SUFFIXES: Final = (".gift", ".txt", ".xml", ".csv", ".tsv", ".apkg", ".colpkg")

_SUFFIX_FORMATS = {
    ".gift": "gift",
    ".xml": "moodle-xml",
    ".csv": "csv",
    ".tsv": "csv",
    ".apkg": "anki",
    ".colpkg": "anki",
}


def guess_format(filename: str, data: bytes) -> str:
    """The import format of a file from its name, or else from its first bytes.

    :raises ConvertError: when neither tells.
    """
    suffix = PurePath(filename).suffix.lower()
    if data.startswith(b"PK\x03\x04"):
        return "anki"
    if suffix in _SUFFIX_FORMATS:
        return _SUFFIX_FORMATS[suffix]
    head = data[:4096].lstrip(b"\xef\xbb\xbf \t\r\n")
    if head.startswith((b"<?xml", b"<quiz", b"<question", b"<!--")):
        return "moodle-xml"
    text = head.decode("utf-8", "replace")
    if "{" in text and "}" in text or "$CATEGORY:" in text or text.startswith("::"):
        return "gift"
    first = text.split("\n", 1)[0]
    if "\t" in first or "," in first or ";" in first:
        return "csv"
    raise ConvertError(
        "cannot tell the file's format; name it .gift, .xml, .csv, .tsv or .apkg, or "
        "choose the format"
    )


def _text(data: bytes, label: str) -> str:
    if b"\0" in data:
        raise ConvertError(f"this is a binary file, not {label} text")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        # Spreadsheets on Windows still save CSV in the ANSI code page.
        try:
            return data.decode("cp1252")
        except UnicodeDecodeError:
            raise ConvertError(f"the file is not UTF-8 {label} text") from None


def convert(
    data: bytes,
    *,
    filename: str,
    fmt: str | None = None,
    bank_id: str | None = None,
    title: str | None = None,
    max_bytes: int = MAX_BANK_BYTES,
) -> Conversion:
    """Convert a file to bank YAML that the loader accepts, with a report.

    :param fmt: one of :data:`IMPORT_FORMATS`; guessed from the file when None.
    :param bank_id: the new bank's id (default: from the file name).
    :raises ConvertError: for files too big, hostile, of no known format, or with
        nothing convertible; nothing is returned then.
    """
    if len(data) > max_bytes:
        raise ConvertError(
            f"the file is {len(data):,} bytes; the limit is {max_bytes:,} bytes"
        )
    fmt = fmt or guess_format(filename, data)
    if fmt == "gift":
        draft = gift.parse_gift(_text(data, "GIFT"))
    elif fmt == "moodle-xml":
        draft = moodlexml.parse_moodle_xml(data)
    elif fmt == "csv":
        draft = tabular.parse_table(_text(data, "CSV"), name=filename)
    elif fmt == "anki":
        draft = anki.parse_anki(data, max_bytes=max_bytes)
    else:
        raise ConvertError(
            f"unknown format {fmt!r}; use one of {', '.join(IMPORT_FORMATS)}"
        )
    name = PurePath(filename).name or "upload"
    stem = PurePath(name).stem
    for suffix in (".gift", ".moodle"):  # "questions.gift.txt", "x.moodle.xml"
        stem = stem.removesuffix(suffix)
    bank_id = bank_id or slugify(stem)[:60].strip("-") or "imported"
    conversion = build_bank_yaml(
        draft, bank_id=bank_id, title=title or stem or bank_id, source_name=name
    )
    try:
        parse_bank(conversion.yaml_text, source=f"{bank_id}.yaml", max_bytes=max_bytes)
    except BankError as error:
        raise ConvertError(
            "the converted bank does not pass validation:\n"
            + "\n".join(str(p) for p in error.problems[:20])
        ) from None
    return conversion


@dataclass(frozen=True)
class Export:
    data: bytes
    filename: str
    mimetype: str
    left_out: list[str]  #: items or details the format cannot hold


def export(bank: Bank, fmt: str, *, now: datetime) -> Export:
    """Write a bank in another tool's format.

    :raises ConvertError: for an unknown format.
    """
    if fmt == "gift":
        text, left_out = gift.export_gift(bank)
        return Export(
            text.encode("utf-8"), f"{bank.id}.gift.txt", "text/plain", left_out
        )
    if fmt == "moodle-xml":
        data, left_out = moodlexml.export_moodle_xml(bank)
        return Export(data, f"{bank.id}.moodle.xml", "application/xml", left_out)
    if fmt == "csv":
        text, left_out = tabular.export_csv(bank)
        return Export(
            ("\ufeff" + text).encode("utf-8"), f"{bank.id}.csv", "text/csv", left_out
        )
    if fmt == "anki":
        data = anki.build_apkg(
            bank.title,
            deck_key=f"bank:{bank.id}",
            notes=anki.notes_from_bank(bank),
            now=now,
        )
        return Export(data, f"{bank.id}.apkg", "application/octet-stream", [])
    raise ConvertError(
        f"unknown format {fmt!r}; use one of {', '.join(EXPORT_FORMATS)}"
    )
