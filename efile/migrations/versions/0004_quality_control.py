"""quality control of scan batches

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-22 05:20:00

"""
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0004'
down_revision: str | Sequence[str] | None = '0003'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table('scan_batches') as t:
        t.add_column(sa.Column('released_at', sa.DateTime(timezone=True), nullable=True))
        t.add_column(sa.Column('released_by', sa.String(length=200), nullable=True))
    with op.batch_alter_table('batch_documents') as t:
        t.add_column(sa.Column('qc_state', sa.String(length=16), nullable=False,
                               server_default='none'))
        t.add_column(sa.Column('qc_reason', sa.String(length=300), nullable=True))
        t.add_column(sa.Column('qc_by', sa.String(length=200), nullable=True))
        t.add_column(sa.Column('qc_at', sa.DateTime(timezone=True), nullable=True))
        t.add_column(sa.Column('qc_note', sa.Text(), nullable=True))
        t.create_index('ix_batch_documents_qc_state', ['qc_state'])


def downgrade() -> None:
    with op.batch_alter_table('batch_documents') as t:
        t.drop_index('ix_batch_documents_qc_state')
        for c in ('qc_note', 'qc_at', 'qc_by', 'qc_reason', 'qc_state'):
            t.drop_column(c)
    with op.batch_alter_table('scan_batches') as t:
        t.drop_column('released_by')
        t.drop_column('released_at')
