"""A home for the web tests: clients of three caseload teams, a naturalisation, a restricted
medical attest, an inbox document, one user per role, and — independent of the product's SQL
rules — a plain-Python oracle of who may read what, which the matrix test compares against.

Documents are born-digital PDFs (no OCR cost), filed through the real ingest process, each
carrying a marker word `geheimwort<n>` so a leak shows in any response body."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path

from efile.access.accounts import add_user, issue_token
from efile.access.policy import load as load_policy
from efile.context import get_context
from efile.samples.born_digital import write_text_pdf
from efile.services.efiles import add_efile

PASSWORD = "Richtig-langes-Passwort-1"
MARKER = "Sonnenblume"  # a word every document carries: search finds all of them


@dataclass(frozen=True)
class Doc:
    key: str
    efile: str | None  # Aktenzeichen, None = inbox
    doc_type: str
    restricted: bool
    secret: str  # a word only this document carries
    names: tuple[str, ...] = ()  # lines naming a client: the router proposes their e-file
    id: str = ""


CLIENTS = [  # aktenzeichen, surname, given, birth, nationality -> team by the policy
    ("ABH-2024-000101", "Albers", "Karin", date(1980, 1, 2), "TUR"),  # team-a (A–K)
    ("ABH-2024-000202", "Nowak", "Piotr", date(1975, 5, 6), "POL"),  # team-b (L–Z)
    ("ABH-2024-000303", "Bondarenko", "Olena", date(1990, 3, 4), "UKR"),  # team-ukr
]

USERS = {  # username: (roles, teams, rights)
    "sb.a": (["caseworker"], ["team-a"], []),
    "sb.b": (["caseworker"], ["team-b"], []),
    "sb.a.med": (["caseworker"], ["team-a"], ["restricted"]),
    "tl.b": (["team_lead"], ["team-b"], ["break_glass"]),
    "eb.1": (["naturalisation"], ["einbuergerung"], []),
    "reg.1": (["registry"], [], []),
    "scan.1": (["scanning"], [], []),
    "op.1": (["operator"], [], []),
    "dsb.1": (["dpo"], [], []),
    "adm.1": (["admin"], [], []),
}

LINES = {
    "employment_contract": ["Arbeitsvertrag", "zwischen der Firma Beispiel GmbH und"],
    "payslip": ["Entgeltabrechnung Januar 2025", "Bruttoverdienst 3.100,00 EUR"],
    "naturalisation_application": ["Antrag auf Einbürgerung", "nach § 10 StAG"],
    "medical_attest": ["Ärztliches Attest", "Diagnose: vertraulich"],
    "rental_contract": ["Mietvertrag", "über die Wohnung im 2. OG"],
}

DOCS = [
    Doc("a_contract", "ABH-2024-000101", "employment_contract", False, "geheimwortalpha"),
    Doc("a_attest", "ABH-2024-000101", "medical_attest", True, "geheimwortbravo"),
    Doc("b_payslip", "ABH-2024-000202", "payslip", False, "geheimwortcharlie"),
    Doc("b_natur", "ABH-2024-000202", "naturalisation_application", False, "geheimwortdelta"),
    Doc("b_rent", "ABH-2024-000202", "rental_contract", False, "geheimwortecho"),
    Doc("u_payslip", "ABH-2024-000303", "payslip", False, "geheimwortfoxtrot"),
    Doc("inbox", None, "payslip", False, "geheimwortgolf"),
    # in the inbox, Nowak's e-file proposed: team B's inbox (inbox.read_team)
    Doc("inbox_b", None, "payslip", False, "geheimworthotel",
        ("Herrn Piotr Nowak", "geboren am 06.05.1975")),
]
PROPOSED = {"inbox_b": "ABH-2024-000202"}  # the e-file the router proposes for an inbox doc


def build(tmp: Path) -> dict:
    """Fill the current home; returns {'docs': {key: Doc with id}, 'tokens': {user: token}}."""
    from pipelines.process import ingest_file

    ctx = get_context()
    policy = load_policy()
    with ctx.db.session() as s:
        for az, sur, given, born, nat in CLIENTS:
            add_efile(s, az, surname=sur, given_names=given, birth_date=born, nationality=nat)
        for name, (roles, teams, rights) in USERS.items():
            add_user(s, policy, name, password=PASSWORD, roles=roles, teams=teams,
                     rights=rights, display_name=name.upper())
    docs = {}
    for d in DOCS:
        lines = [*LINES[d.doc_type], *d.names, f"Stichwort {MARKER} {d.secret}",
                 f"Vorgang {d.key}"]
        pdf = write_text_pdf(tmp / f"{d.key}.pdf", [lines])
        r = ingest_file(ctx, str(pdf), efile=d.efile, source="upload", ocr_pages=_no_ocr,
                        doc_type=d.doc_type, hold=None if d.efile else "no e-file reference")
        assert r.status == ("filed" if d.efile else "inbox"), r
        if not d.efile:
            proposed = _proposed(ctx, r.document_id)
            assert proposed == ([PROPOSED[d.key]] if d.key in PROPOSED else []), (d.key, proposed)
        docs[d.key] = Doc(**{**d.__dict__, "id": r.document_id})
    with ctx.db.session() as s:
        tokens = {u: issue_token(s, u, label="test") for u in USERS}
    return {"docs": docs, "tokens": tokens}


def _proposed(ctx, document_id: str) -> list[str]:
    """The e-files the router proposed for an inbox document."""
    from sqlalchemy import select

    from efile.models import InboxItem

    with ctx.db.session() as s:
        item = s.scalar(select(InboxItem).where(InboxItem.document_id == document_id))
        return [x["aktenzeichen"] for x in item.suggestions]


def _no_ocr(jobs):
    from pipelines.steps.ocr import ocr_page

    return [ocr_page(j, "deu") for j in jobs]


# -- the oracle: the policy as the office wrote it, in plain Python --------------------------

TEAM_OF = {"ABH-2024-000101": "team-a", "ABH-2024-000202": "team-b",
           "ABH-2024-000303": "team-ukr"}
NATURALISATION_FILES = {"ABH-2024-000202"}  # holds a naturalisation application


def may_read(user: str, d: Doc) -> bool:
    roles, teams, rights = USERS[user]
    policy = load_policy()
    if d.restricted and "restricted" not in rights:
        return False
    if {"caseworker", "team_lead"} & set(roles) and d.efile and TEAM_OF[d.efile] in teams:
        return True
    if {"caseworker", "team_lead"} & set(roles) and d.efile is None and \
            TEAM_OF.get(PROPOSED.get(d.key, "")) in teams:
        return True  # the team's inbox: an item proposing one of the team's e-files
    if "naturalisation" in roles and d.efile in NATURALISATION_FILES and \
            d.doc_type in policy.teams["einbuergerung"].doc_types:
        return True
    return "registry" in roles and d.efile is None


def may_see_efile(user: str, az: str) -> bool:
    roles, teams, _ = USERS[user]
    if "registry" in roles:
        return True
    if {"caseworker", "team_lead"} & set(roles) and TEAM_OF[az] in teams:
        return True
    return "naturalisation" in roles and az in NATURALISATION_FILES
