"""Pure Moodle GIFT reader and writer. No Flask or DB imports.

Follows Moodle's own parser (question/format/gift/format.php) and its documentation
(docs.moodle.org/en/GIFT_format): questions are separated by blank lines; lines starting
with ``//`` are comments; ``$CATEGORY:`` switches category (our topic); ``::name::``,
``[html]``/``[markdown]``/``[plain]``/``[moodle]`` formats; ``#`` feedback, ``####``
general feedback (our explanation); ``%50%`` weights; ``\\`` escapes ``\\~ \\= \\# \\{
\\} \\: \\\\`` and ``\\n``. The answer part decides the type the way Moodle does: empty
is an essay, ``#`` numerical, ``~`` multiple choice, ``=…->…`` matching, ``T``/``F``
true/false, otherwise short answer; ``>`` is the ordering question type's extension.
Each of our types reads its own answer part (``GiftCodec`` in its module under
``questions/kinds``, which also says in what order the types claim a part); this module
reads the file and what every question shares.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from quiz_app.banks.schema import Bank, Question
from quiz_app.interchange.common import (
    ConvertError,
    Draft,
    DraftQuestion,
    html_to_markdown,
    looks_like_html,
    plain_from_html,
)
from quiz_app.questions.formats import gift_escape as escape
from quiz_app.questions.grading import QUESTION_TYPES, interchange
from quiz_app.questions.types import GiftAnswer, GiftCodec, Unsupported

__all__ = ["FORMAT_LABEL", "check_gift_text", "escape", "export_gift", "parse_gift"]

FORMAT_LABEL = "Moodle GIFT"

# Escaped characters become private-use placeholders while the structure is parsed.
_ESCAPES = {
    "\\\\": "\ue000",
    "\\:": "\ue001",
    "\\#": "\ue002",
    "\\=": "\ue003",
    "\\{": "\ue004",
    "\\}": "\ue005",
    "\\~": "\ue006",
}
_RESTORE = {v: k[1] for k, v in _ESCAPES.items()}
_FORMAT_RE = re.compile(r"^\s*\[(html|markdown|plain|moodle)\]", re.IGNORECASE)


def _protect(text: str) -> str:
    for escaped, placeholder in _ESCAPES.items():
        text = text.replace(escaped, placeholder)
    return text


def _restore(text: str) -> str:
    text = text.replace("\\n", "\n")
    for placeholder, char in _RESTORE.items():
        text = text.replace(placeholder, char)
    return text


def _blocks(text: str) -> Iterable[tuple[int, list[str]]]:
    """(first line number, lines) of each question: runs of non-blank lines."""
    current: list[str] = []
    start = 0
    for number, line in enumerate(text.split("\n"), start=1):
        if line.strip() == "":
            if current:
                yield start, current
            current = []
            continue
        if not current:
            start = number
        current.append(line)
    if current:
        yield start, current


class _Reader:
    def __init__(self, draft: Draft) -> None:
        self.draft = draft
        self.media = 0

    def text(self, raw: str, default_format: str = "moodle") -> str:
        """Markdown for a question text or feedback written in a GIFT format."""
        raw = raw.strip()
        fmt = default_format
        match = _FORMAT_RE.match(raw)
        if match:
            fmt = match.group(1).lower()
            raw = raw[match.end() :]
        text = _restore(raw).strip()
        if fmt == "html" or (fmt == "moodle" and looks_like_html(text)):
            text, media = html_to_markdown(text)
            self.media += media
        return text

    def plain(self, raw: str) -> str:
        raw = raw.strip()
        match = _FORMAT_RE.match(raw)
        if match:
            raw = raw[match.end() :]
        text, media = plain_from_html(_restore(raw))
        self.media += media
        return text


def parse_gift(text: str) -> Draft:
    """Read a GIFT file into a draft of our question types.

    :raises ConvertError: when the text is not GIFT at all.
    """
    draft = Draft(FORMAT_LABEL)
    reader = _Reader(draft)
    text = text.replace("\r\n", "\n").replace("\r", "\n").lstrip("\ufeff")
    category = ""
    found_any = False
    for line_no, lines in _blocks(text):
        kept = [ln for ln in lines if not ln.strip().startswith("//")]
        block = "\n".join(kept).strip()
        if not block:
            continue
        if block.startswith("$CATEGORY:"):
            found_any = True
            path = block[len("$CATEGORY:") :].strip().splitlines()[0].strip()
            category = _category_topic(path)
            continue
        found_any = True
        comments = " ".join(ln for ln in lines if ln.strip().startswith("//"))
        _question(reader, _protect(block), line_no, category, comments)
    if not found_any:
        raise ConvertError("this file has no GIFT questions")
    if reader.media:
        draft.notes.append(
            f"{reader.media} images or media files were left out (only text is "
            "imported)"
        )
    return draft


def _category_topic(path: str) -> str:
    """The last segment of a Moodle category path ('//' is an escaped '/')."""
    parts = [p.replace("\ue007", "/") for p in path.replace("//", "\ue007").split("/")]
    parts = [p.strip() for p in parts if p.strip() and p.strip() != "$course$"]
    return parts[-1] if parts else ""


_ID_RE = re.compile(r"\[id:((?:\\.|[^\]\\])*)\]")
_TAG_RE = re.compile(r"\[tag:((?:\\.|[^\]\\])*)\]")


def _question(
    reader: _Reader, block: str, line_no: int, category: str, comments: str
) -> None:
    draft = reader.draft
    name = ""
    # Moodle writes a question's idnumber and tags as '// [id:x] [tag:y]'.
    idnumber = next(iter(_ID_RE.findall(comments)), "").replace("\\]", "]").strip()
    tags = [t.replace("\\]", "]").strip() for t in _TAG_RE.findall(comments)]
    if block.startswith("::"):
        end = block.find("::", 2)
        if end >= 0:
            name = _restore(block[2:end]).strip()
            block = block[end + 2 :].strip()
    where = f"question at line {line_no}" + (f" (::{name}::)" if name else "")
    start, end = block.find("{"), block.rfind("}")
    if start < 0:
        draft.skip(where, "a description (no answer part), not a question")
        return
    if end < start:
        draft.skip(where, "the answer part has no closing '}'")
        return
    before, answers, after = block[:start], block[start + 1 : end], block[end + 1 :]
    prompt_raw = before + ("_____" + after if after.strip() else "")
    answers, _, general = answers.partition("####")
    answers = answers.strip()
    q = DraftQuestion(
        type="",
        prompt=reader.text(prompt_raw),
        data={},
        position=where,
        name=idnumber or name or reader.plain(before)[:40],
        explanation=reader.text(general) if general.strip() else "",
        topic=category,
        tags=tags,
    )
    if answers == "":
        draft.skip(where, "an essay question (graded by hand)")
        return
    found = _reader_for(answers)
    if found is None:
        draft.skip(where, "no question type reads this answer part")
        return
    key, codec = found
    try:
        read = codec.read(answers, _Context(reader, q))
    except ValueError as exc:
        draft.skip(where, str(exc))
        return
    q.type, q.data = key, read.data
    _explain(q, read.explained_by, reader)
    draft.questions.append(q)


class _Context:
    """What a question type reading its answer part may use (``GiftContext``)."""

    def __init__(self, reader: _Reader, q: DraftQuestion) -> None:
        self.reader = reader
        self.q = q

    def plain(self, raw: str) -> str:
        return self.reader.plain(raw)

    def restore(self, raw: str) -> str:
        return _restore(raw)

    def note(self, message: str) -> None:
        self.reader.draft.notes.append(f"{self.q.position}: {message}")


def _reader_for(answers: str) -> tuple[str, GiftCodec] | None:
    """The type whose GIFT syntax the answer part is, as Moodle's parser decides it:
    the types in their ``order``, the first that claims it."""
    codecs = [
        (ours.interchange.gift.order, key, ours.interchange.gift)
        for key, ours in QUESTION_TYPES.items()
        if ours.interchange is not None and isinstance(ours.interchange.gift, GiftCodec)
    ]
    for _, key, codec in sorted(codecs, key=lambda c: c[0]):
        if codec.claims(answers):
            return key, codec
    return None


def _explain(q: DraftQuestion, feedbacks: Iterable[str], reader: _Reader) -> None:
    if not q.explanation:
        texts = [reader.text(f) for f in feedbacks if f.strip()]
        q.explanation = "\n\n".join(dict.fromkeys(t for t in texts if t))


# --------------------------------------------------------------------------------------
# writing


def _category(bank: Bank, topic: str) -> str:
    def seg(text: str) -> str:
        return " ".join(text.split()).replace("/", "//")

    return f"$course$/{seg(bank.title)}/{seg(bank.topics.get(topic, topic))}"


def _answer(q: Question) -> GiftAnswer | None:
    codec = interchange(q.type).gift
    return None if isinstance(codec, Unsupported) else codec.write(q.data)


def export_gift(bank: Bank) -> tuple[str, list[str]]:
    """GIFT text of a bank's questions, and what could not be written.

    Prompts and explanations are written as ``[markdown]``; each question's id is its
    ``::name::``; each topic a ``$CATEGORY:``.
    """
    out = [
        f"// {bank.title}: exported from Armistice Study (bank {bank.id}).",
        "// Import in Moodle: Question bank > Import > GIFT format.",
        "",
    ]
    left_out: list[str] = []
    current = None
    for q in bank.questions:
        answer = _answer(q)
        if answer is None:
            left_out.append(f"{q.id}: {q.type} has no GIFT form")
            continue
        if q.topic != current:
            current = q.topic
            out += [f"$CATEGORY: {_category(bank, q.topic)}", ""]
        if q.image is not None:
            left_out.append(f"{q.id}: its image is not exported")
        left_out += [f"{q.id}: {lost}" for lost in answer.lost]
        tags = [t.replace("]", "\\]") for t in q.tags]
        bits = [f"[id:{q.id}]"] + [f"[tag:{t}]" for t in tags]
        out.append("// " + " ".join(bits))
        explanation = (
            f"\n\t####[markdown]{escape(q.explanation)}"
            if answer.has_explanation
            else ""
        )
        opening = "{" if answer.inline else "{\n"
        out.append(
            f"::{escape(q.id)}::[markdown]{escape(q.prompt)}{opening}{answer.block}"
            f"{explanation}\n}}"
        )
        out.append("")
    for card in bank.cards:
        left_out.append(f"{card.id}: plain flashcards have no GIFT form")
    return "\n".join(out), left_out


def check_gift_text(text: str) -> None:
    if "{" not in text and "$CATEGORY" not in text:
        raise ConvertError("this file has no GIFT questions")
