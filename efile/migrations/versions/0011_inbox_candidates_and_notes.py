"""inbox candidates (the team inbox) and document notes (Vermerke)

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-04 02:45:00

"""
import json
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0011'
down_revision: str | Sequence[str] | None = '0010'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        'inbox_candidates',
        sa.Column('item_id', sa.Integer(),
                  sa.ForeignKey('inbox_items.id', ondelete='CASCADE'), primary_key=True),
        sa.Column('efile_id', sa.Integer(), sa.ForeignKey('efiles.id'), primary_key=True))
    op.create_index('ix_inbox_candidates_efile_id', 'inbox_candidates', ['efile_id'])
    op.create_table(
        'document_notes',
        sa.Column('id', sa.Integer(), primary_key=True),
        sa.Column('document_id', sa.String(32), sa.ForeignKey('documents.id'), nullable=False),
        sa.Column('author', sa.String(200), nullable=False),
        sa.Column('at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('text', sa.Text(), nullable=False))
    op.create_index('ix_document_notes_document_id', 'document_notes', ['document_id'])
    # the candidates of the items open now, from their suggestions' Aktenzeichen
    conn = op.get_bind()
    files = dict(conn.execute(sa.text('SELECT aktenzeichen, id FROM efiles')).all())
    items = conn.execute(sa.text("SELECT id, suggestions FROM inbox_items "
                                 "WHERE state = 'open'")).all()
    rows = []
    for item_id, suggestions in items:
        if isinstance(suggestions, str):
            suggestions = json.loads(suggestions)
        ids = {files[s["aktenzeichen"]] for s in suggestions or []
               if isinstance(s, dict) and s.get("aktenzeichen") in files}
        rows += [{"item_id": item_id, "efile_id": e} for e in sorted(ids)]
    if rows:
        table = sa.table('inbox_candidates', sa.column('item_id'), sa.column('efile_id'))
        op.bulk_insert(table, rows)


def downgrade() -> None:
    op.drop_index('ix_document_notes_document_id', 'document_notes')
    op.drop_table('document_notes')
    op.drop_index('ix_inbox_candidates_efile_id', 'inbox_candidates')
    op.drop_table('inbox_candidates')
