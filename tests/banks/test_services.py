"""Importing banks: idempotent upserts by id, retiring what left the file, never losing
history.
"""

from __future__ import annotations

import os
import shutil
from dataclasses import replace
from datetime import timedelta

import sqlalchemy as sa

from quiz_app.banks import schema
from quiz_app.banks.models import Bank, Card, Question, Quiz
from quiz_app.banks.services import import_bank, list_quizzes
from quiz_app.extensions import db
from tests.factories import make_schema_question


def _bank(questions, *, content_hash="h1", cards=(), quizzes=None):
    return schema.Bank(
        id="b",
        title="Bank B",
        source_path="b.yaml",
        topics={"topic-a": "Topic A"},
        sources={
            "src": schema.Source(
                key="src", title="A source", url="https://example.org/a"
            )
        },
        questions=tuple(questions),
        cards=tuple(cards),
        quizzes=tuple(
            quizzes or (schema.QuizDef(id="b-all", title="All", is_default=True),)
        ),
        content_hash=content_hash,
    )


def test_import_creates_questions_cards_and_quizzes(app, now):
    card = schema.Card(
        id="card-1",
        front="NNSC",
        back="Neutral Nations Supervisory Commission",
        sources=("src",),
        topic="topic-a",
    )
    summary = import_bank(
        _bank([make_schema_question("q1"), make_schema_question("q2")], cards=[card]),
        now=now,
    )
    assert (
        summary.created == 2 + 3 + 1
    )  # two questions, their two card faces plus one plain card, one quiz
    assert db.session.get(Bank, "b").sources["src"]["url"] == "https://example.org/a"
    q_card = db.session.get(Card, "q1")
    assert (
        q_card.question_id == "q1" and not q_card.is_in_deck
    )  # only missed questions reach a student
    assert "**Right**" in q_card.back and "Because the sources say so." in q_card.back
    assert db.session.get(Card, "card-1").is_in_deck
    assert [z.id for z in list_quizzes()] == ["b-all"]


def test_reimporting_the_same_file_changes_nothing(app, now):
    bank = _bank([make_schema_question("q1")])
    import_bank(bank, now=now)
    again = import_bank(bank, now=now + timedelta(days=1))
    assert (
        again.banks_unchanged == 1
        and again.created == again.updated == again.retired == 0
    )
    forced = import_bank(bank, now=now + timedelta(days=1), force=True)
    assert forced.created == forced.updated == forced.retired == 0


def test_editing_a_question_updates_it_in_place_and_bumps_its_version(app, now):
    import_bank(_bank([make_schema_question("q1")]), now=now)
    edited = make_schema_question("q1", prompt="A clearer prompt?")
    summary = import_bank(
        _bank([edited], content_hash="h2"), now=now + timedelta(hours=1)
    )
    row = db.session.get(Question, "q1")
    assert row.prompt == "A clearer prompt?"
    assert row.version == 2
    assert row.updated_at == now + timedelta(hours=1)
    assert summary.updated >= 1 and summary.created == 0
    assert db.session.get(Card, "q1").front == "A clearer prompt?"


def test_grouping_a_question_as_a_variant_keeps_its_version(app, now):
    import_bank(_bank([make_schema_question("q1")]), now=now)
    grouped = make_schema_question("q1", variant_group="same-fact")
    import_bank(_bank([grouped], content_hash="h2"), now=now + timedelta(hours=1))
    row = db.session.get(Question, "q1")
    assert row.variant_group == "same-fact"
    assert row.version == 1  # the student sees the same question
    import_bank(_bank([make_schema_question("q1")], content_hash="h3"), now=now)
    assert db.session.get(Question, "q1").variant_group is None


def test_removed_question_is_retired_not_deleted_and_can_return(app, now):
    import_bank(
        _bank([make_schema_question("q1"), make_schema_question("q2")]), now=now
    )
    summary = import_bank(
        _bank([make_schema_question("q1")], content_hash="h2"), now=now
    )
    assert summary.retired == 2  # the question and its card face
    assert db.session.get(Question, "q2").is_retired
    assert db.session.get(Card, "q2").is_retired
    import_bank(
        _bank(
            [make_schema_question("q1"), make_schema_question("q2")], content_hash="h3"
        ),
        now=now,
    )
    assert not db.session.get(Question, "q2").is_retired


def test_question_moved_to_another_bank_keeps_its_row(app, now):
    import_bank(
        _bank([make_schema_question("q1"), make_schema_question("q2")]), now=now
    )
    other = replace(
        _bank([make_schema_question("q2")]),
        id="c",
        source_path="c.yaml",
        quizzes=(schema.QuizDef(id="c-all", title="All", is_default=True),),
    )
    import_bank(other, now=now)
    import_bank(_bank([make_schema_question("q1")], content_hash="h2"), now=now)
    row = db.session.get(Question, "q2")
    assert row.bank_id == "c" and not row.is_retired
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Question)) == 2


def test_removed_quiz_is_retired_and_hidden(app, now):
    quizzes = (
        schema.QuizDef(id="b-one", title="One"),
        schema.QuizDef(id="b-two", title="Two"),
    )
    import_bank(_bank([make_schema_question("q1")], quizzes=quizzes), now=now)
    import_bank(
        _bank([make_schema_question("q1")], quizzes=quizzes[:1], content_hash="h2"),
        now=now,
    )
    assert db.session.get(Quiz, "b-two").is_retired
    assert [z.id for z in list_quizzes()] == ["b-one"]


def test_configured_paths_are_the_banks_folders_and_never_the_old_uploads_folder(
    tmp_path,
):
    from quiz_app.banks.services import configured_bank_paths, uploads_dir

    uploads_dir(str(tmp_path)).mkdir(parents=True)  # uploads are in the database
    assert configured_bank_paths(f"a{os.pathsep}b{os.pathsep}") == ["a", "b"]


def test_import_bank_files_imports_good_files_and_reports_broken_ones(
    app, now, tmp_path
):
    from quiz_app.banks.services import import_bank_files
    from tests.conftest import DATA_DIR

    shutil.copy(
        DATA_DIR / "banks" / "valid" / "cards-only.yaml", tmp_path / "good.yaml"
    )
    (tmp_path / "broken.yaml").write_text("format: 1\nid: [\n")
    summary, problems = import_bank_files([tmp_path], max_bytes=100_000, now=now)
    assert summary.banks_imported == 1
    assert {p.source for p in problems} == {str(tmp_path / "broken.yaml")}
