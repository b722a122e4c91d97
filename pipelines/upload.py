"""An applicant's upload from the city portal, top to bottom:

    the same idempotency key again? → the first upload's receipt (a different request under
    that key is refused) → the reference names the e-file (an unknown one sends every file
    to the inbox for a person: the portal learns nothing of which e-files exist) → per
    file: malware scan
    (infected: kept in quarantine, never filed) → the ingest process under the portal's
    policy: the original stored as received, then checked by content and sanitised in a
    bounded child (refused: the applicant told why in German, with the refusal's code),
    then filed from the sanitised copy (born-digital text is not OCR'd; the portal's
    reference is the explicit route; a document that names another client, or reads as
    another type than declared, is flagged for the caseworker) → receipt → an event for the
    responsible team (and the webhook).

One bad file never stops the others; every file ends with a status in the receipt.
"""

from __future__ import annotations

import hashlib
import json
import os
import socket
import tempfile
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

from sqlalchemy.exc import IntegrityError

from efile.context import Context
from efile.errors import EfileError, NotFound
from efile.models import utcnow
from efile.services.documents import check_type
from efile.services.efiles import efile_by_aktenzeichen, team_of
from efile.services.uploads import claim, save_progress, upload_by_key
from efile.uploads_models import Event, Upload
from storage.keys import original_key

from .process import OcrPages, ingest_file, reason
from .steps.validate import REFUSAL_CODES, Limits, applicant_message
from .tools.clamav import scan_bytes
from .tools.webhook import deliver


class IdempotencyConflict(EfileError):
    exit_code = 2
    http_status = 409


@dataclass(frozen=True)
class UploadFile:
    name: str
    data: bytes


def request_digest(reference: str, declared_type: str | None, files: list[UploadFile]) -> str:
    h = hashlib.sha256(f"{reference}\n{declared_type or ''}\n".encode())
    for f in files:
        h.update(f"{Path(f.name).name}\n{hashlib.sha256(f.data).hexdigest()}\n".encode())
    return h.hexdigest()


def receipt(u: Upload) -> dict:
    return {"upload_id": u.id, "reference": u.reference, "declared_type": u.declared_type,
            "status": u.status, "created_at": u.created_at.isoformat(),
            "files": u.files}


_RECEIVED = "Die Datei ist eingegangen und wird bearbeitet."
_TRY_LATER = ("Die Datei konnte gerade nicht verarbeitet werden. Bitte versuchen Sie es später "
              "erneut.")


def applicant_receipt(r: dict) -> dict:
    """What the portal may show the applicant: whether each file arrived, or why not in
    German with a stable code. Nothing of where it was filed, what it reads as, which other
    client it names, whether another account sent it before, or of internals: those reasons
    are the staff's (`efile upload --json`, the document and the inbox)."""
    files = []
    for f in r["files"]:
        view = {"name": f["name"], "size": f["size"], "sha256": f["sha256"]}
        if f["status"] in ("filed", "inbox", "duplicate"):
            view.update(status="received", message=_RECEIVED)
        elif f["status"] == "refused":
            view.update(status="refused", code=f["code"], message=f["applicant_message"])
        elif f["status"] == "quarantined":
            view.update(status="refused", code="malware", message=f["applicant_message"])
        else:
            view.update(status="failed", message=f.get("applicant_message") or _TRY_LATER)
        files.append(view)
    return {"upload_id": r["upload_id"], "reference": r["reference"],
            "declared_type": r["declared_type"], "status": r["status"],
            "created_at": r["created_at"], "files": files}


def _keep_apart(ctx: Context, prefix: str, data: bytes) -> str:
    """Infected files are kept (evidence, the applicant's complaint), but never among the
    originals documents are made from."""
    key = prefix + original_key(hashlib.sha256(data).hexdigest()).removeprefix("originals/")
    ctx.store.put(key, data, write_once=True)
    return key


def local_name(sent: str) -> str:
    """The sender's file name as a safe name in our temporary folder: its last part, never
    `.` or `..`, at most 120 characters with its suffix kept (a 300-character name was
    'File name too long', `..` an IsADirectoryError, and the file was lost)."""
    name = Path(sent.replace("\\", "/")).name.strip()
    if name in ("", ".", ".."):
        return "upload"
    if len(name.encode()) > 120:
        suffix = Path(name).suffix[:10]
        stem = name[: len(name) - len(Path(name).suffix)]
        while len((stem + suffix).encode()) > 120:
            stem = stem[:-1]
        name = stem + suffix
    return name


def process_file(ctx: Context, f: UploadFile, *, efile: str | None, declared_type: str | None,
                 ocr_pages: OcrPages, limits: Limits, hold: str | None = None) -> dict:
    name = local_name(f.name)
    out: dict = {"name": name, "size": len(f.data), "sha256": hashlib.sha256(f.data).hexdigest()}
    try:
        scan = scan_bytes(f.data, ctx.settings.clamd, timeout=ctx.settings.clamd_timeout)
        out["malware_scan"] = scan.status
        if scan.infected:
            return {**out, "status": "quarantined", "key": _keep_apart(ctx, "quarantine/", f.data),
                    "reason": scan.note,
                    "applicant_message": "Die Datei enthält Schadsoftware und wurde nicht "
                                         "angenommen."}
        with tempfile.TemporaryDirectory(prefix="efile-upload-") as tmp:
            path = Path(tmp) / name
            path.write_bytes(f.data)  # stored byte for byte by ingest before anything reads it
            item = ingest_file(ctx, str(path), efile=efile, source="upload", hold=hold,
                               ocr_pages=ocr_pages, declared_type=declared_type)
        if item.status == "failed" and item.code in REFUSAL_CODES:
            return {**out, "status": "refused", "code": item.code, "reason": item.error,
                    "applicant_message": applicant_message(item.code, limits),
                    "key": item.original_key}
        out.update(status=item.status, document_id=item.document_id, pages=item.pages,
                   doc_type=item.doc_type, efile=item.efile, sanitised=item.sanitised,
                   notes=item.notes)
        if item.error:
            out.update(code=item.code, reason=item.error, key=item.original_key,
                       applicant_message=_TRY_LATER)
    except Exception as e:  # noqa: BLE001 - e.g. the scanner away; one file never stops the rest
        out.update(status="failed", reason=reason(e), applicant_message=_TRY_LATER)
    return out


# How long a worker's claim on an upload holds without news: renewed after every file, so
# it only has to outlast the slowest single file (the wall-time limit per file is far less).
LEASE = timedelta(minutes=5)
WORKER = f"{socket.gethostname()}:{os.getpid()}"


def _aware(t: datetime | None) -> datetime | None:
    """SQLite hands datetimes back without their zone; they were written in UTC."""
    return t.replace(tzinfo=UTC) if t is not None and t.tzinfo is None else t


def _worker_gone(worker: str | None) -> bool:
    """A worker on this machine whose process no longer exists (killed, crashed) will never
    renew its lease: no need to wait for it to run out."""
    host, _, pid = (worker or "").rpartition(":")
    if host != socket.gethostname() or not pid.isdigit():
        return False
    if int(pid) == os.getpid():
        return False  # this process: another request of ours is at work on it
    try:
        os.kill(int(pid), 0)
    except ProcessLookupError:
        return True
    except PermissionError:
        return False
    return False


def _claim(ctx: Context, upload_id: str, seen_worker: str | None) -> bool:
    """Take an abandoned upload over: compare-and-set on the worker seen, so of two requests
    that both find it abandoned exactly one wins."""
    with ctx.db.session() as s:
        return claim(s, upload_id, seen_worker, worker=WORKER, lease_until=utcnow() + LEASE)


def _abandoned(u: Upload) -> bool:
    lease = _aware(u.lease_until)
    return lease is None or lease < utcnow() or _worker_gone(u.worker)


def submit(ctx: Context, files: list[UploadFile], *, reference: str, submitted_by: str,
           idempotency_key: str, declared_type: str | None, ocr_pages: OcrPages) -> dict:
    """One processing per request: the first sender processes; the same request again gets
    the receipt (in progress or done), or, if the worker on it died, takes it over and
    finishes it (files already filed are recognised by their content hash)."""
    if declared_type:
        check_type(declared_type)  # an unknown type is the sender's error: refused whole
    digest = request_digest(reference, declared_type, files)
    for _ in range(2):  # a concurrent identical request may win the insert: read it then
        with ctx.db.session() as s:
            earlier = upload_by_key(s, submitted_by, idempotency_key)
            if earlier is not None:
                if earlier.request_sha256 != digest:
                    raise IdempotencyConflict(f"idempotency key {idempotency_key!r} was used "
                                              "for another upload")
                if earlier.status != "processing" or not _abandoned(earlier):
                    return receipt(earlier)
                upload_id, seen, done = earlier.id, earlier.worker, list(earlier.files or [])
                team = team_of(s, earlier.reference)
            else:
                team = team_of(s, reference.strip())
                upload_id, seen, done = None, None, []
        if upload_id is not None:
            if not _claim(ctx, upload_id, seen):
                return get_upload(ctx, upload_id)  # another request took it over just now
            break
        try:
            with ctx.db.session() as s:
                upload = Upload(submitted_by=submitted_by, idempotency_key=idempotency_key,
                                request_sha256=digest, reference=reference.strip(),
                                declared_type=declared_type, files=[], worker=WORKER,
                                lease_until=utcnow() + LEASE)
                s.add(upload)
                s.flush()
                upload_id = upload.id
            break
        except IntegrityError:
            continue  # the same request, a moment earlier: its receipt on the next pass
    else:
        raise IdempotencyConflict(f"idempotency key {idempotency_key!r} is being used right now")
    return _process(ctx, upload_id, files, done, reference=reference.strip(), team=team,
                    declared_type=declared_type, ocr_pages=ocr_pages)


def _process(ctx: Context, upload_id: str, files: list[UploadFile], done: list[dict], *,
             reference: str, team: str | None, declared_type: str | None,
             ocr_pages: OcrPages) -> dict:
    limits = Limits.from_settings(ctx.settings)
    with ctx.db.session() as s:
        known = efile_by_aktenzeichen(s, reference) is not None
    hold = None if known else (f"the portal named the reference {reference!r}, which is no "
                               "e-file here: find the client and assign it")
    results = list(done)  # what an earlier, killed worker finished stays as it was
    for f in files[len(done):]:
        results.append(process_file(ctx, f, efile=reference if known else None, hold=hold,
                                    declared_type=declared_type, ocr_pages=ocr_pages,
                                    limits=limits))
        with ctx.db.session() as s:  # progress kept, lease renewed: a crash loses one file
            save_progress(s, upload_id, results, lease_until=utcnow() + LEASE)
    with ctx.db.session() as s:
        upload = s.get(Upload, upload_id)
        upload.files, upload.status, upload.finished_at = results, "done", utcnow()
        upload.lease_until = None
        arrived = [r["document_id"] for r in results if r["status"] in ("filed", "inbox")]
        event = None
        if arrived:
            event = Event(kind="documents.arrived", team=team, efile=upload.reference,
                          payload={"upload_id": upload_id, "reference": upload.reference,
                                   "documents": arrived,
                                   "flagged": [r["document_id"] for r in results
                                               if r.get("notes") or r["status"] == "inbox"]})
            s.add(event)
            s.flush()
        out = receipt(upload)
        event_id = event.id if event else None
    if event_id is not None:
        notify(ctx, event_id)
    return out


def notify(ctx: Context, event_id: int) -> None:
    """Deliver an event to the webhook, if one is configured; the result is recorded."""
    url = ctx.settings.webhook_url
    if not url:
        return
    with ctx.db.session() as s:
        ev = s.get(Event, event_id)
        body = json.dumps({"id": ev.id, "kind": ev.kind, "team": ev.team, "efile": ev.efile,
                           **ev.payload}, ensure_ascii=False).encode()
    error = deliver(url, body, secret=ctx.settings.webhook_secret)
    with ctx.db.session() as s:
        ev = s.get(Event, event_id)
        ev.delivered_at, ev.delivery_error = (None, error) if error else (utcnow(), None)


def get_upload(ctx: Context, upload_id: str, submitted_by: str | None = None) -> dict:
    with ctx.db.session() as s:
        u = s.get(Upload, upload_id)
        if u is None or (submitted_by is not None and u.submitted_by != submitted_by):
            raise NotFound(f"no upload {upload_id}")
        return receipt(u)
