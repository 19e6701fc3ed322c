"""Pure bank loader: YAML text -> checked, typed Bank objects. No Flask or DB imports.

``parse_bank`` reads one file's text, collects every problem it finds and raises them
together as one :class:`BankError`. The work is split by job: :mod:`.keys` (what each
key holds), :mod:`.checks` (values), :mod:`.builders` (questions, cards, quizzes),
:mod:`.crossbank` (ids and selections), :mod:`.files` (reading files and folders, and
the checks that need every bank at once); :mod:`.cli` is the command line.

How YAML is read (see ``docs/bank-format.md``):

* The node tree comes from :mod:`quiz_app.banks.yamlnodes`, which bounds depth, aliases
  and node count.
* No YAML 1.1 implicit typing: the schema says what each key holds. Text keeps the
  scalar exactly as written (``No``, ``on``, ``12:30`` and ``010`` stay text). Booleans
  accept only ``true``/``false`` (any case). Numbers are decimal: ``0x1F``, ``0o17``,
  ``1:30``, ``1_000`` and ``.inf`` are refused, as is an integer with a leading zero
  (``010``), which YAML 1.1 tools read as octal 8.
* Quotes mean text: ``"1953"`` or ``"true"`` where a number or boolean is wanted is an
  error.
* Messages name items by 0-based index and id: ``questions[3] (origins-malik): ...``;
  :mod:`.wording` rewords them for teachers (``Question 4 (id `origins-malik`), line
  16: ...``), as the upload page, the editor and ``quiz-app banks validate`` show them.

The key tables (``BANK_KEYS``, ``QUESTION_KEYS``, ...) in :mod:`.keys` are data shared
with :mod:`quiz_app.banks.jsonschema`, so the editor schema and the loader cannot drift.
"""

from __future__ import annotations

import hashlib

from quiz_app.banks.builders import build_bank
from quiz_app.banks.checks import Checker, Places
from quiz_app.banks.schema import (
    MAX_BANK_BYTES,
    Bank,
    BankError,
    Problem,
)
from quiz_app.banks.yamlnodes import YamlProblem, build_tree

# ----------------------------------------------------------------------
# parse_bank


def _decode(raw: bytes, source: str) -> str:
    nul = raw.find(b"\0")
    if nul >= 0:
        line = raw.count(b"\n", 0, nul) + 1
        raise BankError(
            [
                Problem(
                    source,
                    line,
                    0,
                    "this is a binary file (it contains NUL bytes), not YAML text",
                )
            ]
        )
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw.count(b"\n", 0, exc.start) + 1
        column = exc.start - (raw.rfind(b"\n", 0, exc.start) + 1) + 1
        raise BankError(
            [
                Problem(
                    source,
                    line,
                    column,
                    f"the file is not UTF-8 text (byte 0x{raw[exc.start]:02x}); save "
                    "it as UTF-8",
                )
            ]
        ) from None


def size_problem(source: str, size: int, max_bytes: int) -> Problem:
    return Problem(
        source, 0, 0, f"the file is {size:,} bytes; the limit is {max_bytes:,} bytes"
    )


def parse_bank(
    text: str | bytes, *, source: str, max_bytes: int = MAX_BANK_BYTES
) -> Bank:
    """Check one bank file's text and build its :class:`Bank`.

    :param source: the file name used in problems and as ``Bank.source_path``.
    :raises BankError: with every problem found, sorted by line.
    """
    return parse_with_places(text, source=source, max_bytes=max_bytes)[0]


def parse_with_places(
    text: str | bytes, *, source: str, max_bytes: int
) -> tuple[Bank, Places]:
    raw = (
        text.encode("utf-8", "surrogatepass") if isinstance(text, str) else bytes(text)
    )
    if len(raw) > max_bytes:
        raise BankError([size_problem(source, len(raw), max_bytes)])
    content_hash = hashlib.sha256(raw).hexdigest()
    decoded = _decode(raw, source) if isinstance(text, bytes) else text
    if isinstance(text, str):
        if "\0" in text:
            line = text.count("\n", 0, text.index("\0")) + 1
            raise BankError(
                [
                    Problem(
                        source,
                        line,
                        0,
                        "the text contains NUL characters; a bank is plain YAML text",
                    )
                ]
            )
        try:
            text.encode("utf-8")
        except UnicodeEncodeError as exc:
            raise BankError(
                [Problem(source, 0, 0, f"the text is not valid Unicode ({exc.reason})")]
            ) from None
    try:
        root = build_tree(decoded)
    except YamlProblem as exc:
        raise BankError([Problem(source, exc.line, exc.column, exc.message)]) from None
    checker = Checker(source)
    bank = build_bank(checker, root, source, content_hash)
    if checker.problems or bank is None:
        raise BankError(checker.problems)
    return bank, checker.places
