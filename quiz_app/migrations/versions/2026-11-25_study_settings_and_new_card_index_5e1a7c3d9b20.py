"""Study settings and an index for "new cards today"

study_settings: one row per student who changed their desired retention or new cards per
day (the time zone stays on users). ix_card_progress_user_added: counting the deck cards a
student met since their local midnight reads this index instead of every progress row.

Revision ID: 5e1a7c3d9b20
Revises: 0bcfddc44d3c
Create Date: 2026-11-25 14:30:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '5e1a7c3d9b20'
down_revision = '0bcfddc44d3c'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('study_settings',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('desired_retention', sa.Double(), nullable=False),
    sa.Column('new_cards_per_day', sa.Integer(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_study_settings_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_study_settings')),
    sa.UniqueConstraint('user_id', name=op.f('uq_study_settings_user_id'))
    )
    with op.batch_alter_table('card_progress', schema=None) as batch_op:
        batch_op.create_index('ix_card_progress_user_added', ['user_id', 'added_at'], unique=False)


def downgrade():
    with op.batch_alter_table('card_progress', schema=None) as batch_op:
        batch_op.drop_index('ix_card_progress_user_added')

    op.drop_table('study_settings')
