"""Limit events: failed log-ins, sign-ups, attempt starts and reports, counted in the
database so every worker and server sees the same limits (they were kept in memory per
worker). A new table only: no existing row is touched; events older than a day are
deleted as new ones are recorded, so downgrading loses nothing worth keeping.

Revision ID: a474a60e9a5c
Revises: 5c2e8a41d7b3
Create Date: 2026-12-04 23:33:17.191549

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'a474a60e9a5c'
down_revision = '5c2e8a41d7b3'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('limit_events',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=20), nullable=False),
    sa.Column('key', sa.String(length=80), nullable=False),
    sa.Column('address', sa.String(length=64), nullable=False),
    sa.Column('at', sa.DateTime(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_limit_events'))
    )
    with op.batch_alter_table('limit_events', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_limit_events_at'), ['at'], unique=False)
        batch_op.create_index('ix_limit_events_kind_address_at', ['kind', 'address', 'at'], unique=False)
        batch_op.create_index('ix_limit_events_kind_key_at', ['kind', 'key', 'at'], unique=False)



def downgrade():
    with op.batch_alter_table('limit_events', schema=None) as batch_op:
        batch_op.drop_index('ix_limit_events_kind_key_at')
        batch_op.drop_index('ix_limit_events_kind_address_at')
        batch_op.drop_index(batch_op.f('ix_limit_events_at'))

    op.drop_table('limit_events')
