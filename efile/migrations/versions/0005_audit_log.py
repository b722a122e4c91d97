"""the audit log: append-only, hash-chained

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-22 09:00:00

"""
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0005'
down_revision: str | Sequence[str] | None = '0004'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# On PostgreSQL the table refuses UPDATE, DELETE and TRUNCATE for everyone, the application's
# own role included. A superuser (SET session_replication_role = replica) or the table's owner
# (ALTER TABLE ... DISABLE TRIGGER) can still get past it; the hash chain and `efile audit
# verify` are what detect that.
APPEND_ONLY = """
CREATE FUNCTION audit_events_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'audit_events is append-only: % refused', TG_OP
        USING ERRCODE = 'insufficient_privilege';
END
$$
"""


def upgrade() -> None:
    op.create_table(
        'audit_events',
        sa.Column('seq', sa.BigInteger(), autoincrement=False, nullable=False),
        sa.Column('at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('user_name', sa.String(length=200), nullable=False),
        sa.Column('role', sa.String(length=64), nullable=False),
        sa.Column('on_behalf_of', sa.String(length=200), nullable=True),
        sa.Column('break_glass_reason', sa.Text(), nullable=True),
        sa.Column('action', sa.String(length=64), nullable=False),
        sa.Column('object_type', sa.String(length=32), nullable=True),
        sa.Column('object_id', sa.String(length=128), nullable=True),
        sa.Column('outcome', sa.String(length=16), nullable=False),
        sa.Column('details', sa.JSON(), nullable=False),
        sa.Column('client', sa.String(length=100), nullable=True),
        sa.Column('prev_hash', sa.String(length=64), nullable=False),
        sa.Column('hash', sa.String(length=64), nullable=False),
        sa.PrimaryKeyConstraint('seq'),
    )
    with op.batch_alter_table('audit_events') as t:
        t.create_index('ix_audit_events_at', ['at'])
        t.create_index('ix_audit_events_user_name', ['user_name'])
        t.create_index('ix_audit_events_action', ['action'])
        t.create_index('ix_audit_events_object_id', ['object_id'])
    if op.get_bind().dialect.name == "postgresql":
        op.execute(APPEND_ONLY)
        op.execute("CREATE TRIGGER audit_events_no_update_delete BEFORE UPDATE OR DELETE "
                   "ON audit_events FOR EACH ROW EXECUTE FUNCTION audit_events_append_only()")
        op.execute("CREATE TRIGGER audit_events_no_truncate BEFORE TRUNCATE "
                   "ON audit_events FOR EACH STATEMENT EXECUTE FUNCTION audit_events_append_only()")


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP TRIGGER IF EXISTS audit_events_no_truncate ON audit_events")
        op.execute("DROP TRIGGER IF EXISTS audit_events_no_update_delete ON audit_events")
        op.execute("DROP FUNCTION IF EXISTS audit_events_append_only()")
    op.drop_table('audit_events')
