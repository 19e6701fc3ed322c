"""Questions get a variant group: one quiz attempt asks at most one question of a group.

Reviewed by hand: one nullable column without constraints, so every existing row keeps
its values (no group) and SQLite adds it in place, without rebuilding the table.

Revision ID: 5c2e8a41d7b3
Revises: 5d1c0a7e9b21
Create Date: 2026-12-04 23:45:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '5c2e8a41d7b3'
down_revision = '5d1c0a7e9b21'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('questions', schema=None) as batch_op:
        batch_op.add_column(sa.Column('variant_group', sa.String(length=80), nullable=True))


def downgrade():
    with op.batch_alter_table('questions', schema=None) as batch_op:
        batch_op.drop_column('variant_group')
