"""Pure Moodle GIFT reader and writer. No Flask or DB imports.

Follows Moodle's own parser (question/format/gift/format.php) and its documentation
(docs.moodle.org/en/GIFT_format): questions are separated by blank lines; lines starting
with ``//`` are comments; ``$CATEGORY:`` switches category (our topic); ``::name::``,
``[html]``/``[markdown]``/``[plain]``/``[moodle]`` formats; ``#`` feedback, ``####``
general feedback (our explanation); ``%50%`` weights; ``\\`` escapes ``\\~ \\= \\# \\{
\\} \\: \\\\`` and ``\\n``. The answer part decides the type the way Moodle does: empty
is an essay, ``#`` numerical, ``~`` multiple choice, ``=…->…`` matching, ``T``/``F``
true/false, otherwise short answer; ``>`` is the ordering question type's extension.
"""

from __future__ import annotations

import math
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
from quiz_app.questions.grading import interchange
from quiz_app.questions.types import GiftAnswer, Unsupported

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
_WEIGHT_RE = re.compile(r"^%(-?[0-9]+(?:\.[0-9]+)?)%")
_FORMAT_RE = re.compile(r"^\s*\[(html|markdown|plain|moodle)\]", re.IGNORECASE)
_NUMBER_RE = re.compile(r"^[-+]?(?:[0-9]+\.?[0-9]*|\.[0-9]+)(?:[eE][-+]?[0-9]+)?$")


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


class _Item:
    """One answer of a question: text, weight (None if not given) and feedback."""

    def __init__(self, raw: str, *, correct: bool) -> None:
        text, _, feedback = raw.partition("#")
        text = text.strip()
        self.weight: float | None = 100.0 if correct else None
        match = _WEIGHT_RE.match(text)
        if match:
            self.weight = float(match.group(1))
            text = text[match.end() :].strip()
        self.raw = text
        self.feedback = feedback.strip()


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
    elif answers.startswith(">"):
        _ordering(reader, q, answers[1:])
    elif answers.startswith("#"):
        _numeric(reader, q, answers[1:])
    elif "~" in answers:
        _choice(reader, q, answers)
    elif "=" in answers and "->" in answers:
        _matching(reader, q, answers)
    elif answers.split("#")[0].strip().upper() in ("T", "TRUE", "F", "FALSE"):
        _true_false(reader, q, answers)
    else:
        _short(reader, q, answers)


def _explain(q: DraftQuestion, feedbacks: Iterable[str], reader: _Reader) -> None:
    if not q.explanation:
        texts = [reader.text(f) for f in feedbacks if f.strip()]
        q.explanation = "\n\n".join(dict.fromkeys(t for t in texts if t))


def _split(answers: str, marks: str) -> list[tuple[str, str]]:
    """(mark, text) for each answer starting with one of ``marks``."""
    pieces = re.split(f"([{re.escape(marks)}])", answers)
    out: list[tuple[str, str]] = []
    if pieces[0].strip():
        out.append(("", pieces[0]))
    for i in range(1, len(pieces), 2):
        out.append((pieces[i], pieces[i + 1]))
    return out


def _choice(reader: _Reader, q: DraftQuestion, answers: str) -> None:
    items = [_Item(raw, correct=mark == "=") for mark, raw in _split(answers, "=~")]
    texts = [reader.plain(i.raw) for i in items]
    single = "=" in answers
    weights = [i.weight or 0.0 for i in items]
    if single:
        right = [t for t, w in zip(texts, weights, strict=True) if w >= 100]
        partial = [(t, w) for t, w in zip(texts, weights, strict=True) if 0 < w < 100]
        q.type = "single_choice"
        q.data = {"choices": texts, "answer": right[0] if right else ""}
        if len(right) > 1:
            reader.draft.notes.append(
                f"{q.position}: several answers are fully right; the first "
                f"({right[0]!r}) is kept as the answer"
            )
        for t, w in partial:
            reader.draft.notes.append(
                f"{q.position}: partial credit ({w:g}%) for {t!r} dropped; it now "
                "counts as wrong"
            )
        good = [i.feedback for i, w in zip(items, weights, strict=True) if w >= 100]
    else:
        q.type = "multi_choice"
        q.data = {
            "choices": texts,
            "answers": [t for t, w in zip(texts, weights, strict=True) if w > 0],
        }
        positive = [w for w in weights if w > 0]
        if positive and len({round(w, 3) for w in positive}) > 1:
            reader.draft.notes.append(
                f"{q.position}: unequal weights of the right answers "
                f"({', '.join(f'{w:g}%' for w in positive)}) become equal shares"
            )
        good = [i.feedback for i, w in zip(items, weights, strict=True) if w > 0]
    _explain(q, good, reader)
    reader.draft.questions.append(q)


def _true_false(reader: _Reader, q: DraftQuestion, answers: str) -> None:
    parts = answers.split("#")
    value = parts[0].strip().upper() in ("T", "TRUE")
    q.type = "true_false"
    q.data = {"answer": value}
    # "#wrong feedback#right feedback": the right one explains.
    _explain(q, parts[2:3] or parts[1:2], reader)
    reader.draft.questions.append(q)


def _short(reader: _Reader, q: DraftQuestion, answers: str) -> None:
    items = [_Item(raw, correct=True) for _, raw in _split(answers, "=")]
    accepted, dropped = [], []
    for item in items:
        text = reader.plain(item.raw)
        weight = item.weight if item.weight is not None else 100.0
        if weight >= 100:
            accepted.append(text)
        elif weight > 0 or text != "*":
            dropped.append((text, weight))
    for text, weight in dropped:
        reader.draft.notes.append(
            f"{q.position}: answer {text!r} ({weight:g}%) dropped; only fully right "
            "answers are kept"
        )
    if any("*" in a for a in accepted):
        reader.draft.notes.append(
            f"{q.position}: '*' wildcards are matched literally here"
        )
    q.type = "short_text"
    q.data = {"answers": accepted}
    _explain(
        q,
        [i.feedback for i in items if (100 if i.weight is None else i.weight) >= 100],
        reader,
    )
    reader.draft.questions.append(q)


def _parse_number(text: str) -> float | None:
    text = text.strip()
    if not _NUMBER_RE.match(text):
        return None
    value = float(text)
    return value if math.isfinite(value) else None


def _numeric_value(raw: str) -> tuple[float, float] | None:
    """(answer, tolerance) of ``3.14:0.01``, ``1..5`` or ``42``."""
    if ".." in raw:
        low_text, _, high_text = raw.partition("..")
        low, high = _parse_number(low_text), _parse_number(high_text)
        if low is None or high is None or high < low:
            return None
        return (low + high) / 2, (high - low) / 2
    value_text, _, tol_text = raw.partition(":")
    value = _parse_number(value_text)
    tolerance = _parse_number(tol_text) if tol_text.strip() else 0.0
    if value is None or tolerance is None:
        return None
    return value, abs(tolerance)


def _numeric(reader: _Reader, q: DraftQuestion, answers: str) -> None:
    q.type = "numeric"
    if "=" in answers or "~" in answers:
        items = [_Item(raw, correct=m != "~") for m, raw in _split(answers, "=~")]
    else:
        items = [_Item(answers, correct=True)]
    right = [i for i in items if (i.weight or 0) >= 100 and i.raw.strip() != "*"]
    if not right:
        reader.draft.skip(q.position, "a numerical question with no fully right answer")
        return
    value = _numeric_value(_restore(right[0].raw))
    if value is None:
        reader.draft.skip(
            q.position,
            f"the numerical answer {_restore(right[0].raw)!r} is not a number",
        )
        return
    others = [i for i in items if i is not right[0] and (i.weight or 0) > 0]
    for other in others:
        reader.draft.notes.append(
            f"{q.position}: further answer {_restore(other.raw)!r} dropped; one "
            "number with a tolerance is kept"
        )
    q.data = {"answer": value[0], "tolerance": value[1]}
    _explain(q, [right[0].feedback], reader)
    reader.draft.questions.append(q)


def _matching(reader: _Reader, q: DraftQuestion, answers: str) -> None:
    pairs: list[tuple[str, str]] = []
    distractors: list[str] = []
    for _, raw in _split(answers, "="):
        left, sep, right = raw.partition("->")
        if not sep:
            continue
        left_text, right_text = reader.plain(left), reader.plain(right)
        if left_text:
            pairs.append((left_text, right_text))
        elif right_text:
            distractors.append(right_text)
    q.type = "matching"
    q.data = {"pairs": pairs, "distractors": distractors}
    reader.draft.questions.append(q)


def _ordering(reader: _Reader, q: DraftQuestion, answers: str) -> None:
    header, _, body = answers.partition("\n")
    items = [reader.plain(line) for line in body.split("\n") if line.strip()]
    if header.strip() and not re.match(r"^\s*\d+", header):
        items.insert(0, reader.plain(header))
    q.type = "ordering"
    q.data = {"items": items}
    reader.draft.questions.append(q)


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
