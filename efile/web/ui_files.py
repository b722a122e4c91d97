"""An e-file's page, a document's page, its PDF and its downloads: each read through the same
access check and audit as the API (efile.services.casework). The document page shows the
whole history (efile.services.history) and the notes (Vermerke) as part of that read; the
archive copy and the original are handed out as attachments with a readable file name and
audited as downloads, like the API's /api/documents/{id}/original."""

from __future__ import annotations

import json

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response

from ..access.rules import readable_efiles
from ..services import casework, notes
from ..services.audit import Action
from ..services.documents import (
    document_dict,
    download_name,
    read_file,
    read_view,
    readable_title,
    type_name,
)
from ..services.efiles import efile_readable
from ..services.history import efile_timeline, history
from ..services.users import people_names
from .deps import caller, ctx, disposition, policy
from .ui import page

router = APIRouter(include_in_schema=False)


@router.get("/akte/{aktenzeichen}", response_class=HTMLResponse)
def efile_page(request: Request, aktenzeichen: str) -> HTMLResponse:
    me = caller(request)
    with casework.view_efile(ctx().db, me.actor, me.principal, policy(), aktenzeichen) as v:
        groups: dict[str, list] = {}
        for d in v.documents:
            groups.setdefault(type_name(d.doc_type), []).append(d)
        titles = {d.id: readable_title(d) for d in v.documents}
        with ctx().db.session() as s:
            timeline = efile_timeline(s, v.efile.aktenzeichen, v.documents)
        return page(request, "efile.html", efile=v.efile, person=v.efile.person, groups=groups,
                    docs=v.documents, titles=titles, timeline=timeline)


@router.get("/dokument/{doc_id}", response_class=HTMLResponse)
def document_page(request: Request, doc_id: str) -> HTMLResponse:
    return render_document(request, doc_id)


def render_document(request: Request, doc_id: str, *, status: int = 200,
                    note_error: str | None = None, note_text: str = "",
                    print_view: bool = False) -> HTMLResponse:
    """The document page (also shown again, with the message, after a refused note)."""
    me = caller(request)
    c = ctx()
    with casework.open_document(c.db, me.actor, me.principal, policy(), doc_id,
                                Action.READ) as (doc, s):
        info = document_dict(doc)
        pages = [(p.page_no, p.text) for p in doc.pages]
        note = None
        # the note completed after quality control when there is one, else the first
        tn = doc.fields.get("transfer_note_final") or doc.fields.get("transfer_note")
        if tn:
            note = json.loads(c.store.get(tn["key"]))["note"]
        person = None  # the client's name only to those who may see the e-file itself
        if doc.efile_id is not None and efile_readable(
                s, doc.efile_id, readable_efiles(me.principal, policy())):
            person = doc.efile.person
        people = {}  # the transfer note names logins: shown by the people's names
        if note:
            people = people_names(s, {note.get("created_by"),
                                             (note.get("released") or {}).get("by")} - {None})
        doc_notes = notes.list_notes(s, doc)  # shown, and steps of the history
        return page(request, "document.html", status, doc=info, pages=pages, note=note,
                    people=people,
                    person=person, title=readable_title(doc),
                    steps=history(s, doc, doc_notes), notes=doc_notes,
                    may_note=notes.may_write(me.principal),
                    note_error=note_error, note_text=note_text, print_view=print_view,
                    view=(doc.fields or {}).get("view"),
                    archive_name=download_name(doc),
                    original_name=download_name(doc, original=True))


@router.get("/dokument/{doc_id}/druck", response_class=HTMLResponse)
def document_print(request: Request, doc_id: str) -> HTMLResponse:
    """The document page for paper (facts, history, notes), opening the print dialogue."""
    return render_document(request, doc_id, print_view=True)


@router.get("/dokument/{doc_id}/pdf")
def document_pdf(request: Request, doc_id: str) -> Response:
    """What the page's viewer shows (inline, audited as the file shown): the light view copy
    of a heavy scan, else the archive copy; the download is always the archive copy."""
    me = caller(request)
    c = ctx()
    with casework.open_document(c.db, me.actor, me.principal, policy(), doc_id,
                                Action.READ_FILE) as (doc, _s):
        (data, _light), name = read_view(c.store, doc), download_name(doc)
    return Response(data, media_type="application/pdf",
                    headers={"Content-Disposition": disposition("inline", name),
                             "Cache-Control": "no-store"})


@router.get("/dokument/{doc_id}/archivkopie")
def download_archive(request: Request, doc_id: str) -> Response:
    """The archive copy (PDF/A) as a download, audited as one."""
    return _download(request, doc_id, original=False)


@router.get("/dokument/{doc_id}/original")
def download_original(request: Request, doc_id: str) -> Response:
    """The file as received, as a download, audited as one."""
    return _download(request, doc_id, original=True)


def _download(request: Request, doc_id: str, *, original: bool) -> Response:
    me = caller(request)
    c = ctx()
    with casework.open_document(c.db, me.actor, me.principal, policy(), doc_id,
                                Action.DOWNLOAD) as (doc, _s):
        data = read_file(c.store, doc, original=original)
        name = download_name(doc, original=original)
        media = doc.media_type if original else "application/pdf"
    return Response(data, media_type=media, headers={
        "Content-Disposition": disposition("attachment", name), "Cache-Control": "no-store"})
