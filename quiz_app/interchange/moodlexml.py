"""Pure Moodle XML reader and writer. No Flask or DB imports.

The format is Moodle's (docs.moodle.org/en/Moodle_XML_format, question/format/xml).
Reading goes through defusedxml with DTDs refused, so entity expansion ("billion
laughs"), external entities and DTD tricks raise an error before anything is built.
"""

from __future__ import annotations

import math
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
from quiz_app.questions.grading import interchange
from quiz_app.questions.types import Unsupported

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
        handler = _HANDLERS.get(qtype)
        if handler is None:
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
        if handler(reader, node, q):
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


def _fraction(node: ET.Element) -> float:
    try:
        value = float(node.get("fraction", "0"))
    except ValueError:
        return 0.0
    return value if math.isfinite(value) else 0.0


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


def _multichoice(reader: _Reader, node: ET.Element, q: DraftQuestion) -> bool:
    answers = node.findall("answer")
    texts = [reader.plain(a) for a in answers]
    fractions = [_fraction(a) for a in answers]
    single = (node.findtext("single") or "true").strip().lower() in ("true", "1")
    if single:
        right = [t for t, f in zip(texts, fractions, strict=True) if f >= 100]
        q.type = "single_choice"
        q.data = {"choices": texts, "answer": right[0] if right else ""}
        for t, f in zip(texts, fractions, strict=True):
            if 0 < f < 100:
                reader.note(q, f"partial credit ({f:g}%) for {t!r} dropped")
        good = [a for a, f in zip(answers, fractions, strict=True) if f >= 100]
    else:
        q.type = "multi_choice"
        q.data = {
            "choices": texts,
            "answers": [t for t, f in zip(texts, fractions, strict=True) if f > 0],
        }
        positive = [f for f in fractions if f > 0]
        if len({round(f, 3) for f in positive}) > 1:
            reader.note(q, "unequal weights of the right answers become equal shares")
        good = [a for a, f in zip(answers, fractions, strict=True) if f > 0]
    q.data["shuffle"] = (node.findtext("shuffleanswers") or "true").strip().lower() in (
        "true",
        "1",
    )
    if q.data["shuffle"]:
        del q.data["shuffle"]
    q.explanation = q.explanation or _feedback(reader, good)
    return True


def _truefalse(reader: _Reader, node: ET.Element, q: DraftQuestion) -> bool:
    answers = node.findall("answer")
    right = [a for a in answers if _fraction(a) >= 100]
    if not right:
        reader.draft.skip(q.position, "no answer is marked right")
        return False
    q.type = "true_false"
    q.data = {"answer": (right[0].findtext("text") or "").strip().lower() == "true"}
    q.explanation = q.explanation or _feedback(reader, right)
    return True


def _shortanswer(reader: _Reader, node: ET.Element, q: DraftQuestion) -> bool:
    answers = node.findall("answer")
    accepted = []
    for a in answers:
        text, f = reader.plain(a), _fraction(a)
        if f >= 100:
            accepted.append(text)
        elif f > 0:
            reader.note(q, f"answer {text!r} ({f:g}%) dropped")
    if (node.findtext("usecase") or "0").strip() == "1":
        reader.note(q, "answers were case-sensitive in Moodle; here case is ignored")
    q.type = "short_text"
    q.data = {"answers": accepted}
    q.explanation = q.explanation or _feedback(
        reader, [a for a in answers if _fraction(a) >= 100]
    )
    return True


def _number(text: str) -> float | None:
    try:
        value = float(text.strip())
    except ValueError:
        return None
    return value if math.isfinite(value) else None


def _numerical(reader: _Reader, node: ET.Element, q: DraftQuestion) -> bool:
    answers = [
        a
        for a in node.findall("answer")
        if _fraction(a) >= 100 and (a.findtext("text") or "").strip() != "*"
    ]
    if not answers:
        reader.draft.skip(q.position, "a numerical question with no fully right answer")
        return False
    value = _number(answers[0].findtext("text") or "")
    tolerance = _number(answers[0].findtext("tolerance") or "0")
    if value is None or tolerance is None:
        reader.draft.skip(q.position, "the right answer is not a number")
        return False
    for other in answers[1:]:
        reader.note(q, f"further answer {other.findtext('text')!r} dropped")
    q.type = "numeric"
    q.data = {"answer": value, "tolerance": abs(tolerance)}
    units = [
        (u.findtext("unit_name") or "").strip()
        for u in node.findall("units/unit")
        if (_number(u.findtext("multiplier") or "1") or 0) == 1
    ]
    if units and units[0]:
        q.data["unit"] = units[0]
    q.explanation = q.explanation or _feedback(reader, answers[:1])
    return True


def _matching(reader: _Reader, node: ET.Element, q: DraftQuestion) -> bool:
    pairs, distractors = [], []
    for sub in node.findall("subquestion"):
        left = reader.plain(sub)
        right, _ = plain_from_html(sub.findtext("answer/text") or "")
        if left:
            pairs.append((left, right))
        elif right:
            distractors.append(right)
    q.type = "matching"
    q.data = {"pairs": pairs, "distractors": distractors}
    return True


def _ordering(reader: _Reader, node: ET.Element, q: DraftQuestion) -> bool:
    # The ordering type keeps each item's correct position in 'fraction'.
    answers = sorted(node.findall("answer"), key=_fraction)
    q.type = "ordering"
    q.data = {"items": [reader.plain(a) for a in answers]}
    if (node.findtext("selecttype") or "").strip() not in ("", "0", "ALL"):
        reader.note(q, "only a subset of items was shown in Moodle; all are used here")
    return True


_HANDLERS = {
    "multichoice": _multichoice,
    "truefalse": _truefalse,
    "shortanswer": _shortanswer,
    "numerical": _numerical,
    "matching": _matching,
    "ordering": _ordering,
}


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
