"""accounts, sessions, API tokens, login attempts

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-22 10:00:00

"""
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0006'
down_revision: str | Sequence[str] | None = '0005'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

TS = sa.DateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        'users',
        sa.Column('username', sa.String(100), primary_key=True),
        sa.Column('display_name', sa.String(200), nullable=False),
        sa.Column('password_hash', sa.String(200)),
        sa.Column('oidc_subject', sa.String(200), unique=True),
        sa.Column('roles', sa.JSON(), nullable=False),
        sa.Column('teams', sa.JSON(), nullable=False),
        sa.Column('rights', sa.JSON(), nullable=False),
        sa.Column('deputy_for', sa.JSON(), nullable=False),
        sa.Column('active', sa.Boolean(), nullable=False),
        sa.Column('created_at', TS, nullable=False),
        sa.Column('last_login', TS),
    )
    op.create_table(
        'web_sessions',
        sa.Column('id_hash', sa.String(64), primary_key=True),
        sa.Column('username', sa.String(100), sa.ForeignKey('users.username'), nullable=False,
                  index=True),
        sa.Column('csrf', sa.String(64), nullable=False),
        sa.Column('created_at', TS, nullable=False),
        sa.Column('last_seen', TS, nullable=False),
        sa.Column('ended_at', TS),
        sa.Column('client', sa.String(100)),
    )
    op.create_table(
        'api_tokens',
        sa.Column('id', sa.Integer(), primary_key=True),
        sa.Column('token_hash', sa.String(64), nullable=False, unique=True),
        sa.Column('username', sa.String(100), sa.ForeignKey('users.username'), nullable=False,
                  index=True),
        sa.Column('label', sa.String(200), nullable=False),
        sa.Column('created_at', TS, nullable=False),
        sa.Column('expires_at', TS, nullable=False),
        sa.Column('revoked_at', TS),
    )
    op.create_table(
        'login_attempts',
        sa.Column('id', sa.Integer(), primary_key=True),
        sa.Column('username', sa.String(100), nullable=False, index=True),
        sa.Column('client', sa.String(100), index=True),
        sa.Column('at', TS, nullable=False, index=True),
        sa.Column('ok', sa.Boolean(), nullable=False),
    )


def downgrade() -> None:
    for t in ('login_attempts', 'api_tokens', 'web_sessions', 'users'):
        op.drop_table(t)
