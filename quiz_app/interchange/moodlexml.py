"""Pure Moodle XML reader and writer. No Flask or DB imports.

The format is Moodle's (docs.moodle.org/en/Moodle_XML_format, question/format/xml).
Reading goes through defusedxml with DTDs refused, so entity expansion ("billion
laughs"), external entities and DTD tricks raise an error before anything is built.
This module reads the file and the parts every question shares (text, name, general
feedback, tags, categories); each question type reads and writes its own answers
(``MoodleXmlCodec`` in its module under ``questions/kinds``), as Moodle's qtype plugins
do.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections.abc import Iterable

import defusedxml.ElementTree as DET
from defusedxml import DefusedXmlException

from quiz_app.banks.schema import Bank, Question
from quiz_app.interchange.common import (
    ConvertError,
    Draft,
    DraftQuestion,
    html_to_markdown,
    looks_like_html,
    plain_from_html,
)
from quiz_app.questions.formats import xml_sub as _sub
from quiz_app.questions.formats import xml_text as _textnode
from quiz_app.questions.grading import QUESTION_TYPES, interchange
from quiz_app.questions.types import MoodleXmlCodec, Unsupported

FORMAT_LABEL = "Moodle XML"

#: Moodle question types we cannot express, and why.
_UNSUPPORTED = {
    "essay": "an essay question (graded by hand)",
    "cloze": "a cloze (embedded answers) question",
    "multianswer": "a cloze (embedded answers) question",
    "calculated": "a calculated question (formulas with random values)",
    "calculatedsimple": "a calculated question (formulas with random values)",
    "calculatedmulti": "a calculated question (formulas with random values)",
    "description": "a description, not a question",
    "random": "a random-question placeholder",
    "randomsamatch": "a random short-answer matching question",
    "ddwtos": "a drag-and-drop into text question",
    "ddimageortext": "a drag-and-drop onto image question",
    "ddmarker": "a drag-and-drop markers question",
    "gapselect": "a select-missing-words question",
}


def parse_moodle_xml(data: bytes) -> Draft:
    """Read a Moodle XML question file into a draft of our types.

    :raises ConvertError: for XML that is malformed, uses a DTD or entities, or is not
        a Moodle quiz file.
    """
    try:
        root = DET.fromstring(data, forbid_dtd=True)
    except (DefusedXmlException, ValueError) as exc:
        raise ConvertError(
            f"the XML file was refused: it declares a DTD or entities ({exc})"
        ) from None
    except ET.ParseError as exc:
        raise ConvertError(f"this is not well-formed XML: {exc}") from None
    if root.tag == "question":
        questions = [root]
    elif root.tag == "quiz":
        questions = root.findall("question")
    else:
        raise ConvertError(
            f"this XML is not a Moodle question file (its root is <{root.tag}>, "
            "not <quiz>)"
        )
    draft = Draft(FORMAT_LABEL)
    reader = _Reader(draft)
    topic = ""
    number = 0
    for node in questions:
        qtype = node.get("type", "")
        if qtype == "category":
            topic = _category_topic(_text(node, "category"))
            continue
        number += 1
        name = _text(node, "name").strip()
        where = f"question {number}" + (f" ({name})" if name else "")
        if qtype in _UNSUPPORTED:
            draft.skip(where, _UNSUPPORTED[qtype])
            continue
        found = _reader_for(node, qtype)
        if found is None:
            draft.skip(where, f"Moodle question type {qtype!r} is not supported")
            continue
        idnumber = (node.findtext("idnumber") or "").strip()
        q = DraftQuestion(
            type="",
            prompt=reader.rich(node.find("questiontext")),
            data={},
            position=where,
            name=idnumber or name,
            explanation=reader.rich(node.find("generalfeedback")),
            topic=topic,
            tags=[
                " ".join((t.findtext("text") or "").split())
                for t in node.findall("tags/tag")
            ],
        )
        if node.find("image") is not None or node.find("image_base64") is not None:
            reader.media += 1
        key, codec = found
        try:
            read = codec.read(node, _Context(reader, q))
        except ValueError as exc:
            draft.skip(q.position, str(exc))
            continue
        q.type, q.data = key, read.data
        q.explanation = q.explanation or _feedback(reader, read.explained_by)
        draft.questions.append(q)
    if reader.media:
        draft.notes.append(
            f"{reader.media} images or media files were left out (only text is "
            "imported)"
        )
    return draft


def _text(node: ET.Element, path: str) -> str:
    return node.findtext(f"{path}/text") or ""


def _category_topic(path: str) -> str:
    segments = path.replace("//", "\ue007").split("/")
    parts = [p.replace("\ue007", "/").strip() for p in segments]
    parts = [p for p in parts if p and p not in ("$course$", "$system$", "top")]
    return parts[-1] if parts else ""


class _Reader:
    def __init__(self, draft: Draft) -> None:
        self.draft = draft
        self.media = 0

    def rich(self, node: ET.Element | None) -> str:
        """Markdown of a <questiontext>/<generalfeedback>-like element."""
        if node is None:
            return ""
        text = node.findtext("text") or ""
        self.media += len(node.findall("file"))
        fmt = node.get("format", "html")
        if fmt == "markdown":
            return text.strip()
        if fmt in ("html", "moodle_auto_format") and looks_like_html(text):
            markdown, media = html_to_markdown(text)
            self.media += media
            return markdown
        return text.strip()

    def plain(self, node: ET.Element | None) -> str:
        if node is None:
            return ""
        self.media += len(node.findall("file"))
        text, media = plain_from_html(node.findtext("text") or "")
        self.media += media
        return text

    def note(self, q: DraftQuestion, message: str) -> None:
        self.draft.notes.append(f"{q.position}: {message}")


def _feedback(reader: _Reader, answers: Iterable[ET.Element]) -> str:
    texts = [reader.rich(a.find("feedback")) for a in answers]
    return "\n\n".join(dict.fromkeys(t for t in texts if t))


class _Context:
    """What a question type reading its <question> may use (``MoodleXmlContext``)."""

    def __init__(self, reader: _Reader, q: DraftQuestion) -> None:
        self.reader = reader
        self.q = q

    def plain(self, node: ET.Element | None) -> str:
        return self.reader.plain(node)

    def plain_text(self, text: str) -> str:
        return plain_from_html(text)[0]

    def note(self, message: str) -> None:
        self.reader.note(self.q, message)


def _reader_for(node: ET.Element, qtype: str) -> tuple[str, MoodleXmlCodec] | None:
    """Our type for a <question> of Moodle's ``qtype``, and its codec."""
    for key, ours in QUESTION_TYPES.items():
        codec = ours.interchange.moodle_xml if ours.interchange else None
        if (
            isinstance(codec, MoodleXmlCodec)
            and codec.qtype == qtype
            and codec.accepts(node)
        ):
            return key, codec
    return None


# --------------------------------------------------------------------------------------
# writing


def _question_xml(q: Question) -> ET.Element | None:
    codec = interchange(q.type).moodle_xml
    if isinstance(codec, Unsupported):
        return None
    node = ET.Element("question", {"type": codec.qtype})
    _textnode(node, "name", q.id)
    _textnode(node, "questiontext", q.prompt, "markdown")
    _textnode(node, "generalfeedback", q.explanation, "markdown")
    _sub(node, "defaultgrade", "1")
    _sub(node, "penalty", "0.3333333")
    _sub(node, "hidden", "0")
    _sub(node, "idnumber", q.id)
    codec.write(q.data, node)
    if q.tags:
        tags = _sub(node, "tags")
        for tag in q.tags:
            _textnode(tags, "tag", tag)
    return node


def _segment(text: str) -> str:
    """A category path segment: one line, '/' doubled as Moodle escapes it."""
    return " ".join(text.split()).replace("/", "//")


def export_moodle_xml(bank: Bank) -> tuple[bytes, list[str]]:
    """Moodle XML of a bank's questions (one category per topic), and what could not
    be written."""
    root = ET.Element("quiz")
    left_out: list[str] = []
    current = None
    for q in bank.questions:
        node = _question_xml(q)
        if node is None:
            left_out.append(f"{q.id}: {q.type} has no Moodle XML form")
            continue
        if q.image is not None:
            left_out.append(f"{q.id}: its image is not exported")
        if q.topic != current:
            current = q.topic
            category = _sub(root, "question", type="category")
            topic = bank.topics.get(q.topic, q.topic)
            path = f"$course$/top/{_segment(bank.title)}/{_segment(topic)}"
            _textnode(category, "category", path)
        root.append(node)
    for card in bank.cards:
        left_out.append(f"{card.id}: plain flashcards have no Moodle XML form")
    ET.indent(root, space="  ")
    body = ET.tostring(root, encoding="unicode")
    text = '<?xml version="1.0" encoding="UTF-8"?>\n' + body + "\n"
    return text.encode("utf-8"), left_out
