"""search: one index row per document, the document's date

The full-text index had a row per page, so "Müller Kündigung" missed a contract naming her on
page 1 and the notice period on page 3, and counts and facets had to fold pages into
documents. It now has a row per document (title and all pages); the page a hit shows is
chosen from the stored page text. documents.document_date (the printed letter date, else the
day received) is what von:/bis: filter and results sort and count by.

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-22 12:00:00

"""
from collections.abc import Sequence
from datetime import date, datetime
from zoneinfo import ZoneInfo

import sqlalchemy as sa
from alembic import op

from classifiers.text import fold

revision: str = '0007'
down_revision: str | Sequence[str] | None = '0006'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_BERLIN = ZoneInfo("Europe/Berlin")
_PG_TSV = ("setweight(to_tsvector('german', :t), 'A') || setweight(to_tsvector('simple', :tf), 'A')"
           " || setweight(to_tsvector('german', :b), 'B') || setweight(to_tsvector('simple', :bf), 'B')")


def _dated(fields, created_at) -> date:  # noqa: ANN001 - as the driver returns them
    import json

    if isinstance(fields, str):
        fields = json.loads(fields)
    printed = ((fields or {}).get("identifiers") or {}).get("letter_date")
    if isinstance(created_at, str):
        created_at = datetime.fromisoformat(created_at)
    if created_at.tzinfo is None:
        created_at = created_at.replace(tzinfo=ZoneInfo("UTC"))
    received = created_at.astimezone(_BERLIN).date()
    try:
        d = date.fromisoformat(printed) if printed else None
    except ValueError:
        d = None
    return d if d and 1900 <= d.year <= received.year + 1 else received


def upgrade() -> None:
    conn = op.get_bind()
    pg = conn.dialect.name == "postgresql"
    with op.batch_alter_table('documents') as t:
        t.add_column(sa.Column('document_date', sa.Date(), nullable=True))
    # results are read newest first, and with many matches the newest are read in date order
    # until enough are found: on PostgreSQL the index carries what the access condition,
    # the type filter and the facets need, so those rows are checked without the table
    op.create_index('ix_documents_dated', 'documents', ['document_date', 'id'],
                    postgresql_include=['efile_id', 'restricted', 'doc_type', 'status'])
    op.create_index('ix_persons_birth_date', 'persons', ['birth_date'])  # geb:
    # a caseworker's access condition asks for the e-files of their teams in every search
    # the caseload check reads only this index (it also serves lookups by team alone)
    op.create_index('ix_efiles_team_id', 'efiles', ['team', 'id'])
    if pg:
        op.execute(
            "CREATE TABLE search_documents ("
            "document_id varchar(32) PRIMARY KEY REFERENCES documents(id) ON DELETE CASCADE, "
            "tsv tsvector NOT NULL)")
        op.execute("CREATE INDEX ix_search_documents_tsv ON search_documents USING gin (tsv)")
        # phrases and the date-ordered reading check tsvectors row by row: lz4 unpacks them
        # several times faster than the default pglz
        op.execute("ALTER TABLE search_documents ALTER COLUMN tsv SET COMPRESSION lz4")
    else:
        op.execute(
            "CREATE VIRTUAL TABLE search_documents USING fts5("
            "document_id UNINDEXED, title, body, "
            "tokenize = 'unicode61 remove_diacritics 2', prefix = '2 3 4')")
    docs = conn.execute(sa.text("SELECT id, title, fields, created_at FROM documents")).all()
    for doc_id, title, fields, created_at in docs:
        body = "\n\n".join(r[0] for r in conn.execute(sa.text(
            "SELECT text FROM document_pages WHERE document_id = :d ORDER BY page_no"),
            {"d": doc_id}))
        conn.execute(sa.text("UPDATE documents SET document_date = :dd WHERE id = :d"),
                     {"dd": _dated(fields, created_at), "d": doc_id})
        if pg:
            conn.execute(sa.text(f"INSERT INTO search_documents VALUES (:d, {_PG_TSV})"),
                         {"d": doc_id, "t": title, "tf": fold(title), "b": body, "bf": fold(body)})
        else:
            conn.execute(sa.text("INSERT INTO search_documents (document_id, title, body) "
                                 "VALUES (:d, :t, :b)"),
                         {"d": doc_id, "t": fold(title), "b": fold(body)})
    op.execute("DROP TABLE search_pages")


def downgrade() -> None:
    conn = op.get_bind()
    pg = conn.dialect.name == "postgresql"
    if pg:
        op.execute(
            "CREATE TABLE search_pages ("
            "document_id varchar(32) NOT NULL REFERENCES documents(id) ON DELETE CASCADE, "
            "page_no integer NOT NULL, tsv tsvector NOT NULL, "
            "PRIMARY KEY (document_id, page_no))")
        op.execute("CREATE INDEX ix_search_pages_tsv ON search_pages USING gin (tsv)")
    else:
        op.execute(
            "CREATE VIRTUAL TABLE search_pages USING fts5("
            "document_id UNINDEXED, page_no UNINDEXED, title, body, "
            "tokenize = 'unicode61 remove_diacritics 2', prefix = '2 3 4')")
    rows = conn.execute(sa.text(
        "SELECT p.document_id, p.page_no, p.text, d.title FROM document_pages p "
        "JOIN documents d ON d.id = p.document_id")).all()
    for doc_id, no, body, title in rows:
        t = title if no == 1 else ""
        if pg:
            conn.execute(sa.text(f"INSERT INTO search_pages VALUES (:d, :p, {_PG_TSV})"),
                         {"d": doc_id, "p": no, "t": t, "tf": fold(t), "b": body, "bf": fold(body)})
        else:
            conn.execute(sa.text("INSERT INTO search_pages (document_id, page_no, title, body) "
                                 "VALUES (:d, :p, :t, :b)"),
                         {"d": doc_id, "p": no, "t": fold(t), "b": fold(body)})
    op.execute("DROP TABLE search_documents")
    op.drop_index('ix_efiles_team_id', 'efiles')
    op.drop_index('ix_persons_birth_date', 'persons')
    op.drop_index('ix_documents_dated', 'documents')
    with op.batch_alter_table('documents') as t:
        t.drop_column('document_date')
