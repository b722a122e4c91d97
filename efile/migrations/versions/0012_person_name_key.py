"""persons.name_key: the transliteration key of every name word (efile.search.names)

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-04 03:00:00

"""
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0012'
down_revision: str | Sequence[str] | None = '0011'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_BATCH = 5000


def upgrade() -> None:
    from efile.search.names import name_key  # the rule of today, as every new row gets it

    op.add_column('persons', sa.Column('name_key', sa.String(length=400), nullable=False,
                                       server_default=''))
    conn = op.get_bind()
    persons = sa.table('persons', sa.column('id'), sa.column('name_key'))
    rows = conn.execute(sa.text('SELECT id, surname, given_names FROM persons')).all()
    update = sa.update(persons).where(persons.c.id == sa.bindparam('pid')).values(
        name_key=sa.bindparam('key'))
    for i in range(0, len(rows), _BATCH):
        conn.execute(update, [{'pid': r[0], 'key': name_key(r[1] or '', r[2] or '')}
                              for r in rows[i:i + _BATCH]])
    if conn.dialect.name == 'postgresql':
        # LIKE '% ozturk %' answered from the index (pg_trgm: migration 0001)
        op.execute("CREATE INDEX ix_persons_name_key_trgm ON persons "
                   "USING gin (name_key gin_trgm_ops)")


def downgrade() -> None:
    if op.get_bind().dialect.name == 'postgresql':
        op.execute("DROP INDEX ix_persons_name_key_trgm")
    with op.batch_alter_table('persons') as batch:
        batch.drop_column('name_key')
