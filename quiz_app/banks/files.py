"""Bank files and folders: find them, read them (the only I/O of the loader) and run
the checks that need every bank at once. No Flask or DB imports.
"""

from __future__ import annotations

import dataclasses
import os
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from quiz_app.banks.checks import Checker, Places, QuizPlaces, did_you_mean
from quiz_app.banks.crossbank import (
    check_selection_size,
    resolve_quiz_questions,
    same_collection,
)
from quiz_app.banks.imagefiles import image_file_problem
from quiz_app.banks.loader import parse_with_places, size_problem
from quiz_app.banks.schema import (
    ALL_BANKS,
    BANK_SUFFIXES,
    MAX_BANK_BYTES,
    Bank,
    BankError,
    Problem,
    QuizDef,
)

# ----------------------------------------------------------------------
# Files (I/O) and cross-bank checks


def walk_bank_files(folder: str | Path) -> list[str]:
    """The bank files under a folder, hidden names (``.x``) skipped: a folder's own
    files by name, then its sub-folders' by name.
    """
    found: list[str] = []
    for parent, dirs, names in os.walk(folder):
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        found += [
            os.path.join(parent, n)
            for n in sorted(names)
            if n.endswith(BANK_SUFFIXES) and not n.startswith(".")
        ]
    return found


def bank_file_paths(paths: Sequence[str | Path]) -> list[str]:
    """Every bank file under the given files and folders, each once, in a stable order;
    missing paths and empty folders are no problem here (see :func:`load_bank_files`).
    """
    found: list[str] = []
    for given in paths:
        path = Path(given)
        found += [str(path)] if path.is_file() else walk_bank_files(path)
    return list(dict.fromkeys(found))


def _expand(paths: Sequence[str | Path]) -> tuple[list[str], list[Problem]]:
    files: list[str] = []
    problems: list[Problem] = []
    for given in paths:
        path = Path(given)
        if path.is_dir():
            found = walk_bank_files(path)
            if not found:
                problems.append(
                    Problem(
                        str(given), 0, 0, "no bank files (*.yaml, *.yml) in this folder"
                    )
                )
            files += sorted(found)
        elif path.exists():
            files.append(str(given))
        else:
            problems.append(Problem(str(given), 0, 0, "no such file or folder"))
    unique = list(dict.fromkeys(files))
    return unique, problems


@dataclass(frozen=True, slots=True)
class StoredSource:
    """A bank kept as text rather than as a file: a teacher's upload, stored in the
    database with the names of its images."""

    source: str  #: the name problems and ``Bank.source_path`` give it
    raw: bytes
    images: frozenset[str]


def load_bank_files(
    paths: Sequence[str | Path],
    *,
    max_bytes: int = MAX_BANK_BYTES,
    stored: Sequence[StoredSource] = (),
    stored_first: bool = False,
) -> tuple[list[Bank], list[Problem]]:
    """Read and check bank files and folders (searched recursively), and banks stored
    as text, all together, never raising.

    Stored banks are teachers' uploads: each is a collection of its own for
    ``select.banks: all``. An id used twice is a problem of the second bank seen:
    the newcomer. Files come first, then ``stored`` in order, so an upload being
    saved (put last) is refused against them; with ``stored_first`` the uploads
    come first, so a file added later that clashes with a teacher's upload is the
    one left out, never the upload (which importing the file would overwrite).

    :returns: the banks that parsed (some may still have cross-bank problems: drop those
        whose ``source_path`` appears in a problem) and every problem, sorted.
    """
    files, problems = _expand(paths)
    from_files: list[tuple[Bank, Places]] = []
    for name in files:
        try:
            size = os.path.getsize(name)
            if size > max_bytes:
                problems.append(size_problem(name, size, max_bytes))
                continue
            with open(name, "rb") as handle:
                raw = handle.read(max_bytes + 1)
        except OSError as exc:
            problems.append(
                Problem(name, 0, 0, f"cannot read the file: {exc.strerror or exc}")
            )
            continue
        try:
            bank, places = parse_with_places(raw, source=name, max_bytes=max_bytes)
        except BankError as exc:
            problems += exc.problems
            continue
        from_files.append((bank, places))
    from_store: list[tuple[Bank, Places]] = []
    for item in stored:
        try:
            bank, places = parse_with_places(
                item.raw, source=item.source, max_bytes=max_bytes
            )
        except BankError as exc:
            problems += exc.problems
            continue
        from_store.append((dataclasses.replace(bank, is_upload=True), places))
    parsed = from_store + from_files if stored_first else from_files + from_store
    images = {item.source: item.images for item in stored}
    problems += cross_bank_problems(parsed, stored_images=images)
    return [bank for bank, _ in parsed], sorted(problems)


def cross_bank_problems(
    parsed: list[tuple[Bank, Places]],
    *,
    stored_images: Mapping[str, Collection[str]] | None = None,
) -> list[Problem]:
    """Problems only all the banks together show: ids used twice, quizzes selecting
    from other banks, image files. A bank whose source is in ``stored_images`` has its
    images there (by name), not in a folder.
    """
    stored_images = stored_images or {}
    problems: list[Problem] = []
    banks_by_id: dict[str, Bank] = {}
    for bank, places in parsed:
        first = banks_by_id.get(bank.id)
        if first is None:
            banks_by_id[bank.id] = bank
        else:
            line, column = places.bank_id
            problems.append(
                Problem(
                    bank.source_path,
                    line,
                    column,
                    f"bank id {bank.id!r} is also used by {first.source_path}",
                )
            )

    item_owner: dict[str, tuple[str, str, int]] = {}  # id -> (kind, file, line)
    quiz_owner: dict[str, str] = {}  # id -> where it was first seen
    for bank, places in parsed:
        items = [("question", q.id, q.line) for q in bank.questions]
        items += [("card", card.id, card.line) for card in bank.cards]
        for kind, item_id, item_line in items:
            line, column = places.item_ids.get(item_id, (item_line, 0))
            first_item = item_owner.get(item_id)
            if first_item is None:
                item_owner[item_id] = (kind, bank.source_path, line)
            elif first_item[1] != bank.source_path:
                problems.append(
                    Problem(
                        bank.source_path,
                        line,
                        column,
                        f"{kind} id {item_id!r} is also used by a {first_item[0]} at "
                        f"{first_item[1]}:{first_item[2]}",
                    )
                )
        for quiz in bank.quizzes:
            quiz_places = places.quizzes.get(quiz.id)
            # A default quiz has no line of its own: point at the bank's id.
            line, column = quiz_places.id if quiz_places else places.bank_id
            where = f"{bank.source_path}:{line}"
            if quiz.is_default:
                where = f"the default quiz of {bank.source_path}"
            first_quiz = quiz_owner.get(quiz.id)
            if first_quiz is None:
                quiz_owner[quiz.id] = where
                continue
            message = f"quiz id {quiz.id!r} is also used by {first_quiz}"
            if quiz.is_default:
                message = (
                    f"this bank's default quiz id {quiz.id!r} is also used by "
                    f"{first_quiz}; define a quiz of your own"
                )
            problems.append(Problem(bank.source_path, line, column, message))

    for bank, places in parsed:
        for quiz in bank.quizzes:
            if quiz.select.banks and quiz.id in places.quizzes:
                problems += _check_cross_selection(
                    bank, quiz, places.quizzes[quiz.id], banks_by_id
                )
        base = Path(bank.source_path).parent
        stored = stored_images.get(bank.source_path)
        for index, question in enumerate(bank.questions):
            if question.image is None:
                continue
            if stored is None:
                problem = image_file_problem(base, question.image.file)
            elif question.image.file in stored:
                problem = None
            else:
                problem = (
                    f"image file {question.image.file!r} was not uploaded with this "
                    "bank; upload a .zip holding the bank file and its images"
                )
            if problem:
                line, column = places.images.get(question.id, (question.line, 0))
                problems.append(
                    Problem(
                        bank.source_path,
                        line,
                        column,
                        f"questions[{index}] ({question.id}): {problem}",
                    )
                )
    return problems


def _check_cross_selection(
    bank: Bank, quiz: QuizDef, places: QuizPlaces, banks_by_id: Mapping[str, Bank]
) -> list[Problem]:
    c = Checker(bank.source_path)
    where = f"quizzes ({quiz.id})"
    names = quiz.select.banks
    if names != (ALL_BANKS,):
        for name in names:
            if name not in banks_by_id:
                c.add(
                    places.banks.get(name, places.quiz),
                    where,
                    f"no bank has id {name!r}{did_you_mean(name, banks_by_id)}",
                )
        if c.problems:
            return c.problems
        pools = [banks_by_id[name] for name in names]
    else:
        pools = list(same_collection(bank, banks_by_id.values()))
    topics = {t for pool in pools for t in pool.topics}
    ids = {q.id for pool in pools for q in pool.questions}
    for topic, at in places.topics.items():
        if topic not in topics:
            c.add(
                at,
                where,
                f"topic {topic!r} is in none of the selected "
                f"banks{did_you_mean(topic, topics)}",
            )
    for qid, at in places.ids.items():
        if qid not in ids:
            c.add(
                at,
                where,
                "no question in the selected banks has id "
                f"{qid!r}{did_you_mean(qid, ids)}",
            )
    if not c.problems:
        check_selection_size(
            c, quiz, places, where, resolve_quiz_questions(quiz, bank, banks_by_id)
        )
    return c.problems
