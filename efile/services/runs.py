"""Ingest runs and their items: what became of every input file, failed ones included, so an
original that could not be filed is still findable by its hash and key."""

from __future__ import annotations

from collections import Counter

from sqlalchemy import select

from ..db import Database
from ..errors import NotFound
from ..models import IngestItem, IngestRun, utcnow


def start_run(db: Database, *, source: str, requested_efile: str | None,
              flow_run_id: str | None = None) -> str:
    with db.session() as s:
        run = IngestRun(source=source, requested_efile=requested_efile, counts={},
                        flow_run_id=flow_run_id)
        s.add(run)
        s.flush()
        return run.id


def record_item(db: Database, run_id: str, item: dict) -> None:
    with db.session() as s:
        s.add(IngestItem(run_id=run_id, path=item["path"], status=item["status"],
                         document_id=item.get("document_id"), pages=item.get("pages"),
                         original_sha256=item.get("original_sha256"),
                         original_key=item.get("original_key"), error=item.get("error"),
                         code=item.get("code")))


def finish_run(db: Database, run_id: str, items: list[dict]) -> None:
    with db.session() as s:
        run = s.get(IngestRun, run_id)
        run.finished_at = utcnow()
        run.counts = dict(Counter(i["status"] for i in items))


def _item_dict(i: IngestItem) -> dict:
    return {"path": i.path, "status": i.status, "document_id": i.document_id, "pages": i.pages,
            "error": i.error, "code": i.code, "original_sha256": i.original_sha256,
            "original_key": i.original_key}


def run_dict(run: IngestRun, with_items: bool = True) -> dict:
    out = {"run_id": run.id, "flow_run_id": run.flow_run_id, "source": run.source,
           "efile": run.requested_efile,
           "started_at": run.started_at.isoformat(),
           "finished_at": run.finished_at.isoformat() if run.finished_at else None,
           "counts": run.counts}
    if with_items:
        out["items"] = [_item_dict(i) for i in run.items]
    return out


def get_run(db: Database, run_id: str | None) -> dict:
    with db.session() as s:
        q = select(IngestRun).order_by(IngestRun.started_at.desc())
        run = s.get(IngestRun, run_id) if run_id else s.scalars(q.limit(1)).first()
        if run is None:
            raise NotFound(f"no ingest run {run_id}" if run_id else "no ingest run yet")
        return run_dict(run)


def failed_items(db: Database, limit: int = 100) -> list[dict]:
    with db.session() as s:
        q = (select(IngestItem).where(IngestItem.status == "failed")
             .order_by(IngestItem.id.desc()).limit(limit))
        return [_item_dict(i) for i in s.scalars(q)]
