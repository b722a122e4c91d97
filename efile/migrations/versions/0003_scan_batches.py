"""scan batches

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-22 05:20:00

"""
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0003'
down_revision: str | Sequence[str] | None = '0002'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        'scan_batches',
        sa.Column('id', sa.String(length=32), nullable=False),
        sa.Column('operator', sa.String(length=200), nullable=False),
        sa.Column('profile', sa.String(length=64), nullable=False),
        sa.Column('expected_pages', sa.Integer(), nullable=True),
        sa.Column('pages_found', sa.Integer(), nullable=False),
        sa.Column('status', sa.String(length=16), nullable=False),
        sa.Column('counts', sa.JSON(), nullable=False),
        sa.Column('notes', sa.JSON(), nullable=False),
        sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('finished_at', sa.DateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint('id'),
    )
    op.create_table(
        'batch_documents',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('batch_id', sa.String(length=32), nullable=False),
        sa.Column('seq', sa.Integer(), nullable=False),
        sa.Column('source_name', sa.String(length=500), nullable=False),
        sa.Column('source_sha256', sa.String(length=64), nullable=False),
        sa.Column('pages', sa.JSON(), nullable=False),
        sa.Column('cover', sa.JSON(), nullable=True),
        sa.Column('cover_page', sa.Integer(), nullable=True),
        sa.Column('blanks', sa.JSON(), nullable=False),
        sa.Column('problems', sa.JSON(), nullable=False),
        sa.Column('status', sa.String(length=16), nullable=False),
        sa.Column('document_id', sa.String(length=32), nullable=True),
        sa.Column('efile', sa.String(length=64), nullable=True),
        sa.Column('error', sa.Text(), nullable=True),
        sa.ForeignKeyConstraint(['batch_id'], ['scan_batches.id']),
        sa.PrimaryKeyConstraint('id'),
    )
    op.create_index('ix_batch_documents_batch_id', 'batch_documents', ['batch_id'])
    op.create_index('ix_batch_documents_source_sha256', 'batch_documents', ['source_sha256'])


def downgrade() -> None:
    op.drop_table('batch_documents')
    op.drop_table('scan_batches')
