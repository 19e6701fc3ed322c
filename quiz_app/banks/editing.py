"""Pure round-trip edits of one bank's YAML text: add, replace, delete or move one
question, plain card or quiz by id. No Flask or DB.

The file stays the source of truth, so an edit changes as few bytes as it can: the text
is spliced, never re-dumped whole. Every other entry, every comment outside the edited
entry and the order of keys stay byte for byte; inside a replaced entry only the keys
whose value changed are rewritten (in place, so the key order stays), removed keys are
cut and new ones appended. :mod:`ruamel.yaml` (round-trip mode) finds where each entry
and key is and writes the new values.

Values are plain Python: ``str`` (text; a text with line breaks is written as a
``|`` block), ``bool``, ``int``/``float``, lists and mappings (a TEXT_MAP may also be
given as a sequence of pairs). The result is not checked here: callers parse it with
:func:`quiz_app.banks.loader.parse_bank`.
"""

from __future__ import annotations

import io
from collections.abc import Mapping, Sequence
from typing import Any, Final

from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.error import YAMLError
from ruamel.yaml.scalarstring import LiteralScalarString

#: The lists of a bank whose entries have an ``id``.
SECTIONS: Final = ("questions", "cards", "quizzes")
#: A list of short texts is written on one line, ``[a, b, c]``, up to this width.
FLOW_WIDTH: Final = 88


class EditError(ValueError):
    """The edit cannot be made (no such entry, or a file the editor cannot splice)."""


# --------------------------------------------------------------------------------------
# Reading


def _yaml() -> YAML:
    yaml = YAML(typ="rt")
    yaml.width = 4096  # never fold a long line
    yaml.indent(mapping=2, sequence=4, offset=2)
    yaml.preserve_quotes = True
    return yaml


def _load(text: str) -> CommentedMap:
    try:
        root = _yaml().load(text)
    except YAMLError as exc:
        raise EditError(f"the file is not YAML the editor can read: {exc}") from None
    if not isinstance(root, CommentedMap):
        raise EditError("the file is not a bank (its top level is not a mapping)")
    return root


def _section(root: CommentedMap, section: str) -> CommentedSeq | None:
    if section not in SECTIONS:
        raise EditError(f"unknown list {section!r}; use one of {', '.join(SECTIONS)}")
    seq = root.get(section)
    if seq is None or (isinstance(seq, CommentedSeq) and not seq):
        return None
    if not isinstance(seq, CommentedSeq) or seq.fa.flow_style():
        raise EditError(
            f"'{section}' is not written as a list of '- ' entries; edit it in a "
            "text editor"
        )
    return seq


def _index_of(seq: CommentedSeq | None, section: str, item_id: str) -> int:
    for i, item in enumerate(seq or ()):
        if isinstance(item, CommentedMap) and str(item.get("id")) == item_id:
            return i
    raise EditError(f"there is no entry with id {item_id!r} under '{section}'")


def _plain(value: Any) -> Any:
    if isinstance(value, Mapping):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_plain(v) for v in value]
    if isinstance(value, bool):
        return bool(value)
    if isinstance(value, int):
        return int(value)
    if isinstance(value, float):
        return float(value)
    if value is None:
        return None
    return str(value)


def item_ids(text: str, section: str) -> list[str]:
    """The ids of one list's entries, in file order."""
    seq = _section(_load(text), section)
    return [str(item.get("id")) for item in seq or () if isinstance(item, CommentedMap)]


def get_item(text: str, section: str, item_id: str) -> dict[str, Any]:
    """One entry's keys and values as written (plain Python, file order).

    A value is read as YAML 1.2 reads it, which is not always how the bank loader does
    (``010`` is the text "010" to the loader); use the loader's values for meaning and
    this for which keys are written and how (``flashcard: true`` or a mapping).
    """
    root = _load(text)
    seq = _section(root, section)
    item = (seq or [])[_index_of(seq, section, item_id)]
    return {str(k): _plain(v) for k, v in item.items()}


# --------------------------------------------------------------------------------------
# Writing values


def _same(old: Any, new: Any) -> bool:
    """Equal values of the same kind (``True`` is not ``1``, ``"1"`` is not ``1``)."""
    if isinstance(old, Mapping) or isinstance(new, Mapping):
        if not (isinstance(old, Mapping) and isinstance(new, Mapping)):
            return False
        return list(old) == list(new) and all(_same(old[k], new[k]) for k in old)
    if isinstance(old, list | tuple) or isinstance(new, list | tuple):
        if not (isinstance(old, list | tuple) and isinstance(new, list | tuple)):
            return False
        return len(old) == len(new) and all(
            _same(a, b) for a, b in zip(old, new, strict=True)
        )

    def kind(value: Any) -> str:
        if isinstance(value, bool):
            return "bool"
        if isinstance(value, int | float):
            return "number"
        return "text" if isinstance(value, str) else repr(type(value))

    return kind(old) == kind(new) and old == new


def _is_pairs(value: Any) -> bool:
    return (
        isinstance(value, list | tuple)
        and bool(value)
        and all(isinstance(p, list | tuple) and len(p) == 2 for p in value)
        and all(isinstance(p[0], str) for p in value)
    )


def _to_yaml(value: Any, *, flow: bool | None = None) -> Any:
    if isinstance(value, str):
        text = value.replace("\r\n", "\n").replace("\r", "\n")
        return LiteralScalarString(text) if "\n" in text.rstrip("\n") else text
    if isinstance(value, bool | int | float) or value is None:
        return value
    if isinstance(value, Mapping) or _is_pairs(value) and flow is not True:
        pairs = value.items() if isinstance(value, Mapping) else value
        mapping = CommentedMap()
        for key, item in pairs:
            mapping[str(key)] = _to_yaml(item)
        return mapping
    if isinstance(value, list | tuple):
        seq = CommentedSeq([_to_yaml(v) for v in value])
        scalars = all(
            isinstance(v, str | int | float) and "\n" not in str(v) for v in value
        )
        if flow is None:
            flow = scalars and bool(value) and len(repr(list(value))) <= FLOW_WIDTH
        if (flow and scalars) or not value:
            seq.fa.set_flow_style()
        return seq
    raise EditError(f"cannot write a value of type {type(value).__name__}")


def _dump(mapping: CommentedMap, newline: str) -> list[str]:
    out = io.StringIO()
    _yaml().dump(mapping, out)
    return [line + newline for line in out.getvalue().split("\n")[:-1]]


def _indent(lines: list[str], first: str, rest: str) -> list[str]:
    return [(first if i == 0 else rest) + line for i, line in enumerate(lines)]


def _key_lines(
    key: str, value: Any, column: int, newline: str, flow: bool | None
) -> list[str]:
    mapping = CommentedMap()
    mapping[key] = _to_yaml(value, flow=flow)
    return _indent(_dump(mapping, newline), " " * column, " " * column)


def _item_lines(
    item: Mapping[str, Any], dash: int, column: int, newline: str
) -> list[str]:
    mapping = CommentedMap()
    for key, value in item.items():
        mapping[key] = _to_yaml(value)
    lines = _dump(mapping, newline)
    return _indent(lines, " " * dash + "-" + " " * (column - dash - 1), " " * column)


# --------------------------------------------------------------------------------------
# Where things are (0-based line numbers; an end is exclusive)


class _Text:
    def __init__(self, text: str) -> None:
        self.bom = "\ufeff" if text.startswith("\ufeff") else ""
        body = text[len(self.bom) :]
        self.newline = "\r\n" if "\r\n" in body else "\n"
        self.lines = body.splitlines(keepends=True)
        if self.lines and not self.lines[-1].endswith(("\n", "\r")):
            self.lines[-1] += self.newline
        self.root = _load(body)

    def join(self, lines: list[str]) -> str:
        return self.bom + "".join(lines)

    def _loose(self, line: int, limit: int) -> bool:
        """A blank line, or a comment indented no deeper than ``limit``."""
        stripped = self.lines[line].strip()
        if not stripped:
            return True
        indent = len(self.lines[line]) - len(self.lines[line].lstrip(" "))
        return stripped.startswith("#") and indent <= limit

    def trim(self, start: int, end: int, limit: int) -> int:
        """``end`` moved up over trailing blank lines and comments (they stay with
        what follows)."""
        while end > start + 1 and self._loose(end - 1, limit):
            end -= 1
        return end

    def root_end(self, key: str) -> int:
        """Where the top-level key ``key``'s value ends (the next top-level key)."""
        keys = list(self.root)
        i = keys.index(key)
        return (
            self.root.lc.key(keys[i + 1])[0] if i + 1 < len(keys) else len(self.lines)
        )

    def item_span(self, seq: CommentedSeq, section: str, i: int) -> tuple[int, int]:
        """The lines of entry ``i``: from its dash to its last line of content."""
        start, _ = seq.lc.item(i)
        while start > 0 and not self.lines[start].lstrip(" ").startswith("-"):
            start -= 1
        end = seq.lc.item(i + 1)[0] if i + 1 < len(seq) else self.root_end(section)
        if i + 1 < len(seq):
            while end > start and not self.lines[end].lstrip(" ").startswith("-"):
                end -= 1
        return start, self.trim(start, end, self.columns(seq, i)[1])

    def full_span(self, seq: CommentedSeq, section: str, i: int) -> tuple[int, int]:
        """An entry's lines with the comment lines right above its dash."""
        start, end = self.item_span(seq, section, i)
        dash, column = self.columns(seq, i)
        floor = self.item_span(seq, section, i - 1)[1] if i else 0
        while (
            start - 1 >= floor
            and self.lines[start - 1].strip().startswith("#")
            and self._loose(start - 1, column)
        ):
            start -= 1
        return start, end

    def columns(self, seq: CommentedSeq, i: int) -> tuple[int, int]:
        """The column of entry ``i``'s dash and of its keys."""
        line, column = seq.lc.item(i)
        text = self.lines[line]
        dash = text.find("-")
        if dash < 0 or dash >= column:
            dash = max(column - 2, 0)
        return dash, column


def _section_columns(doc: _Text, seq: CommentedSeq | None) -> tuple[int, int]:
    if seq:
        return doc.columns(seq, 0)
    return 2, 4


# --------------------------------------------------------------------------------------
# Edits


def add_item(
    text: str, section: str, item: Mapping[str, Any], *, index: int | None = None
) -> str:
    """Insert a new entry (at ``index``; at the end by default), keys in the order
    given."""
    doc = _Text(text)
    seq = _section(doc.root, section)
    if "id" in item and str(item["id"]) in item_ids(text, section):
        raise EditError(f"'{section}' already has an entry with id {item['id']!r}")
    dash, column = _section_columns(doc, seq)
    new = _item_lines(item, dash, column, doc.newline)
    lines = list(doc.lines)
    if seq is None:
        header = [f"{section}:{doc.newline}"]
        if section in doc.root:  # `questions: []` or `questions:` with nothing
            line = doc.root.lc.key(section)[0]
            end = doc.trim(line, doc.root_end(section), 0)
            lines[line:end] = header + new
        else:
            lines += header + new
        return doc.join(lines)
    count = len(seq)
    index = count if index is None else max(0, min(index, count))
    if index < count:
        at = doc.full_span(seq, section, index)[0]
    else:
        at = doc.item_span(seq, section, count - 1)[1]
    lines[at:at] = new
    return doc.join(lines)


def replace_item(text: str, section: str, item_id: str, item: Mapping[str, Any]) -> str:
    """Give an entry new values: changed keys are rewritten where they stand, keys not
    in ``item`` removed, new keys appended; unchanged keys keep their bytes."""
    doc = _Text(text)
    seq = _section(doc.root, section)
    i = _index_of(seq, section, item_id)
    assert seq is not None
    old: CommentedMap = seq[i]
    start, end = doc.item_span(seq, section, i)
    _, column = doc.columns(seq, i)
    keys = list(old)
    spans: dict[str, tuple[int, int]] = {}
    for n, key in enumerate(keys):
        key_line = old.lc.key(key)[0]
        next_line = old.lc.key(keys[n + 1])[0] if n + 1 < len(keys) else end
        spans[key] = (key_line, doc.trim(key_line, next_line, column))
    lines = list(doc.lines)
    edits: list[tuple[int, int, list[str]]] = []
    for key in keys:
        key_start, key_end = spans[key]
        if key not in item:
            if key_start == start:  # the key on the dash's line
                raise EditError(f"the first key of {item_id!r} cannot be removed")
            edits.append((key_start, key_end, []))
        elif not _same(_plain(old[key]), _plain_input(item[key])):
            flow = (
                old[key].fa.flow_style()
                if isinstance(old[key], CommentedSeq) and old[key]
                else None
            )
            new = _key_lines(key, item[key], column, doc.newline, flow)
            if key_start == start:  # keep the dash
                prefix = lines[key_start][:column]
                new[0] = prefix + new[0][column:]
            edits.append((key_start, key_end, new))
    added = [k for k in item if k not in old]
    if added:
        last_end = max(e for _, e in spans.values())
        tail: list[str] = []
        for key in added:
            tail += _key_lines(key, item[key], column, doc.newline, None)
        edits.append((last_end, last_end, tail))
    for edit_start, edit_end, new in sorted(edits, key=lambda e: e[:2], reverse=True):
        lines[edit_start:edit_end] = new
    return doc.join(lines)


def _plain_input(value: Any) -> Any:
    if _is_pairs(value):
        return {str(k): _plain_input(v) for k, v in value}
    if isinstance(value, tuple | list):
        return [_plain_input(v) for v in value]
    if isinstance(value, Mapping):
        return {str(k): _plain_input(v) for k, v in value.items()}
    if isinstance(value, str):
        return value.replace("\r\n", "\n").replace("\r", "\n")
    return value


def delete_item(text: str, section: str, item_id: str) -> str:
    """Remove an entry with the comment lines right above it. When it was the only
    one, the list's key goes too."""
    doc = _Text(text)
    seq = _section(doc.root, section)
    i = _index_of(seq, section, item_id)
    assert seq is not None
    lines = list(doc.lines)
    if len(seq) == 1:
        key_line = doc.root.lc.key(section)[0]
        end = doc.item_span(seq, section, 0)[1]
        del lines[key_line:end]
    else:
        start, end = doc.full_span(seq, section, i)
        del lines[start:end]
    return doc.join(lines)


def move_item(text: str, section: str, item_id: str, index: int) -> str:
    """Move an entry (with the comment lines right above it) to position ``index``
    (0-based, among the entries as they are after the move)."""
    doc = _Text(text)
    seq = _section(doc.root, section)
    i = _index_of(seq, section, item_id)
    assert seq is not None
    index = max(0, min(index, len(seq) - 1))
    if index == i:
        return text
    spans = [doc.full_span(seq, section, n) for n in range(len(seq))]
    chunks = [doc.lines[s:e] for s, e in spans]
    # What lies between entries (blank lines) stays where it is.
    gaps = [doc.lines[spans[n][1] : spans[n + 1][0]] for n in range(len(seq) - 1)]
    order: list[Sequence[str]] = [c for n, c in enumerate(chunks) if n != i]
    order.insert(index, chunks[i])
    middle: list[str] = []
    for n, chunk in enumerate(order):
        middle += chunk
        if n < len(gaps):
            middle += gaps[n]
    lines = doc.lines[: spans[0][0]] + middle + doc.lines[spans[-1][1] :]
    return doc.join(lines)
