"""Review options and visibility per quiz; an assignment's own settings; the attempt's
assignment; a teacher's mark override per answer; replies to problem reports; answers
accepted for everyone.

Reviewed by hand: every new column is nullable (or a new table), so no existing row
changes meaning: a quiz with review/visibility NULL keeps the defaults for its kind, an
assignment with NULL settings keeps its quiz's, an attempt with no assignment is
governed by its quiz alone. SQLite rebuilds quiz_attempts and attempt_answers to add
their foreign keys; the migration environment runs with foreign keys off so the rebuild
does not cascade into answers and reports.

Revision ID: 1895706225d9
Revises: a474a60e9a5c
Create Date: 2026-12-04 23:34:15.601063

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '1895706225d9'
down_revision = 'a474a60e9a5c'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('accepted_answers',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('question_id', sa.String(length=80), nullable=False),
    sa.Column('question_version', sa.Integer(), nullable=False),
    sa.Column('response', sa.JSON(), nullable=False),
    sa.Column('response_text', sa.Text(), nullable=False),
    sa.Column('regraded_count', sa.Integer(), nullable=False),
    sa.Column('accepted_by_id', sa.Integer(), nullable=True),
    sa.Column('report_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['accepted_by_id'], ['users.id'], name=op.f('fk_accepted_answers_accepted_by_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['question_id'], ['questions.id'], name=op.f('fk_accepted_answers_question_id_questions')),
    sa.ForeignKeyConstraint(['report_id'], ['reports.id'], name=op.f('fk_accepted_answers_report_id_reports'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_accepted_answers'))
    )
    with op.batch_alter_table('accepted_answers', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_accepted_answers_question_id'), ['question_id'], unique=False)

    with op.batch_alter_table('assignments', schema=None) as batch_op:
        batch_op.add_column(sa.Column('time_limit_minutes', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('max_attempts', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('pass_mark', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('review', sa.String(length=20), nullable=True))

    with op.batch_alter_table('attempt_answers', schema=None) as batch_op:
        batch_op.add_column(sa.Column('mark_override', sa.Double(), nullable=True))
        batch_op.add_column(sa.Column('mark_reason', sa.Text(), nullable=True))
        batch_op.add_column(sa.Column('marked_at', sa.DateTime(), nullable=True))
        batch_op.add_column(sa.Column('marked_by_id', sa.Integer(), nullable=True))
        batch_op.create_foreign_key(batch_op.f('fk_attempt_answers_marked_by_id_users'), 'users', ['marked_by_id'], ['id'], ondelete='SET NULL')

    with op.batch_alter_table('quiz_attempts', schema=None) as batch_op:
        batch_op.add_column(sa.Column('assignment_id', sa.Integer(), nullable=True))
        batch_op.create_index(batch_op.f('ix_quiz_attempts_assignment_id'), ['assignment_id'], unique=False)
        batch_op.create_foreign_key(batch_op.f('fk_quiz_attempts_assignment_id_assignments'), 'assignments', ['assignment_id'], ['id'], ondelete='SET NULL')

    with op.batch_alter_table('quizzes', schema=None) as batch_op:
        batch_op.add_column(sa.Column('review', sa.String(length=20), nullable=True))
        batch_op.add_column(sa.Column('visibility', sa.String(length=20), nullable=True))

    with op.batch_alter_table('reports', schema=None) as batch_op:
        batch_op.add_column(sa.Column('reply', sa.Text(), nullable=True))
        batch_op.add_column(sa.Column('replied_at', sa.DateTime(), nullable=True))



def downgrade():
    with op.batch_alter_table('reports', schema=None) as batch_op:
        batch_op.drop_column('replied_at')
        batch_op.drop_column('reply')

    with op.batch_alter_table('quizzes', schema=None) as batch_op:
        batch_op.drop_column('visibility')
        batch_op.drop_column('review')

    with op.batch_alter_table('quiz_attempts', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_quiz_attempts_assignment_id_assignments'), type_='foreignkey')
        batch_op.drop_index(batch_op.f('ix_quiz_attempts_assignment_id'))
        batch_op.drop_column('assignment_id')

    with op.batch_alter_table('attempt_answers', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_attempt_answers_marked_by_id_users'), type_='foreignkey')
        batch_op.drop_column('marked_by_id')
        batch_op.drop_column('marked_at')
        batch_op.drop_column('mark_reason')
        batch_op.drop_column('mark_override')

    with op.batch_alter_table('assignments', schema=None) as batch_op:
        batch_op.drop_column('review')
        batch_op.drop_column('pass_mark')
        batch_op.drop_column('max_attempts')
        batch_op.drop_column('time_limit_minutes')

    with op.batch_alter_table('accepted_answers', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_accepted_answers_question_id'))

    op.drop_table('accepted_answers')
