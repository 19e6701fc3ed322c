"""Pure, bounded YAML node tree built from PyYAML's events. No Flask or DB imports.

``yaml.compose``/``yaml.load`` are not safe for untrusted files: the C composer recurses
(100,000 ``[`` crash the whole process) and aliases let 400 bytes expand to hundreds of
millions of items. Here the tree is built iteratively, with an explicit stack, from the
``yaml.parse`` event stream, and three limits are enforced while it is built:

* nesting depth (collections inside collections), including what an alias brings along;
* the number of aliases;
* the number of nodes *as expanded*: an alias to a collection counts its nodes again,
  so any later walk over the tree is bounded too. Aliases to collections are allowed
  (handy for a shared ``sources`` list); an alias to a collection that is still open (a
  recursive structure) is refused.

No scalar is resolved: each keeps the text exactly as written and whether it was plain
(unquoted); the schema-directed converter in ``loader`` decides what it means.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import yaml

#: PyYAML's C (libyaml) event parser where present; both parse YAML the same way.
LOADER: type[yaml.SafeLoader] | type[yaml.CSafeLoader] = getattr(
    yaml, "CSafeLoader", yaml.SafeLoader
)

MAX_DEPTH = 40
MAX_ALIASES = 200
MAX_NODES = 1_000_000


class Scalar:
    """A scalar as written; ``plain`` is False for quoted and block scalars."""

    __slots__ = ("value", "plain", "tag", "line", "column")

    def __init__(
        self, value: str, plain: bool, tag: str | None, line: int, column: int
    ) -> None:
        self.value = value
        self.plain = plain
        self.tag = tag
        self.line = line
        self.column = column

    def __repr__(self) -> str:
        return f"Scalar({self.value!r}, line={self.line})"


class Seq:
    """A YAML sequence; aliases make ``items`` share nodes with others."""

    __slots__ = ("items", "tag", "line", "column", "size", "height", "closed")

    def __init__(self, tag: str | None, line: int, column: int) -> None:
        self.items: list[Node] = []
        self.tag = tag
        self.line = line
        self.column = column
        self.size = 1  #: nodes in this subtree, aliases expanded
        self.height = 1  #: collection nesting inside and including this one
        self.closed = False

    def __repr__(self) -> str:
        return f"Sequence({len(self.items)} items, line={self.line})"


class Map:
    """A YAML mapping as (key, value) pairs in file order, duplicates kept."""

    __slots__ = ("pairs", "tag", "line", "column", "size", "height", "closed")

    def __init__(self, tag: str | None, line: int, column: int) -> None:
        self.pairs: list[tuple[Node, Node]] = []
        self.tag = tag
        self.line = line
        self.column = column
        self.size = 1
        self.height = 1
        self.closed = False

    def __repr__(self) -> str:
        return f"Map({len(self.pairs)} pairs, line={self.line})"


Node = Scalar | Seq | Map


class YamlProblem(Exception):
    """The text cannot become a tree; line and column are 1-based (0: unknown)."""

    def __init__(self, line: int, column: int, message: str) -> None:
        super().__init__(message)
        self.line = line
        self.column = column
        self.message = message


def _syntax_problem(exc: yaml.YAMLError, text: str) -> YamlProblem:
    if isinstance(exc, yaml.MarkedYAMLError) and exc.problem_mark is not None:
        mark = exc.problem_mark
        message = f"YAML syntax error: {exc.problem}"
        if exc.context and exc.context_mark is not None:
            cm = exc.context_mark
            message += f" ({exc.context} at line {cm.line + 1}, column {cm.column + 1})"
        elif exc.context:
            message += f" ({exc.context})"
        return YamlProblem(mark.line + 1, mark.column + 1, message)
    if isinstance(exc, yaml.reader.ReaderError):
        # The C reader reports a byte offset in the UTF-8 stream, the Python one a
        # character offset: both are exact for an ASCII prefix, the usual case.
        prefix = text[: max(0, exc.position)]
        line = prefix.count("\n") + 1
        column = len(prefix) - (prefix.rfind("\n") + 1) + 1
        char = exc.character
        shown = repr(chr(char) if isinstance(char, int) else char)
        message = f"YAML syntax error: {exc.reason} (character {shown})"
        return YamlProblem(line, column, message)
    return YamlProblem(0, 0, f"YAML syntax error: {exc}")


def build_tree(
    text: str,
    *,
    max_depth: int = MAX_DEPTH,
    max_aliases: int = MAX_ALIASES,
    max_nodes: int = MAX_NODES,
) -> Node | None:
    """Parse one YAML document into a bounded node tree; None for an empty document.

    :raises YamlProblem: on a syntax error, a second document, an unknown or recursive
        alias, or a limit exceeded. Nothing else escapes, whatever the text.
    """
    loader = LOADER(text)
    try:
        return _build(loader, max_depth, max_aliases, max_nodes)
    except yaml.YAMLError as exc:
        raise _syntax_problem(exc, text) from None
    finally:
        loader.dispose()


def _build(
    loader: yaml.SafeLoader | yaml.CSafeLoader,
    max_depth: int,
    max_aliases: int,
    max_nodes: int,
) -> Node | None:
    # Local names: this loop runs once per event; attribute look-ups dominate its cost.
    get_event: Callable[[], Any] = loader.get_event
    scalar_event = yaml.ScalarEvent
    alias_event = yaml.AliasEvent
    seq_start, seq_end = yaml.SequenceStartEvent, yaml.SequenceEndEvent
    map_start, map_end = yaml.MappingStartEvent, yaml.MappingEndEvent
    doc_start, stream_end = yaml.DocumentStartEvent, yaml.StreamEndEvent

    root: Node | None = None
    documents = 0
    anchors: dict[str, Node] = {}
    aliases = 0
    nodes = 0
    # Open collections, innermost last, with the node count when each opened and, for
    # a mapping, the key waiting for its value.
    stack: list[Seq | Map] = []
    opened_at: list[int] = []
    pending_key: list[Node | None] = []

    while True:
        event = get_event()
        cls = event.__class__
        node: Node
        if cls is scalar_event:
            mark = event.start_mark
            style = event.style
            node = Scalar(
                event.value, not style, event.tag, mark.line + 1, mark.column + 1
            )
            nodes += 1
            if event.anchor is not None:
                anchors[event.anchor] = node
        elif cls is map_start or cls is seq_start:
            mark = event.start_mark
            if len(stack) >= max_depth:
                raise YamlProblem(
                    mark.line + 1,
                    mark.column + 1,
                    f"nesting is deeper than {max_depth} levels",
                )
            node = (Map if cls is map_start else Seq)(
                event.tag, mark.line + 1, mark.column + 1
            )
            nodes += 1
            if event.anchor is not None:
                anchors[event.anchor] = node
            stack.append(node)
            opened_at.append(nodes)
            pending_key.append(None)
            if nodes > max_nodes:
                raise YamlProblem(
                    mark.line + 1, mark.column + 1, f"more than {max_nodes} YAML nodes"
                )
            continue
        elif cls is map_end or cls is seq_end:
            node = stack.pop()
            node.size = nodes - opened_at.pop() + 1
            node.closed = True
            if (
                pending_key.pop() is not None
            ):  # pragma: no cover - the parser never emits this
                raise YamlProblem(node.line, node.column, "mapping key without a value")
            if stack:
                parent = stack[-1]
                if node.height >= parent.height:
                    parent.height = node.height + 1
        elif cls is alias_event:
            mark = event.start_mark
            line, column = mark.line + 1, mark.column + 1
            aliases += 1
            if aliases > max_aliases:
                raise YamlProblem(
                    line, column, f"more than {max_aliases} aliases (*name)"
                )
            target = anchors.get(event.anchor)
            if target is None:
                raise YamlProblem(
                    line,
                    column,
                    f"alias *{event.anchor} has no anchor &{event.anchor} before it",
                )
            if isinstance(target, Scalar):
                node = target
                nodes += 1
            else:
                if not target.closed:
                    raise YamlProblem(
                        line,
                        column,
                        f"alias *{event.anchor} refers to a collection that contains "
                        "it",
                    )
                if len(stack) + target.height > max_depth:
                    raise YamlProblem(
                        line,
                        column,
                        f"nesting is deeper than {max_depth} levels (through alias "
                        f"*{event.anchor})",
                    )
                node = target
                nodes += target.size
                if stack and target.height >= stack[-1].height:
                    stack[-1].height = target.height + 1
            if nodes > max_nodes:
                raise YamlProblem(
                    line, column, f"more than {max_nodes} YAML nodes (aliases expanded)"
                )
        elif cls is doc_start:
            documents += 1
            if documents > 1:
                mark = event.start_mark
                raise YamlProblem(
                    mark.line + 1,
                    mark.column + 1,
                    "a bank file holds one YAML document, found a second '---'",
                )
            continue
        elif cls is stream_end:
            return root
        else:  # StreamStart, DocumentEnd
            continue

        # Attach the finished node to its parent (or make it the root).
        if not stack:
            root = node
            continue
        parent = stack[-1]
        if isinstance(parent, Seq):
            parent.items.append(node)
        else:
            key = pending_key[-1]
            if key is None:
                pending_key[-1] = node
            else:
                parent.pairs.append((key, node))
                pending_key[-1] = None
        if nodes > max_nodes:
            raise YamlProblem(
                node.line, node.column, f"more than {max_nodes} YAML nodes"
            )
