"""accounts lifecycle and break-glass

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-02 19:00:00

"""
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0009'
down_revision: str | Sequence[str] | None = '0008'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

TS = sa.DateTime(timezone=True)


def upgrade() -> None:
    with op.batch_alter_table('api_tokens') as t:
        t.add_column(sa.Column('last_used_at', TS))
    with op.batch_alter_table('login_attempts') as t:
        t.add_column(sa.Column('throttled', sa.Boolean(), nullable=False,
                               server_default=sa.false()))
    op.create_table(
        'break_glass_grants',
        sa.Column('id', sa.Integer(), primary_key=True),
        sa.Column('username', sa.String(100), sa.ForeignKey('users.username'), nullable=False,
                  index=True),
        sa.Column('reason', sa.String(500), nullable=False),
        sa.Column('efile_id', sa.Integer(), index=True),
        sa.Column('document_id', sa.String(32)),
        sa.Column('created_at', TS, nullable=False),
        sa.Column('expires_at', TS, nullable=False),
    )


def downgrade() -> None:
    op.drop_table('break_glass_grants')
    with op.batch_alter_table('login_attempts') as t:
        t.drop_column('throttled')
    with op.batch_alter_table('api_tokens') as t:
        t.drop_column('last_used_at')
