"""``select.banks: all`` means the banks of the quiz's own collection: a bundled quiz's
folder, an uploaded quiz's own bank; never teachers' uploads for a bundled quiz, never
bundled banks or other uploads for an uploaded one.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

import sqlalchemy as sa

from quiz_app import resource_dir
from quiz_app.banks import schema
from quiz_app.banks.crossbank import collection_key, resolve_quiz_questions
from quiz_app.banks.files import StoredSource, load_bank_files
from quiz_app.banks.models import Question, Quiz
from quiz_app.banks.services import import_bank_files
from quiz_app.banks.uploads import source_name, upload_bank
from quiz_app.extensions import db
from quiz_app.quiz.queries import select_question_ids
from tests.banks.test_ownership_views import ADA_BANK
from tests.factories import make_schema_question

BUNDLED = resource_dir("question_banks")
ALL = schema.QuizDef(id="exam", title="Exam", select=schema.Selection(banks=("all",)))


def _bank(bank_id: str, path: str, *, upload: bool = False, **kw: Any) -> schema.Bank:
    return schema.Bank(
        id=bank_id,
        title=bank_id,
        source_path=path,
        questions=(make_schema_question(f"{bank_id}-q"),),
        is_upload=upload,
        **kw,
    )


def test_the_collection_is_the_folder_or_the_upload_itself() -> None:
    assert collection_key("course/a.yaml", is_upload=False) == collection_key(
        "course/b.yaml", is_upload=False
    )
    assert collection_key("course/a.yaml", is_upload=False) != collection_key(
        "other/a.yaml", is_upload=False
    )
    assert collection_key("up/a.yaml", is_upload=True) != collection_key(
        "up/b.yaml", is_upload=True
    )


def test_all_draws_from_the_quiz_banks_folder_only() -> None:
    exam = _bank("exam", "course/exam.yaml", quizzes=(ALL,))
    banks = [
        exam,
        _bank("a", "course/a.yaml"),
        _bank("elsewhere", "other-course/b.yaml"),
        _bank("upload", "uploads/upload.yaml", upload=True),
    ]
    by_id = {b.id: b for b in banks}
    drawn = resolve_quiz_questions(ALL, exam, by_id)
    assert [q.id for q in drawn] == ["exam-q", "a-q"]
    mine = banks[3]
    assert [q.id for q in resolve_quiz_questions(ALL, mine, by_id)] == ["upload-q"]


def test_banks_stored_in_the_database_are_marked_as_uploads() -> None:
    stored = StoredSource(source_name("cold-war"), ADA_BANK.encode(), frozenset())
    banks, problems = load_bank_files([BUNDLED], stored=[stored])
    assert not problems
    marked = {b.id for b in banks if b.is_upload}
    assert marked == {"cold-war"}


def test_the_bundled_final_exam_never_draws_an_upload(
    app: Any, make_user: Any, now: datetime
) -> None:
    """The measured leak: an uploaded Cold War bank was drawn into the final exam."""
    summary, problems = import_bank_files([BUNDLED], max_bytes=10**6, now=now)
    assert not problems and summary.banks_imported >= 7
    bundled = set(db.session.scalars(sa.select(Question.id)))
    teacher = make_user("ada", role="teacher")
    upload_bank(
        ADA_BANK.encode(),
        filename="cold-war.yaml",
        bank_paths=[str(BUNDLED)],
        max_bytes=10**6,
        max_image_bytes=10**6,
        now=now,
        uploader=teacher,
    )
    exam = db.session.get(Quiz, "final-exam")
    assert exam is not None
    drawn = set(select_question_ids(exam))
    assert drawn == bundled  # every bundled question, no upload
    assert not {"cw-q1", "cw-q2"} & drawn


def test_an_uploaded_quiz_draws_only_its_own_bank(
    app: Any, make_user: Any, now: datetime, make_bank: Any
) -> None:
    make_bank("bundled")
    teacher = make_user("ada", role="teacher")
    text = ADA_BANK.replace(
        "    title: Cold War quiz\n",
        "    title: Cold War quiz\n    select:\n      banks: [all]\n",
    )
    for name, body in [("cold-war", text), ("other", _other_upload())]:
        upload_bank(
            body.encode(),
            filename=f"{name}.yaml",
            bank_paths=[],
            max_bytes=10**6,
            max_image_bytes=10**6,
            now=now,
            uploader=teacher,
        )
    quiz = db.session.get(Quiz, "cw-quiz")
    assert quiz is not None and quiz.selection["banks"] == ["all"]
    assert select_question_ids(quiz) == ["cw-q1", "cw-q2"]


def _other_upload() -> str:
    return ADA_BANK.replace("id: cold-war", "id: other-upload").replace("cw-", "ot-")
