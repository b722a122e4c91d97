"""The scan batches pages (Stapel = a stack of paper scanned in one go): scanning staff
(Scanstelle) hand in a batch, print cover sheets (Deckblatt) and PATCH-T separator sheets
(Trennblatt), watch a batch being processed and pass or fail its quality control (QK);
team leads (Teamleitung) release a batch (Freigabe: the paper may be destroyed).

Every action is the signed-in user's, audited; the services and pipelines do the work."""

from __future__ import annotations

from typing import BinaryIO
from urllib.parse import quote

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import UploadFile

from classifiers.taxonomy import load as load_taxonomy

from ..access import guard
from ..access.rules import readable_batches, readable_documents, readable_efiles
from ..coversheet import CoverSheet, render_patch_t, render_pdf
from ..errors import NotFound
from ..services.audit import Action, audited
from ..services.batches import batch_dict, german, list_batches
from ..services.documents import readable_document_ids, type_choices, type_name
from ..services.efiles import efile_by_aktenzeichen, efile_readable
from ..services.qc import NotReleasable, decide
from . import batch_jobs
from .deps import caller, ctx, plain, policy
from .ui import page

router = APIRouter(include_in_schema=False)
REFRESH_SECONDS = 3  # a batch being processed: the page reloads itself (no script: CSP)
DONE = {"eingereicht": "Der Stapel wurde eingereicht und wird verarbeitet.",
        "bestanden": "Qualitätskontrolle gespeichert: bestanden.",
        "nicht-bestanden": "Qualitätskontrolle gespeichert: nicht bestanden.",
        "freigegeben": "Der Stapel ist freigegeben: das Papier darf vernichtet werden."}


def _in_german(b: dict) -> dict:
    """The batch for its page: notes, problems and QC reasons as an office reads them."""
    b["notes"] = [german(n) for n in b["notes"]]
    for d in b.get("documents", []):
        d["hints"] = [german(p) for p in d["problems"] + ([d["error"]] if d["error"] else [])]
        d["qc"]["reason"] = german(d["qc"]["reason"]) or None
    return b


def _list_page(request: Request, status: int = 200, **data) -> HTMLResponse:  # noqa: ANN003
    me = caller(request)
    c = ctx()
    with audited(c.db, me.actor, Action.READ, object_type="batches") as ev, \
            c.db.session() as s:
        rows = list_batches(s, allowed=readable_batches(me.principal))
        ev.details["count"] = len(rows)
        batches = [_in_german(batch_dict(b, documents=True)) for b in rows]
        ids = [d["document_id"] for b in batches for d in b["documents"] if d["document_id"]]
        # a link only where it opens: operators see the batches, not what was scanned
        readable = readable_document_ids(s, ids, readable_documents(me.principal, policy())) \
            if ids else set()
    return page(request, "batches.html", status, batches=batches, readable=readable,
                types=type_choices(), profiles=batch_jobs.PROFILES,
                form=data.pop("form", {}), **data)


@router.get("/stapel", response_class=HTMLResponse)
def batches_page(request: Request) -> HTMLResponse:
    return _list_page(request)


# -- handing in a batch ------------------------------------------------------------------------

@router.post("/stapel", response_class=HTMLResponse)
async def submit_form(request: Request) -> Response:
    form = await request.form()
    request.state.form_csrf = form.get("csrf")
    # Starlette keeps each file part on disk beyond 1 MB; batch_jobs copies it from there
    files = [(f.filename, f.file) for f in form.getlist("dateien") if isinstance(f, UploadFile)]
    fields = {k: v for k, v in form.items() if isinstance(v, str)}
    return await run_in_threadpool(_submit, request, files, fields)


def _submit(request: Request, files: list[tuple[str | None, BinaryIO]],
            form: dict[str, str]) -> Response:
    me = caller(request)
    batch_jobs.need_submit(ctx(), me.actor, me.principal)
    expected_text = (form.get("seiten") or "").strip()
    error = None
    if not any(data for _, data in files):
        error = "Bitte wählen Sie mindestens eine Scandatei des Stapels aus."
    elif expected_text and (not expected_text.isdigit() or int(expected_text) < 1):
        error = "Die erwartete Seitenzahl ist eine ganze Zahl ab 1 (oder bleibt leer)."
    elif len(files) > batch_jobs.MAX_STACK_FILES:
        error = f"Höchstens {batch_jobs.MAX_STACK_FILES} Scandateien je Stapel."
    profile = form.get("profil") or "default"
    if error is None and profile not in batch_jobs.PROFILES:
        error = "Bitte wählen Sie ein Scanprofil aus der Liste."
    if error:
        return _list_page(request, 400, submit_error=error, form=form)
    batch_id = batch_jobs.submit(ctx(), me.actor, files, profile=profile,
                                 expected_pages=int(expected_text) if expected_text else None)
    return RedirectResponse(f"/stapel/{batch_id}?erledigt=eingereicht", status_code=303)


# -- cover sheets and separator sheets ------------------------------------------------------

def _pdf(data: bytes, name: str) -> Response:
    return Response(data, media_type="application/pdf", headers={
        "Content-Disposition": f'inline; filename="{name}"', "Cache-Control": "no-store"})


@router.get("/stapel/trennblatt.pdf")
def separator_sheet(request: Request) -> Response:
    me = caller(request)
    guard.need(me.principal, "batches.submit")
    return _pdf(render_patch_t(), "trennblatt-patch-t.pdf")


@router.get("/stapel/deckblatt.pdf", response_model=None)
def cover_sheet(request: Request, aktenzeichen: str = "", typ: str = "",
                vorgang: str = "") -> Response:
    """A cover sheet for an e-file (and a type, a procedure). The client's name is printed
    only for someone who may see the e-file; scanning staff get the Aktenzeichen in words
    (they have it from the paper) so a sheet never tells them whose file a number is."""
    me = caller(request)
    guard.need(me.principal, "batches.submit")
    az = (plain(aktenzeichen, "aktenzeichen") or "").strip()
    doc_type = (plain(typ, "typ") or "").strip() or None
    procedure = (plain(vorgang, "vorgang") or "").strip() or None
    form = {"aktenzeichen": az, "typ": typ, "vorgang": vorgang}
    if doc_type and doc_type not in load_taxonomy():
        return _list_page(request, 400, cover_error="Bitte wählen Sie eine Dokumentart aus der "
                          "Liste.", form=form)
    if not az or len(az) > 64 or (procedure and (";" in procedure or len(procedure) > 64)):
        return _list_page(request, 400, cover_error="Bitte geben Sie ein Aktenzeichen an (ein "
                          "Vorgang ohne Semikolon).", form=form)
    c = ctx()
    try:
        with audited(c.db, me.actor, Action.READ, object_type="coversheet", object_id=az,
                     details={"doc_type": doc_type, "procedure": procedure}) as ev, \
                c.db.session() as s:
            efile = efile_by_aktenzeichen(s, az)
            if efile is None:
                raise NotFound(f"no e-file with Aktenzeichen {az}")
            client = None
            if efile_readable(s, efile.id, readable_efiles(me.principal, policy())):
                p = efile.person
                client = p.display_name + (f" ({p.birth_date:%d.%m.%Y})" if p.birth_date
                                           else "")
            ev.details["client_shown"] = client is not None
    except NotFound:
        return _list_page(request, 404, cover_error=f"Eine Akte mit dem Aktenzeichen {az} gibt "
                          "es nicht.", form=form)
    sheet = CoverSheet(az, doc_type, procedure)
    pdf = render_pdf(sheet, client=client, type_name=type_name(doc_type) if doc_type else None)
    return _pdf(pdf, f"deckblatt-{quote(az, safe='')}.pdf")


# -- one batch: progress, quality control, release ------------------------------------------

def _batch_page(request: Request, batch_id: str, status: int = 200, *,
                error: str | None = None, done: str | None = None) -> HTMLResponse:
    me = caller(request)
    c = ctx()
    with audited(c.db, me.actor, Action.READ, object_type="batch",
                 object_id=batch_id[:64]), c.db.session() as s:
        b = _in_german(batch_dict(guard.batch_for(s, me.principal, batch_id)))
        ids = [d["document_id"] for d in b["documents"] if d["document_id"]]
        readable = readable_document_ids(s, ids, readable_documents(me.principal, policy())) \
            if ids else set()
    qc = [d["qc"]["state"] for d in b["documents"]]
    releasable = (b["status"] != "processing" and not b["released_at"]
                  and "pending" not in qc and "failed" not in qc)
    resp = page(request, "batch.html", status, b=b, readable=readable,
                progress=batch_jobs.progress(b["batch_id"]), error=error,
                done=DONE.get(done or ""), releasable=releasable,
                can_move=me.principal.can("documents.reclassify")
                or me.principal.can("inbox.assign"))
    if b["status"] == "processing":
        resp.headers["Refresh"] = str(REFRESH_SECONDS)
    return resp


@router.get("/stapel/{batch_id}", response_class=HTMLResponse)
def batch_page(request: Request, batch_id: str, erledigt: str = "") -> HTMLResponse:
    return _batch_page(request, batch_id, done=erledigt)


async def _form(request: Request) -> dict[str, str]:
    form = await request.form()
    request.state.form_csrf = form.get("csrf")
    return {k: v for k, v in form.items() if isinstance(v, str)}


@router.post("/stapel/{batch_id}/qk/{doc_id}", response_class=HTMLResponse)
async def qc_form(request: Request, batch_id: str, doc_id: str) -> Response:
    return await run_in_threadpool(_qc, request, batch_id, doc_id, await _form(request))


def _qc(request: Request, batch_id: str, doc_id: str, form: dict[str, str]) -> Response:
    me = caller(request)
    result = form.get("ergebnis")
    note = (plain(form.get("vermerk"), "vermerk") or "").strip()[:2000] or None
    if result not in ("bestanden", "nicht-bestanden"):
        return _batch_page(request, batch_id, 400, error="Bitte wählen Sie „bestanden“ oder "
                           "„nicht bestanden“.")
    if result == "nicht-bestanden" and not note:
        return _batch_page(request, batch_id, 400, error="Bitte schreiben Sie in den Vermerk, "
                           "was nicht stimmt (zum Beispiel: Seite 2 fehlt).")
    c = ctx()
    try:
        with audited(c.db, me.actor, Action.QC_DECIDE, object_type="document",
                     object_id=doc_id[:64], details={"batch_id": batch_id[:64],
                                                     "passed": result == "bestanden",
                                                     "note": note}), c.db.session() as s:
            guard.need(me.principal, "qc.decide")  # inside: a refusal is audited too
            batch = guard.batch_for(s, me.principal, batch_id)
            decide(s, doc_id, passed=result == "bestanden", actor=me.principal.username,
                   note=note, batch_id=batch.id)
    except NotReleasable as e:
        return _batch_page(request, batch_id, 409, error=e.german())
    return RedirectResponse(f"/stapel/{batch_id}?erledigt={result}#dok-{doc_id}",
                            status_code=303)


@router.post("/stapel/{batch_id}/freigabe", response_class=HTMLResponse)
async def release_form(request: Request, batch_id: str) -> Response:
    return await run_in_threadpool(_release, request, batch_id, await _form(request))


def _release(request: Request, batch_id: str, form: dict[str, str]) -> Response:
    from pipelines.release import release_batch

    me = caller(request)
    c = ctx()
    try:
        with audited(c.db, me.actor, Action.BATCH_RELEASE, object_type="batch",
                     object_id=batch_id[:64]):
            guard.need(me.principal, "qc.release")  # inside: a refusal is audited too
            with c.db.session() as s:
                guard.batch_for(s, me.principal, batch_id)  # 404 unless theirs to see
            release_batch(c, batch_id, actor=me.principal.username)
    except NotReleasable as e:
        return _batch_page(request, batch_id, 409, error=e.german())
    return RedirectResponse(f"/stapel/{batch_id}?erledigt=freigegeben", status_code=303)
