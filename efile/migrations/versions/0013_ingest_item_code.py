"""ingest item code: a failed file's stable code, for the figures

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-04 03:30:00

"""
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0013'
down_revision: str | Sequence[str] | None = '0012'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table('ingest_items') as b:
        b.add_column(sa.Column('code', sa.String(32)))


def downgrade() -> None:
    with op.batch_alter_table('ingest_items') as b:
        b.drop_column('code')
