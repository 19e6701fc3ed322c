"""One attempt in progress per student and quiz: a partial unique index.

Two starts sent at once (a double click, a second tab) each found no attempt in
progress and each inserted one; on PostgreSQL nothing stopped them. The index makes the
second insert fail, and the app then resumes the first attempt.

A database that already holds several attempts in progress for one student and quiz
(made by that race) keeps them all: the newest stays in progress, the older ones are
closed as expired at their start, with no score to count (score 0 of 0), so the index
can be built. No row is deleted.

Revision ID: 5c1e7a90d2b4
Revises: 1895706225d9
Create Date: 2026-12-05 00:10:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '5c1e7a90d2b4'
down_revision = '1895706225d9'
branch_labels = None
depends_on = None

OPEN = sa.text("status = 'in_progress'")


def upgrade():
    op.execute(
        sa.text(
            "UPDATE quiz_attempts SET status = 'expired', submitted_at = started_at, "
            "score = 0, max_score = 0, is_passed = :no "
            "WHERE status = 'in_progress' AND id < ("
            "  SELECT max(newer.id) FROM quiz_attempts AS newer"
            "  WHERE newer.user_id = quiz_attempts.user_id"
            "  AND newer.quiz_id = quiz_attempts.quiz_id"
            "  AND newer.status = 'in_progress')"
        ).bindparams(no=False)
    )
    op.create_index(
        'uq_quiz_attempts_one_open',
        'quiz_attempts',
        ['user_id', 'quiz_id'],
        unique=True,
        sqlite_where=OPEN,
        postgresql_where=OPEN,
    )


def downgrade():
    # The attempts closed by the upgrade stay closed: which of them a student meant
    # to keep cannot be told, and closed attempts are valid rows either way.
    op.drop_index('uq_quiz_attempts_one_open', table_name='quiz_attempts')
