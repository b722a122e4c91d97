"""The portal's upload endpoint (`POST /api/uploads`) and its receipts. Authenticated as the
portal's service account (role `portal`); an `Idempotency-Key` header makes a resent request
the same upload. The files go through pipelines/upload.py, as `efile upload` does.

The portal answers with the applicant's receipt (`applicant_receipt`): per file whether it
arrived or why not (German, with a stable code), nothing of where it went or of other
clients; staff read the full receipt with `efile upload --json` and on the documents."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, File, Form, Header, Request, UploadFile
from starlette.concurrency import run_in_threadpool

from ..access import guard
from ..errors import InvalidQuery, TooLarge
from ..services.audit import audited
from .api import needs
from .deps import Caller, caller, ctx, plain

router = APIRouter(prefix="/api")
Me = Annotated[Caller, Depends(caller)]
MAX_FILES = 20


@router.post("/uploads", openapi_extra=needs("uploads.submit"), status_code=201)
async def upload(request: Request, me: Me,
                 files: Annotated[list[UploadFile], File(description="One or more files")],
                 reference: Annotated[str, Form(max_length=64, min_length=1)],
                 idempotency_key: Annotated[str, Header(alias="Idempotency-Key", min_length=8,
                                                        max_length=200)],
                 declared_type: Annotated[str | None, Form(max_length=64)] = None) -> dict:
    from pipelines.process import pooled_ocr
    from pipelines.upload import UploadFile as Incoming
    from pipelines.upload import applicant_receipt, submit

    guard.need(me.principal, "uploads.submit")
    for value, field in ((reference, "reference"), (idempotency_key, "Idempotency-Key"),
                         (declared_type, "declared_type"),
                         *((f.filename, "file name") for f in files)):
        plain(value, field)
    c = ctx()
    if not files or len(files) > MAX_FILES:
        raise InvalidQuery(f"send 1 to {MAX_FILES} files")
    limit = c.settings.upload_max_bytes
    incoming = []
    for f in files:
        data = await f.read(limit + 1)  # never more than the limit into memory
        if len(data) > limit:
            raise TooLarge(f"{f.filename}: larger than the upload limit of {limit:,} bytes")
        incoming.append(Incoming(f.filename or "upload", data))
    with audited(c.db, me.actor, "upload.submit", object_type="upload",
                 details={"reference": reference, "files": len(incoming)}) as ev:
        ocr = pooled_ocr(c.settings.ocr_languages, c.settings.ocr_workers)
        # OCR and the database block: off the event loop, so other requests go on
        out = await run_in_threadpool(
            submit, c, incoming, reference=reference, submitted_by=me.principal.username,
            idempotency_key=idempotency_key, declared_type=declared_type, ocr_pages=ocr)
        ev.object_id = out["upload_id"]
    return applicant_receipt(out)


@router.get("/uploads/{upload_id}", openapi_extra=needs("uploads.submit", "upload"))
def upload_status(upload_id: str, me: Me) -> dict:
    from pipelines.upload import applicant_receipt, get_upload

    guard.need(me.principal, "uploads.submit")
    return applicant_receipt(get_upload(ctx(), upload_id, submitted_by=me.principal.username))
