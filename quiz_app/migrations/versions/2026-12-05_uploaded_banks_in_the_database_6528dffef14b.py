"""Uploaded banks and their images in the database: two new tables.

Banks that teachers uploaded lived as files in one server's data folder
(``<data folder>/banks/uploads/``), so a second server of the same school did not have
them, and ``banks.source_path`` held that server's local path. The upgrade only creates
the tables: no existing row is touched. The files already in a data folder are moved
into them by ``quiz-app serve`` / ``quiz-app deploy`` on the server that has them
(``banks.uploads.move_upload_folder``), not here: with several servers the migration
runs on whichever starts first, which may not be the one that holds the files.

The downgrade writes every stored bank and image back into the data folder's
``banks/uploads/`` (an existing file there is left as it is) and points
``banks.source_path`` at it, as the previous version expects, before it drops the
tables: nothing uploaded is lost.

Revision ID: 6528dffef14b
Revises: b5729a8d93d9
Create Date: 2026-12-05 02:27:10.357576

"""
from pathlib import Path, PurePosixPath

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '6528dffef14b'
down_revision = 'b5729a8d93d9'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('uploaded_banks',
    sa.Column('bank_id', sa.String(length=80), nullable=False),
    sa.Column('text', sa.Text(), nullable=False),
    sa.Column('content_hash', sa.String(length=64), nullable=False),
    sa.Column('uploaded_by_id', sa.Integer(), nullable=True),
    sa.Column('uploaded_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['uploaded_by_id'], ['users.id'], name=op.f('fk_uploaded_banks_uploaded_by_id_users'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('bank_id', name=op.f('pk_uploaded_banks'))
    )
    with op.batch_alter_table('uploaded_banks', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_uploaded_banks_uploaded_by_id'), ['uploaded_by_id'], unique=False)

    op.create_table('uploaded_bank_images',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('bank_id', sa.String(length=80), nullable=False),
    sa.Column('name', sa.String(length=500), nullable=False),
    sa.Column('media_type', sa.String(length=100), nullable=False),
    sa.Column('data', sa.LargeBinary(), nullable=False),
    sa.Column('size_bytes', sa.Integer(), nullable=False),
    sa.Column('sha256', sa.String(length=64), nullable=False),
    sa.Column('uploaded_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['bank_id'], ['uploaded_banks.bank_id'], name=op.f('fk_uploaded_bank_images_bank_id_uploaded_banks')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_uploaded_bank_images')),
    sa.UniqueConstraint('bank_id', 'name', name=op.f('uq_uploaded_bank_images_bank_id'))
    )


def _uploads_folder():
    """The data folder's uploads folder, as the previous version used it."""
    from flask import current_app

    return Path(current_app.instance_path) / 'banks' / 'uploads'


def _write_back(conn):
    banks = conn.execute(sa.text('SELECT bank_id, text FROM uploaded_banks')).all()
    if not banks:
        return
    folder = _uploads_folder()
    folder.mkdir(parents=True, exist_ok=True)
    for bank_id, text in banks:
        target = folder / f'{bank_id}.yaml'
        if not target.exists():
            target.write_bytes(text.encode('utf-8'))
        conn.execute(
            sa.text('UPDATE banks SET source_path = :path WHERE id = :id'),
            {'path': str(target), 'id': bank_id},
        )
    images = conn.execute(sa.text('SELECT name, data FROM uploaded_bank_images'))
    for name, data in images:
        parts = PurePosixPath(name).parts
        if not parts or '..' in parts or PurePosixPath(name).is_absolute():
            continue  # the loader never accepted such a name; nothing to write
        target = folder.joinpath(*parts)
        if not target.exists():
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(bytes(data))


def downgrade():
    _write_back(op.get_bind())
    op.drop_table('uploaded_bank_images')
    with op.batch_alter_table('uploaded_banks', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_uploaded_banks_uploaded_by_id'))

    op.drop_table('uploaded_banks')
