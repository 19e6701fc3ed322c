"""Pure builders: a checked node tree -> the bank's typed questions, cards and
quizzes. No Flask or DB imports.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from quiz_app.banks.checks import (
    ID_RE,
    INT_RE,
    INVALID,
    Checker,
    QuizPlaces,
    did_you_mean,
    item_where,
    kind_name,
    short,
)
from quiz_app.banks.crossbank import check_quizzes_in_bank, check_unique_ids
from quiz_app.banks.keys import (
    BANK_KEYS,
    CARD_KEYS,
    FLASHCARD_KEYS,
    IMAGE_KEYS,
    QUESTION_KEYS,
    QUIZ_KEYS,
    SELECT_KEYS,
    SLUG_HELP,
    SOURCE_KEYS,
    KeySpec,
    Kind,
    type_key_spec,
)
from quiz_app.banks.schema import (
    ALL_BANKS,
    FORMAT_VERSION,
    MAX_ID_LENGTH,
    Bank,
    Card,
    CardFace,
    Difficulty,
    Image,
    Layout,
    Question,
    QuizDef,
    Selection,
    Source,
)
from quiz_app.banks.yamlnodes import Map, Node, Scalar, Seq
from quiz_app.questions.grading import QUESTION_TYPES
from quiz_app.questions.types import QuestionType


def build_bank(
    c: Checker, root: Node | None, source: str, content_hash: str
) -> Bank | None:
    if root is None:
        c.add((1, 1), "", "the file is empty; a bank starts with 'format: 1'")
        return None
    pairs = c.pairs(root, "", "a bank file")
    if pairs is None:
        return None
    c.keys_ok(
        pairs,
        root,
        "",
        allowed=BANK_KEYS,
        required=[k for k, s in BANK_KEYS.items() if s.required],
    )
    values: dict[str, Any] = {}
    for name, (_, node) in pairs.items():
        spec = BANK_KEYS.get(name)
        if spec is None or spec.kind in (
            Kind.SLUG_TEXT_MAP,
            Kind.OBJECT_MAP,
            Kind.OBJECT_LIST,
        ):
            continue
        if name == "format":
            values[name] = _format(c, node)
        else:
            values[name] = c.value(spec, node, "", name)
    if "id" in pairs:
        c.places.bank_id = (pairs["id"][1].line, pairs["id"][1].column)

    topics, topic_keys = (
        _topics(c, pairs["topics"][1]) if "topics" in pairs else ({}, None)
    )
    sources, source_keys = (
        _sources(c, pairs["sources"][1]) if "sources" in pairs else ({}, None)
    )
    refs = _Refs(topic_keys, source_keys)

    questions = _items(
        c, pairs, "questions", lambda node, i: _question(c, node, i, refs)
    )
    cards = _items(c, pairs, "cards", lambda node, i: _card(c, node, i, refs))
    quizzes = _items(c, pairs, "quizzes", lambda node, i: _quiz(c, node, i))

    check_unique_ids(c, pairs, questions, cards, quizzes)
    good_questions = tuple(q for q, _ in questions if isinstance(q, Question))
    good_cards = tuple(card for card, _ in cards if isinstance(card, Card))
    good_quizzes = tuple(quiz for quiz, _ in quizzes if isinstance(quiz, QuizDef))
    check_quizzes_in_bank(c, quizzes, questions, cards, topic_keys)

    listed = [pairs[k][1] for k in ("questions", "cards") if k in pairs]
    if (
        not questions
        and not cards
        and all(isinstance(n, Seq) for n in listed)
        and not any(isinstance(q, QuizDef) and q.select.banks for q, _ in quizzes)
    ):
        c.add(
            root,
            "",
            "the bank has no questions or cards; add some, or define quizzes that draw "
            "from other banks (select.banks)",
        )

    bank_id, title = values.get("id"), values.get("title")
    if bank_id == ALL_BANKS:
        c.add(
            pairs["id"][1],
            "",
            f"'id' {ALL_BANKS!r} is reserved (select.banks: all means every bank)",
        )
    if c.problems or not isinstance(bank_id, str) or not isinstance(title, str):
        return None
    if not good_quizzes and good_questions:
        good_quizzes = (
            QuizDef(
                id=f"{bank_id}-all", title=f"{title}: all questions", is_default=True
            ),
        )
    return Bank(
        id=bank_id,
        title=title,
        source_path=source,
        description=values.get("description", ""),
        authors=values.get("authors", ()),
        licence=values.get("licence"),
        topics=topics,
        sources=sources,
        questions=good_questions,
        cards=good_cards,
        quizzes=good_quizzes,
        content_hash=content_hash,
    )


def _format(c: Checker, node: Node) -> Any:
    if (
        isinstance(node, Scalar)
        and node.plain
        and INT_RE.fullmatch(node.value)
        and node.value != str(FORMAT_VERSION)
    ):
        c.add(
            node,
            "",
            f"unsupported format {node.value}; this version reads format "
            f"{FORMAT_VERSION}",
        )
        return INVALID
    return c.value(BANK_KEYS["format"], node, "", "format")


@dataclass(frozen=True, slots=True)
class _Refs:
    """Keys declared in ``topics`` and ``sources``, including ones with problems (so a
    typo in a source's title is not reported again at every question citing it); None
    when the key itself is missing or broken, which is reported once."""

    topics: frozenset[str] | None
    sources: frozenset[str] | None


def _key_slug(c: Checker, node: Scalar, what: str) -> bool:
    text = node.value
    if ID_RE.match(text) and len(text) <= MAX_ID_LENGTH and not text.endswith("\n"):
        return True
    c.add(node, "", f"{what} key {short(text)!r} must be {SLUG_HELP}")
    return False


def _topics(c: Checker, node: Node) -> tuple[dict[str, str], frozenset[str] | None]:
    pairs = c.pairs(node, "", "'topics'")
    if pairs is None:
        return {}, None
    if not pairs:
        c.add(node, "", "'topics' is empty; define at least one topic")
    topics = {}
    for key, (knode, vnode) in pairs.items():
        slug_ok = _key_slug(c, knode, "topic")
        title = c.text(vnode, "", f"topics.{key}")
        if slug_ok and title is not INVALID:
            topics[key] = title
    return topics, frozenset(pairs)


def _sources(c: Checker, node: Node) -> tuple[dict[str, Source], frozenset[str] | None]:
    pairs = c.pairs(node, "", "'sources'")
    if pairs is None:
        return {}, None
    if not pairs:
        c.add(node, "", "'sources' is empty; define at least one source")
    sources = {}
    for key, (knode, vnode) in pairs.items():
        slug_ok = _key_slug(c, knode, "source")
        values = c.table(SOURCE_KEYS, vnode, "", f"sources.{key}")
        if slug_ok and values is not None:
            sources[key] = Source(
                key=key,
                title=values["title"],
                url=values.get("url"),
                note=values.get("note"),
            )
    return sources, frozenset(pairs)


T = Any


def _items(
    c: Checker,
    pairs: Mapping[str, tuple[Scalar, Node]],
    name: str,
    convert: Callable[[Node, int], T],
) -> list[tuple[T, Node]]:
    """Convert each item of a list key, paired with its node (None: it failed)."""
    if name not in pairs:
        return []
    node = pairs[name][1]
    if not isinstance(node, Seq):
        c.add(
            node,
            "",
            f"{name!r} must be a list (lines starting with '- '), not "
            f"{kind_name(node)}",
        )
        return []
    c.tag_ok(node, "", name)
    return [(convert(item, i), item) for i, item in enumerate(node.items)]


def _common(
    c: Checker,
    pairs: Mapping[str, tuple[Scalar, Node]],
    table: Mapping[str, KeySpec],
    where: str,
    refs: _Refs,
) -> dict[str, Any]:
    """Convert a question's or card's simple keys; check topic and sources."""
    values: dict[str, Any] = {}
    for name, (_, node) in pairs.items():
        spec = table.get(name)
        if (
            spec is None
            or spec.kind in (Kind.OBJECT, Kind.FLASHCARD)
            or (name == "type" and table is QUESTION_KEYS)
        ):
            continue
        values[name] = value = c.value(spec, node, where, name)
        if value is INVALID:
            continue
        if name == "topic" and refs.topics is not None and value not in refs.topics:
            c.add(
                node,
                where,
                f"topic {value!r} is not a key of "
                f"'topics'{did_you_mean(value, refs.topics)}",
            )
        elif name == "sources" and refs.sources is not None:
            seq = node.items if isinstance(node, Seq) else []
            for item_node, key in zip(seq, value, strict=False):
                if key not in refs.sources:
                    c.add(
                        item_node,
                        where,
                        f"source {key!r} is not a key of "
                        f"'sources'{did_you_mean(key, refs.sources)}",
                    )
    return values


def _question_type(
    c: Checker, pairs: Mapping[str, tuple[Scalar, Node]], where: str
) -> QuestionType | None:
    if "type" not in pairs:
        return None
    node = pairs["type"][1]
    text = c.text(node, where, "type")
    if text is INVALID:
        return None
    qtype = QUESTION_TYPES.get(text)
    if qtype is None:
        c.add(
            node,
            where,
            f"unknown type {short(text)!r}{did_you_mean(text, QUESTION_TYPES)}; "
            f"use one of {', '.join(QUESTION_TYPES)}",
        )
    return qtype


def _question(c: Checker, node: Node, index: int, refs: _Refs) -> Question | None:
    where = item_where("questions", index, node)
    pairs = c.pairs(node, where, "a question")
    if pairs is None:
        return None
    before = len(c.problems)
    qtype = _question_type(c, pairs, where)
    required = [k for k, s in QUESTION_KEYS.items() if s.required]
    if qtype is not None:
        allowed = [*QUESTION_KEYS, *qtype.fields]
        required += sorted(qtype.required)
        qkey = qtype.key

        def other_type(key: str) -> str | None:
            owners = [t.key for t in QUESTION_TYPES.values() if key in t.fields]
            if not owners:
                return None
            return (
                f"{key!r} is not a key of {qkey} questions"
                f"{did_you_mean(key, allowed)}; it belongs to {', '.join(owners)}"
            )

        c.keys_ok(
            pairs, node, where, allowed=allowed, required=required, hint=other_type
        )
    else:
        # Without a usable type only the common keys can be checked; any type's keys
        # are tolerated.
        any_type = {k for t in QUESTION_TYPES.values() for k in t.fields}
        c.keys_ok(
            pairs,
            node,
            where,
            allowed=[*QUESTION_KEYS, *sorted(any_type)],
            required=required,
        )

    values = _common(c, pairs, QUESTION_KEYS, where, refs)
    image = None
    if "image" in pairs:
        image_node = pairs["image"][1]
        image_values = c.table(IMAGE_KEYS, image_node, where, "image")
        if image_values is not None:
            image = Image(file=image_values["file"], alt=image_values["alt"])
            qid = values.get("id")
            if isinstance(qid, str) and isinstance(image_node, Map):
                file_node = next(
                    v
                    for k, v in image_node.pairs
                    if isinstance(k, Scalar) and k.value == "file"
                )
                c.places.images[qid] = (file_node.line, file_node.column)

    data: dict[str, Any] = {}
    if qtype is not None:
        type_before = len(c.problems)
        for key in qtype.fields:
            if key in pairs:
                data[key] = c.value(
                    type_key_spec(qtype, key), pairs[key][1], where, key
                )
            elif key in qtype.defaults:
                data[key] = qtype.defaults[key]
        if len(c.problems) == type_before and qtype.required <= pairs.keys():
            for key, message in qtype.check(data):
                at: Node = pairs[key][0] if key in pairs else node
                c.add(at, where, message)

    flashcard = _flashcard(c, pairs, where, qtype, values, data)
    if len(c.problems) != before or qtype is None:
        return None
    return Question(
        id=values["id"],
        type=qtype.key,
        prompt=values["prompt"],
        explanation=values["explanation"],
        sources=values["sources"],
        topic=values["topic"],
        tags=values.get("tags", ()),
        difficulty=Difficulty(values.get("difficulty", Difficulty.MEDIUM)),
        flashcard=flashcard,
        image=image,
        data=data,
        line=node.line,
        variant_group=values.get("variant_group"),
        allow_overlap=values.get("allow_overlap", ()),
    )


def _flashcard(
    c: Checker,
    pairs: Mapping[str, tuple[Scalar, Node]],
    where: str,
    qtype: QuestionType | None,
    values: Mapping[str, Any],
    data: Mapping[str, Any],
) -> CardFace | None:
    if "flashcard" not in pairs:
        return None
    node = pairs["flashcard"][1]
    if isinstance(node, Map):
        face = c.table(FLASHCARD_KEYS, node, where, "flashcard")
        return (
            CardFace(front=face["front"], back=face["back"])
            if face is not None
            else None
        )
    if isinstance(node, Seq):
        c.add(
            node,
            where,
            "'flashcard' must be true, false or a mapping with front and back, not "
            f"{kind_name(node)}",
        )
        return None
    if c.boolean(node, where, "flashcard") is not True:
        return None
    prompt, explanation = values.get("prompt"), values.get("explanation")
    if qtype is None or not isinstance(prompt, str) or not isinstance(explanation, str):
        return None
    if any(v is INVALID for v in data.values()) or not qtype.required <= data.keys():
        return None
    return CardFace(
        front=prompt, back=f"{qtype.describe_answer(data)}\n\n{explanation}"
    )


def _card(c: Checker, node: Node, index: int, refs: _Refs) -> Card | None:
    where = item_where("cards", index, node)
    pairs = c.pairs(node, where, "a card")
    if pairs is None:
        return None
    before = len(c.problems)

    def question_key(key: str) -> str | None:
        if key in QUESTION_KEYS or any(
            key in t.fields for t in QUESTION_TYPES.values()
        ):
            return (
                f"{key!r} is a question key; a card has {', '.join(CARD_KEYS)} "
                "(put questions under 'questions')"
            )
        return None

    required = [k for k, s in CARD_KEYS.items() if s.required]
    c.keys_ok(
        pairs, node, where, allowed=CARD_KEYS, required=required, hint=question_key
    )
    values = _common(c, pairs, CARD_KEYS, where, refs)
    if len(c.problems) != before:
        return None
    return Card(
        id=values["id"],
        front=values["front"],
        back=values["back"],
        sources=values["sources"],
        topic=values["topic"],
        tags=values.get("tags", ()),
        line=node.line,
    )


def _quiz(c: Checker, node: Node, index: int) -> QuizDef | None:
    where = item_where("quizzes", index, node)
    pairs = c.pairs(node, where, "a quiz")
    if pairs is None:
        return None
    before = len(c.problems)
    c.keys_ok(
        pairs,
        node,
        where,
        allowed=QUIZ_KEYS,
        required=[k for k, s in QUIZ_KEYS.items() if s.required],
    )
    values: dict[str, Any] = {}
    for name, (_, value_node) in pairs.items():
        spec = QUIZ_KEYS.get(name)
        if spec is not None and name != "select":
            values[name] = c.value(spec, value_node, where, name)
    id_node = pairs["id"][1] if "id" in pairs else node
    places = QuizPlaces(
        quiz=(node.line, node.column), id=(id_node.line, id_node.column)
    )
    if "count" in pairs:
        places.count = (pairs["count"][0].line, pairs["count"][0].column)
    selection = (
        _selection(c, pairs["select"][1], where, places)
        if "select" in pairs
        else Selection()
    )
    if len(c.problems) != before or selection is None:
        return None
    c.places.by_index[index] = places
    c.places.quizzes.setdefault(values["id"], places)
    return QuizDef(
        id=values["id"],
        title=values["title"],
        description=values.get("description", ""),
        select=selection,
        count=values.get("count"),
        shuffle=values.get("shuffle", True),
        layout=Layout(values.get("layout", Layout.ONE_PER_PAGE)),
        time_limit_minutes=values.get("time_limit_minutes"),
        max_attempts=values.get("max_attempts"),
        pass_mark=values.get("pass_mark", 60),
        review=values.get("review"),
        visibility=values.get("visibility"),
    )


def _selection(
    c: Checker, node: Node, where: str, places: QuizPlaces
) -> Selection | None:
    pairs = c.pairs(node, where, "'select'")
    if pairs is None:
        return None
    before = len(c.problems)
    c.keys_ok(pairs, node, where, allowed=SELECT_KEYS, required=(), prefix="select.")
    values: dict[str, Any] = {}
    for name, (_, value_node) in pairs.items():
        spec = SELECT_KEYS.get(name)
        if spec is None:
            continue
        if spec.kind is Kind.BANKS:
            values[name] = _banks(c, value_node, where)
            items = value_node.items if isinstance(value_node, Seq) else [value_node]
            for item in items:
                if isinstance(item, Scalar):
                    places.banks.setdefault(item.value, (item.line, item.column))
            continue
        values[name] = c.value(spec, value_node, where, f"select.{name}")
        if (
            name in ("topics", "ids")
            and isinstance(value_node, Seq)
            and values[name] is not INVALID
        ):
            target = places.topics if name == "topics" else places.ids
            for item, text in zip(value_node.items, values[name], strict=True):
                target.setdefault(text, (item.line, item.column))
    if len(c.problems) != before:
        return None
    return Selection(
        topics=values.get("topics", ()),
        tags=values.get("tags", ()),
        ids=values.get("ids", ()),
        banks=values.get("banks", ()),
    )


def _banks(c: Checker, node: Node, where: str) -> Any:
    if isinstance(node, Scalar) and node.value == ALL_BANKS:
        return (ALL_BANKS,)
    if isinstance(node, Scalar) and node.value.strip():
        c.add(
            node,
            where,
            "'select.banks' must be 'all' or a list of bank ids, not "
            f"{kind_name(node)} (write [{node.value}])",
        )
        return INVALID
    banks = c.text_list(node, where, "select.banks", slugs=True, minimum=1)
    if banks is INVALID:
        return INVALID
    if ALL_BANKS in banks and len(banks) > 1:
        c.add(
            node,
            where,
            "'select.banks' lists 'all' together with other banks; use 'all' alone",
        )
        return INVALID
    if len(set(banks)) != len(banks):
        c.add(node, where, "'select.banks' lists a bank twice")
        return INVALID
    return banks
