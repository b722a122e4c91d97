"""document types, decisions and classifier models

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-22 12:00:00

"""
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0002'
down_revision: str | Sequence[str] | None = '0001'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table('documents') as t:
        t.add_column(sa.Column('type_confidence', sa.Float(), nullable=True))
        t.add_column(sa.Column('restricted', sa.Boolean(), nullable=False,
                               server_default=sa.false()))
        t.create_index('ix_documents_doc_type', ['doc_type'])
    op.create_table(
        'decisions',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('document_id', sa.String(length=32), nullable=False),
        sa.Column('kind', sa.String(length=16), nullable=False),
        sa.Column('actor', sa.String(length=200), nullable=False),
        sa.Column('at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('machine', sa.JSON(), nullable=False),
        sa.Column('chosen', sa.JSON(), nullable=False),
        sa.ForeignKeyConstraint(['document_id'], ['documents.id']),
        sa.PrimaryKeyConstraint('id'),
    )
    op.create_index('ix_decisions_document_id', 'decisions', ['document_id'])
    op.create_table(
        'classifier_models',
        sa.Column('id', sa.String(length=32), nullable=False),
        sa.Column('object_key', sa.String(length=300), nullable=False),
        sa.Column('sha256', sa.String(length=64), nullable=False),
        sa.Column('taxonomy', sa.String(length=32), nullable=False),
        sa.Column('active', sa.Boolean(), nullable=False),
        sa.Column('meta', sa.JSON(), nullable=False),
        sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint('id'),
    )


def downgrade() -> None:
    op.drop_table('classifier_models')
    op.drop_index('ix_decisions_document_id', 'decisions')
    op.drop_table('decisions')
    with op.batch_alter_table('documents') as t:
        t.drop_index('ix_documents_doc_type')
        t.drop_column('restricted')
        t.drop_column('type_confidence')
