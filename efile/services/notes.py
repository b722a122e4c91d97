"""Notes (Vermerk, plural Vermerke: a short written remark in a file, e.g. "Rückfrage beim
Arbeitgeber am 03.12. telefonisch, Bescheinigung folgt") that a person writes on a document.
A note is kept as written: never edited, never deleted; a correction is a new note.

Who may write one: a person who may read the document by the access rules (guard.document_for:
caseload, purpose, inbox, own batch, restricted only with the right) AND who works cases or
the register, i.e. holds `documents.reclassify` (caseworkers, team leads) or `inbox.assign`
(the registry). Why not every reader: the naturalisation team reads a purpose-bound part of
someone else's file, and the scanning office reads its own batches until quality control:
neither works the case, and a note is part of the case's record that the caseload team
answers for. A break-glass read never allows a note (it is an emergency look, not casework).
No new permission is needed: the policy's existing rights already name exactly these people.

Who may read the notes: whoever may read the document; they are shown with it, so reading
them is part of the document's (audited) read. The caller audits the write (Action.NOTE).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from storage import ObjectStore

from ..access import guard
from ..access.policy import Policy
from ..access.rules import Principal
from ..errors import Forbidden, InvalidQuery
from ..models import Document, DocumentNote
from .metadata_record import write_record
from .users import people_names

MAX_TEXT = 2000
WRITERS = ("documents.reclassify", "inbox.assign")
# control characters other than line breaks and tabs: a note is prose, several lines at most
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


class NoteInvalid(InvalidQuery):
    """A note's text that cannot be kept; `de` is what the form shows."""

    def __init__(self, message: str, de: str) -> None:
        super().__init__(message)
        self.de = de


def check_text(text: str | None) -> str:
    """The note's text, stripped and with uniform line breaks: 1 to 2000 characters, no
    control characters (a NUL byte cannot even be stored in PostgreSQL)."""
    text = (text or "").replace("\r\n", "\n").replace("\r", "\n").strip()
    if _CONTROL.search(text):
        raise NoteInvalid("a note may not contain control characters",
                          "Der Vermerk enthält Steuerzeichen. Bitte nur Text eingeben.")
    if not text:
        raise NoteInvalid("a note needs a text", "Bitte einen Text für den Vermerk eingeben.")
    if len(text) > MAX_TEXT:
        raise NoteInvalid(f"a note has at most {MAX_TEXT} characters (this one {len(text)})",
                          f"Ein Vermerk hat höchstens {MAX_TEXT} Zeichen "
                          f"(dieser {len(text)}).")
    return text


def may_write(p: Principal | None) -> bool:
    """Whether `p` works cases or the register (the document's readability is checked on
    writing, by the access rules)."""
    return p is not None and any(p.can(w) for w in WRITERS)


@dataclass(frozen=True)
class NoteView:
    id: int
    document_id: str
    author: str  # the login
    author_name: str  # the display name, the login where none is known
    at: datetime
    text: str

    def to_dict(self) -> dict:
        return {"id": self.id, "document_id": self.document_id, "author": self.author,
                "author_name": self.author_name, "at": self.at.isoformat(), "text": self.text}


def _views(session: Session, notes: list[DocumentNote]) -> list[NoteView]:
    names = people_names(session, {n.author for n in notes})
    return [NoteView(n.id, n.document_id, n.author, names.get(n.author, n.author), n.at, n.text)
            for n in notes]


def list_notes(session: Session, doc: Document) -> list[NoteView]:
    """The notes of a document the caller has already opened through the access guard,
    oldest first."""
    rows = session.scalars(select(DocumentNote).where(DocumentNote.document_id == doc.id)
                           .order_by(DocumentNote.at, DocumentNote.id))
    return _views(session, list(rows))


def add_note(session: Session, store: ObjectStore, p: Principal, policy: Policy, ref: str,
             text: str) -> NoteView:
    """Write a note on the document `ref` as `p`; NotFound for a document `p` may not read
    (like reading it), Forbidden without a right to write notes, NoteInvalid for the text.
    The note is also named in the document's metadata record (the record keeps who changed
    the document's file, and when)."""
    if not may_write(p):
        raise Forbidden(f"{p.username} may not write notes (documents.reclassify or "
                        "inbox.assign)")
    doc = guard.document_for(session, p, policy, ref)
    text = check_text(text)
    note = DocumentNote(document_id=doc.id, author=p.username, text=text)
    session.add(note)
    session.flush()
    write_record(store, doc, reason=f"note {note.id}", actor=p.username)
    return _views(session, [note])[0]
