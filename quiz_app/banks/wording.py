"""Pure wording of bank problems for teachers. No Flask or DB.

The loader names an entry the way a programmer would, ``questions[2] (x): 'answer' ...``
(0-based, and the list's YAML name). Teachers read the same problem as ``Question 3 (id
`x`), line 16: 'answer' ...``: counted from 1, in words, with the line to look at.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Final

from quiz_app.banks.schema import Problem

_NOUNS: Final = {"questions": "Question", "cards": "Card", "quizzes": "Quiz"}
_INDEXED = re.compile(r"^(questions|cards|quizzes)\[(\d+)\](?: \((.*?)\))?: ")
_NAMED = re.compile(r"^(questions|cards|quizzes) \((.*?)\): ")
#: ``'choices[2]'`` inside a message: an item of a list key, 0-based.
_ITEM = re.compile(r"'([A-Za-z_.]+)\[(\d+)\]'")


@dataclass(frozen=True, slots=True)
class TeacherProblem:
    """One problem as a teacher reads it."""

    #: "Question 3 (id `x`)", "Quiz 1", or "" for the file as a whole
    entry: str
    #: the entry's id as written, when it has one
    item_id: str | None
    #: the list the entry is in ("questions", "cards", "quizzes"), its 0-based index
    section: str | None
    index: int | None
    line: int
    message: str

    @property
    def place(self) -> str:
        """``Question 3 (id `x`), line 16`` / ``Line 16`` / ``""``."""
        where = [self.entry] if self.entry else []
        if self.line:
            where.append(f"line {self.line}" if where else f"Line {self.line}")
        return ", ".join(where)

    def __str__(self) -> str:
        place = self.place
        return f"{place}: {self.message}" if place else self.message


def _items(message: str) -> str:
    return _ITEM.sub(lambda m: f"item {int(m.group(2)) + 1} of '{m.group(1)}'", message)


def teacher_problem(problem: Problem) -> TeacherProblem:
    """Reword one loader problem for teachers."""
    message = problem.message
    section: str | None = None
    index: int | None = None
    item_id: str | None = None
    entry = ""
    match = _INDEXED.match(message)
    if match:
        section, index, item_id = match.group(1), int(match.group(2)), match.group(3)
        entry = f"{_NOUNS[section]} {index + 1}"
        message = message[match.end() :]
    else:
        named = _NAMED.match(message)
        if named:
            section, item_id = named.group(1), named.group(2)
            entry = _NOUNS[section]
            message = message[named.end() :]
    if item_id is not None:
        entry += f" (id `{item_id}`)"
    return TeacherProblem(
        entry=entry,
        item_id=item_id,
        section=section,
        index=index,
        line=problem.line,
        message=_items(message),
    )


def teacher_problems(problems: Iterable[Problem]) -> list[TeacherProblem]:
    """Every problem reworded, in line order."""
    return [teacher_problem(p) for p in sorted(problems)]


def cli_line(problem: Problem) -> str:
    """``file:line:column: Question 3 (id `x`): message`` for the command line: the
    location editors jump to, then the teacher's wording."""
    worded = teacher_problem(problem)
    text = f"{worded.entry}: {worded.message}" if worded.entry else worded.message
    return f"{problem.source}:{problem.line}:{problem.column}: {text}"
