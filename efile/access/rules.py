"""Need-to-know, written as SQL conditions: what a person may read is decided inside every
query (lists, search results, counts, facets, snippets), never by filtering afterwards.

A document is readable when ONE reason applies and its category allows it:
  caseload      its e-file belongs to one of the person's teams, or a team they currently
                stand in for (documents.read_caseload)
  purpose       a purpose team (naturalisation) reads, in e-files holding one of its anchor
                document types, only the document types that purpose needs; both by a
                type that is sure or a person confirmed, never by a guess
  inbox         the registry reads documents not yet filed, to decide where they go
  team inbox    caseworkers read those of them the router proposed one of their team's
                e-files for (inbox.read_team): who knows the clients decides sooner
  own batches   scanning staff read what they scanned until quality control is done
and, for a restricted category (health data, Art. 9 GDPR), the right `restricted`.
Break-glass access is never part of these conditions: it opens one document per request,
with a reason, and is audited as such (efile.access.guard).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import ColumnElement, and_, false, or_, select, true

from classifiers.doctype import SURE

from ..models import (
    BatchDocument,
    Decision,
    Document,
    EFile,
    InboxCandidate,
    InboxItem,
    ScanBatch,
)
from .policy import Policy, Team


@dataclass(frozen=True)
class Principal:
    """The person (or service account) behind a request, as the policy sees them."""

    username: str
    roles: tuple[str, ...]
    teams: tuple[str, ...] = ()
    rights: tuple[str, ...] = ()
    deputy_for: tuple[dict, ...] = ()
    permissions: frozenset[str] = field(default_factory=frozenset)
    display_name: str = ""

    @property
    def role(self) -> str:
        return ",".join(self.roles)

    def can(self, permission: str) -> bool:
        return permission in self.permissions

    def caseload_teams(self, today: date | None = None) -> list[str]:
        today = today or date.today()
        standing_in = [d["team"] for d in self.deputy_for
                       if not d.get("until") or date.fromisoformat(d["until"]) >= today]
        return sorted(set(self.teams) | set(standing_in))


def principal(username: str, *, roles: list[str], teams: list[str], rights: list[str],
              deputy_for: list[dict], policy: Policy, display_name: str = "") -> Principal:
    return Principal(username, tuple(roles), tuple(teams), tuple(rights), tuple(deputy_for),
                     policy.permissions(roles), display_name)


def _purpose_teams(p: Principal, policy: Policy) -> list[Team]:
    return [t for tid in p.teams if (t := policy.teams.get(tid)) is not None and t.purpose]


# A type the classifier is sure of, or one a person named (1.0). An unsure type is filed with
# a type to check (pipelines/steps/route.py): it opens nothing to a purpose team. NULL: a type
# recorded without classification (a test's or an import's own statement).
_TYPE_STATED = or_(Document.type_confidence.is_(None), Document.type_confidence >= SURE)


def _anchored_efiles(team: Team):  # noqa: ANN202 - a Select of e-file ids
    """The e-files a purpose team works in: those holding one of its anchor documents as a
    fact staff stand behind: scanned or imported by staff, its type named by a person, or
    confirmed by a person's decision. A portal upload whose type only the machine read opens
    nothing: otherwise anyone with a portal account could open a file to another team."""
    confirmed = or_(Document.source != "upload",
                    Document.fields["classification"]["layer"].as_string() == "explicit",
                    Document.id.in_(select(Decision.document_id)))
    return select(Document.efile_id).where(Document.doc_type.in_(team.anchor_types),
                                           Document.efile_id.is_not(None), confirmed,
                                           _TYPE_STATED)


def _team_inbox(teams: list[str]):  # noqa: ANN202 - a Select of document ids
    """Open inbox items with a proposed e-file of one of `teams` (the e-file's team now: a
    client whose file changes team takes the item along)."""
    return (select(InboxItem.document_id).join(InboxCandidate)
            .join(EFile, EFile.id == InboxCandidate.efile_id)
            .where(InboxItem.state == "open", EFile.team.in_(teams)))


def readable_documents(p: Principal, policy: Policy) -> ColumnElement[bool]:
    reasons: list[ColumnElement[bool]] = []
    caseload = p.caseload_teams()
    if p.can("documents.read_caseload") and caseload:
        reasons.append(Document.efile_id.in_(select(EFile.id).where(EFile.team.in_(caseload))))
    if p.can("documents.read_purpose"):
        reasons += [and_(Document.efile_id.in_(_anchored_efiles(t)),
                         Document.doc_type.in_(t.doc_types), _TYPE_STATED)
                    for t in _purpose_teams(p, policy)]
    if p.can("documents.read_inbox"):
        reasons.append(and_(Document.efile_id.is_(None), Document.status == "inbox"))
    if p.can("inbox.read_team") and caseload:
        reasons.append(and_(Document.efile_id.is_(None), Document.status == "inbox",
                            Document.id.in_(_team_inbox(caseload))))
    if p.can("documents.read_own_batches"):
        reasons.append(Document.id.in_(
            select(BatchDocument.document_id).join(ScanBatch)
            .where(ScanBatch.operator == p.username, ScanBatch.released_at.is_(None),
                   BatchDocument.document_id.is_not(None))))
    if not reasons:
        return false()
    category = true() if "restricted" in p.rights else Document.restricted.is_(False)
    return and_(or_(*reasons), category)


def readable_efiles(p: Principal, policy: Policy) -> ColumnElement[bool]:
    """E-files whose person data and document list a person may see."""
    reasons: list[ColumnElement[bool]] = []
    caseload = p.caseload_teams()
    if p.can("efiles.read_caseload") and caseload:
        reasons.append(EFile.team.in_(caseload))
    if p.can("efiles.read_purpose"):
        reasons += [EFile.id.in_(_anchored_efiles(t)) for t in _purpose_teams(p, policy)]
    if p.can("efiles.register"):
        reasons.append(true())  # the registry keeps the register of files (not their content)
    return or_(*reasons) if reasons else false()


def readable_batches(p: Principal) -> ColumnElement[bool]:
    if p.can("batches.read"):
        return true()
    if p.can("batches.read_own"):
        return ScanBatch.operator == p.username
    return false()
