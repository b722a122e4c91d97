"""Scan batches in the API: hand one in, decide its quality control, release it. Thin
handlers over efile.web.batch_jobs, efile.services.qc and pipelines.release; each action is
the caller's own (the token's or session's user, never a name sent in the body), needs its
permission and a batch the caller may see (else 404), and is audited with its outcome."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, File, Form, Request, UploadFile
from pydantic import BaseModel, Field
from starlette.concurrency import run_in_threadpool

from ..access import guard
from ..services.audit import Action, audited
from ..services.batches import batch_dict, qc_dict
from ..services.qc import decide
from . import batch_jobs
from .api import NO_CONTROL, Me, needs
from .deps import ctx

router = APIRouter(prefix="/api")


@router.post("/batches", openapi_extra=needs("batches.submit"), status_code=202)
async def submit_batch(request: Request, me: Me,
                       files: Annotated[list[UploadFile],
                                        File(description="The stack's scan files (PDF, TIFF)")],
                       expected_pages: Annotated[int | None, Form(ge=1, le=100_000)] = None,
                       profile: Annotated[str, Form(max_length=32)] = "default") -> dict:
    """Register a batch under the caller and process it in the background: poll
    GET /api/batches/{batch_id} until its status is no longer `processing`."""
    batch_jobs.need_submit(ctx(), me.actor, me.principal)
    data = [(f.filename, f.file) for f in files]  # on disk beyond 1 MB: copied, not read
    batch_id = await run_in_threadpool(batch_jobs.submit, ctx(), me.actor, data,
                                       profile=profile, expected_pages=expected_pages)
    with ctx().db.session() as s:
        return batch_dict(guard.batch_for(s, me.principal, batch_id), documents=False)


class QcBody(BaseModel):
    passed: bool
    note: str | None = Field(None, max_length=2000, pattern=NO_CONTROL,
                             description="what is wrong (required when not passed)")


@router.post("/batches/{batch_id}/qc/{doc_id}", openapi_extra=needs("qc.decide", "batch"))
def qc_decide(batch_id: str, doc_id: str, body: QcBody, request: Request, me: Me) -> dict:
    from ..errors import InvalidQuery

    c = ctx()
    with audited(c.db, me.actor, Action.QC_DECIDE, object_type="document",
                 object_id=doc_id[:64], details={"batch_id": batch_id[:64],
                                                 "passed": body.passed, "note": body.note}), \
            c.db.session() as s:
        guard.need(me.principal, "qc.decide")  # inside: a refusal is audited too
        if not body.passed and not (body.note or "").strip():
            raise InvalidQuery("a failed quality control needs a note saying what is wrong")
        batch = guard.batch_for(s, me.principal, batch_id)
        d = decide(s, doc_id, passed=body.passed, actor=me.principal.username,
                   note=(body.note or "").strip() or None, batch_id=batch.id)
        return {"document_id": d.document_id, "batch_id": d.batch_id, "qc": qc_dict(d)}


@router.post("/batches/{batch_id}/release", openapi_extra=needs("qc.release", "batch"))
def release(batch_id: str, request: Request, me: Me) -> dict:
    """Quality control done: the batch's paper may be destroyed (409 while it is not)."""
    from pipelines.release import release_batch

    c = ctx()
    with audited(c.db, me.actor, Action.BATCH_RELEASE, object_type="batch",
                 object_id=batch_id[:64]):
        guard.need(me.principal, "qc.release")  # inside: a refusal is audited too
        with c.db.session() as s:
            guard.batch_for(s, me.principal, batch_id)
        release_batch(c, batch_id, actor=me.principal.username)
    with c.db.session() as s:
        return batch_dict(guard.batch_for(s, me.principal, batch_id), documents=False)
