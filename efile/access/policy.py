"""The access policy, read from one data file (efile/access/policy.toml, or EFILE_POLICY):
roles and their permissions, teams and their caseload rules, and the settings of sessions,
logins and break-glass access, and how the identity provider's groups map to roles and teams
(OpenID Connect). Checked on load: a typo in a permission or a team rule is a
configuration error at start, never an open door at run time."""

from __future__ import annotations

import os
import tomllib
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from classifiers.taxonomy import load as load_taxonomy

from ..errors import ConfigError
from ..search.fold import fold

DEFAULT = Path(__file__).with_name("policy.toml")

PERMISSIONS = frozenset({
    "batches.submit", "batches.read_own", "batches.read", "documents.read_own_batches",
    "qc.decide", "qc.release", "documents.read_caseload", "efiles.read_caseload",
    "documents.read_purpose", "efiles.read_purpose", "documents.read_inbox", "search",
    "inbox.read", "inbox.assign", "inbox.read_team", "inbox.assign_team",
    "documents.reclassify", "efiles.register", "persons.read",
    "persons.write", "figures.read", "audit.read", "users.manage", "uploads.submit",
})
RIGHTS = frozenset({"restricted", "break_glass"})
# who reads and who files the inbox: the registry all of it, caseworkers their team's
INBOX_READERS = ("inbox.read", "inbox.read_team")
INBOX_ASSIGNERS = ("inbox.assign", "inbox.assign_team")


@dataclass(frozen=True)
class Role:
    id: str
    label: str
    permissions: frozenset[str]


@dataclass(frozen=True)
class Team:
    id: str
    label: str
    nationalities: tuple[str, ...] = ()
    surnames: tuple[str, str] | None = None  # first and last initial, inclusive
    purpose: str | None = None
    anchor_types: tuple[str, ...] = ()
    doc_types: tuple[str, ...] = ()

    def takes(self, surname: str, nationality: str | None) -> bool:
        """Does a person with this surname and nationality belong to this team's caseload?"""
        if self.purpose:
            return False  # a purpose team reads across files; it owns none
        if self.nationalities:
            return (nationality or "").upper() in self.nationalities
        if self.surnames:
            initial = fold(surname)[:1].upper()
            return bool(initial) and self.surnames[0] <= initial <= self.surnames[1]
        return False


@dataclass(frozen=True)
class Grant:
    """What membership of one identity-provider group gives a person."""

    roles: tuple[str, ...] = ()
    teams: tuple[str, ...] = ()
    rights: tuple[str, ...] = ()


@dataclass(frozen=True)
class OidcMapping:
    """[oidc]: which claim of the ID token lists a person's groups, which claim names them,
    what to ask the identity provider for, and what each group grants."""

    roles_claim: str = "groups"
    username_claim: str = "preferred_username"
    scopes: tuple[str, ...] = ("openid", "profile", "email")
    groups: dict[str, Grant] = field(default_factory=dict)

    def grant(self, groups: list[str]) -> tuple[Grant, list[str]]:
        """The union of what the person's mapped groups grant, and which groups those were.
        Groups the policy does not name grant nothing."""
        mapped = [g for g in dict.fromkeys(groups) if g in self.groups]

        def union(attr: str) -> tuple[str, ...]:
            return tuple(dict.fromkeys(x for g in mapped for x in getattr(self.groups[g], attr)))

        return Grant(union("roles"), union("teams"), union("rights")), mapped


@dataclass(frozen=True)
class Policy:
    roles: dict[str, Role]
    teams: dict[str, Team]
    break_glass_min_reason: int = 15
    session_idle_minutes: int = 30
    session_max_hours: int = 10
    login_max_failures: int = 5
    login_pause_minutes: int = 15
    login_address_max_failures: int = 50  # behind one address (an office's NAT): much higher
    max_tokens: int = 5  # live API tokens per user; a new one retires the oldest
    break_glass_min_words: int = 3
    break_glass_window_minutes: int = 30
    break_glass_restricted: bool = False
    source: str = field(default="", compare=False)
    oidc: OidcMapping = field(default_factory=OidcMapping)

    def permissions(self, roles: list[str] | tuple[str, ...]) -> frozenset[str]:
        out: set[str] = set()
        for r in roles:
            out |= self.roles[r].permissions if r in self.roles else set()
        return frozenset(out)

    def team_for(self, surname: str, nationality: str | None) -> str | None:
        return next((t.id for t in self.teams.values() if t.takes(surname, nationality)), None)


def _team(tid: str, raw: dict, types: set[str]) -> Team:
    surnames = raw.get("surnames")
    if surnames is not None:
        if len(surnames) != 2 or not all(isinstance(s, str) and len(s) == 1 for s in surnames):
            raise ConfigError(f"policy: team {tid}: surnames must be two initials, e.g. "
                              f"[\"A\", \"K\"]")
        surnames = (surnames[0].upper(), surnames[1].upper())
    for key in ("anchor_types", "doc_types"):
        unknown = set(raw.get(key, [])) - types
        if unknown:
            raise ConfigError(f"policy: team {tid}: unknown document types {sorted(unknown)}")
    if raw.get("purpose") and not (raw.get("anchor_types") and raw.get("doc_types")):
        raise ConfigError(f"policy: team {tid}: a purpose team needs anchor_types and doc_types")
    return Team(tid, raw.get("label", tid), tuple(n.upper() for n in raw.get("nationalities", [])),
                surnames, raw.get("purpose"), tuple(raw.get("anchor_types", [])),
                tuple(raw.get("doc_types", [])))


def _oidc(raw: dict, roles: dict[str, Role], teams: dict[str, Team]) -> OidcMapping:
    # a typo here must fail at start: a misspelt key would otherwise grant nothing, silently,
    # and a misspelt role or team could never be granted at all
    unknown = set(raw) - {"roles_claim", "username_claim", "scopes", "groups"}
    if unknown:
        raise ConfigError(f"policy: [oidc]: unknown settings {sorted(unknown)}")
    scopes = tuple(raw.get("scopes", OidcMapping.scopes))
    if "openid" not in scopes:
        raise ConfigError("policy: [oidc]: scopes must include \"openid\"")
    groups = {}
    for name, g in raw.get("groups", {}).items():
        if not isinstance(g, dict) or set(g) - {"roles", "teams", "rights"}:
            raise ConfigError(f"policy: [oidc.groups] {name!r}: expected "
                              "{roles = [...], teams = [...], rights = [...]}")
        for key, known in (("roles", roles), ("teams", teams), ("rights", RIGHTS)):
            unknown = set(g.get(key, [])) - set(known)
            if unknown:
                raise ConfigError(f"policy: [oidc.groups] {name!r}: unknown {key} "
                                  f"{sorted(unknown)}")
        groups[name] = Grant(tuple(g.get("roles", [])), tuple(g.get("teams", [])),
                             tuple(g.get("rights", [])))
    claims = {k: str(raw.get(k) or getattr(OidcMapping, k))
              for k in ("roles_claim", "username_claim")}
    return OidcMapping(claims["roles_claim"], claims["username_claim"], scopes, groups)


def parse(text: str, source: str = "") -> Policy:
    try:
        raw = tomllib.loads(text)
    except tomllib.TOMLDecodeError as e:
        raise ConfigError(f"policy {source}: {e}") from e
    roles = {}
    for rid, r in raw.get("roles", {}).items():
        unknown = set(r.get("permissions", [])) - PERMISSIONS
        if unknown:
            raise ConfigError(f"policy: role {rid}: unknown permissions {sorted(unknown)}")
        roles[rid] = Role(rid, r.get("label", rid), frozenset(r.get("permissions", [])))
    types = set(load_taxonomy().ids)
    teams = {tid: _team(tid, t, types) for tid, t in raw.get("teams", {}).items()}
    bg, sess, login = raw.get("break_glass", {}), raw.get("sessions", {}), raw.get("login", {})
    return Policy(roles, teams, int(bg.get("min_reason_length", 15)),
                  int(sess.get("idle_minutes", 30)), int(sess.get("max_hours", 10)),
                  int(login.get("max_failures", 5)), int(login.get("pause_minutes", 15)),
                  int(login.get("address_max_failures", 50)),
                  int(raw.get("tokens", {}).get("max_per_user", 5)),
                  int(bg.get("min_words", 3)), int(bg.get("window_minutes", 30)),
                  bool(bg.get("includes_restricted", False)),
                  source, _oidc(raw.get("oidc", {}), roles, teams))


@lru_cache(maxsize=4)
def _load(path: str) -> Policy:
    p = Path(path)
    if not p.is_file():
        raise ConfigError(f"access policy {p} not found (EFILE_POLICY)")
    return parse(p.read_text(encoding="utf-8"), str(p))


def load() -> Policy:
    return _load(os.environ.get("EFILE_POLICY") or str(DEFAULT))
