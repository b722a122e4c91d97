"""upload processing lease

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-02 19:00:00

"""
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0010'
down_revision: str | Sequence[str] | None = '0009'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table('uploads') as b:
        b.add_column(sa.Column('worker', sa.String(200)))
        b.add_column(sa.Column('lease_until', sa.DateTime(timezone=True)))


def downgrade() -> None:
    with op.batch_alter_table('uploads') as b:
        b.drop_column('lease_until')
        b.drop_column('worker')
