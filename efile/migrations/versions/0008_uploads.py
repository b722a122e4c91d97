"""applicant uploads and team events

Revision ID: 0008
Revises: 0007
Create Date: 2026-11-22 11:00:00

"""
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0008'
down_revision: str | Sequence[str] | None = '0007'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

TS = sa.DateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        'uploads',
        sa.Column('id', sa.String(32), primary_key=True),
        sa.Column('submitted_by', sa.String(100), nullable=False),
        sa.Column('idempotency_key', sa.String(200), nullable=False),
        sa.Column('request_sha256', sa.String(64), nullable=False),
        sa.Column('reference', sa.String(64), nullable=False, index=True),
        sa.Column('declared_type', sa.String(64)),
        sa.Column('status', sa.String(16), nullable=False),
        sa.Column('files', sa.JSON(), nullable=False),
        sa.Column('created_at', TS, nullable=False),
        sa.Column('finished_at', TS),
        sa.UniqueConstraint('submitted_by', 'idempotency_key'),
    )
    op.create_table(
        'events',
        sa.Column('id', sa.Integer(), primary_key=True),
        sa.Column('kind', sa.String(64), nullable=False),
        sa.Column('team', sa.String(64), index=True),
        sa.Column('efile', sa.String(64), index=True),
        sa.Column('payload', sa.JSON(), nullable=False),
        sa.Column('created_at', TS, nullable=False),
        sa.Column('delivered_at', TS),
        sa.Column('delivery_error', sa.Text()),
    )


def downgrade() -> None:
    op.drop_table('events')
    op.drop_table('uploads')
