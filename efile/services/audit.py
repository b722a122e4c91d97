"""The audit log: every read, search, download, change, assignment and break-glass access, with
who did it (as plain data: the web layer and the CLI each say who is acting), from where, when,
on which object and with what outcome.

Append-only and hash-chained. Each event has a gapless `seq` and stores `prev_hash`, the hash
of the event before it (64 zeros for the first), and `hash` = SHA-256 over the RFC 8785
canonical JSON of its content and `prev_hash`. Changing a row breaks its hash, deleting one
leaves a gap and a broken link; `verify` finds both and names the first broken seq. A chain
alone cannot notice its last rows being deleted, nor a writer with database access who
recomputes every hash after the change: that is what an anchored head (`expect_head`, written
down outside the database) is for.

Concurrency: appends from many API workers and pipeline processes serialise on one lock held
until the appending transaction ends (PostgreSQL: a transaction-scoped advisory lock;
SQLite: the database's write lock, taken with BEGIN IMMEDIATE), so the head read under the lock
is the committed head and seq stays linear. The primary key on seq is the backstop: a writer
that got around the lock fails instead of forking the chain.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from enum import StrEnum
from typing import Any

import rfc8785
from sqlalchemy import select, text
from sqlalchemy.orm import Session

from ..db import Database
from ..errors import InvalidQuery
from ..models import AuditEvent, utcnow

GENESIS = "0" * 64
FORMAT = 1  # version of the hashed serialisation; changes only with a new chain format
# one fixed key for the chain's PostgreSQL advisory lock (a signed 64-bit number)
LOCK_KEY = int.from_bytes(hashlib.sha256(b"efile.audit_events").digest()[:8], "big", signed=True)


class Action(StrEnum):
    READ = "document.read"  # metadata
    READ_TEXT = "document.text"  # page text
    READ_FILE = "document.file"  # the file shown (web viewer)
    DOWNLOAD = "document.download"  # the file handed out
    SEARCH = "search"
    CHANGE = "document.change"
    ASSIGN = "document.assign"
    BREAK_GLASS = "access.break_glass"
    AUDIT_READ = "audit.read"
    AUDIT_VERIFY = "audit.verify"
    NOTE = "document.note"  # a note (Vermerk) written on a document
    PERSON_LOOKUP = "person.lookup"  # clients looked up by name, birth date or number
    BATCH_SUBMIT = "batch.submit"  # a scan batch handed in
    QC_DECIDE = "batch.qc"  # a quality-control pass or fail
    BATCH_RELEASE = "batch.release"  # a batch released after quality control


class Outcome(StrEnum):
    OK = "ok"
    DENIED = "denied"
    NOT_FOUND = "not_found"
    ERROR = "error"


@dataclass(frozen=True)
class Actor:
    """Who acts, as plain data: the web layer builds it from the logged-in user and request,
    the CLI from $EFILE_USER. `break_glass_reason` marks access outside the person's normal
    rights, with the reason they stated; `on_behalf_of` a deputy acting for someone."""

    user: str
    role: str
    on_behalf_of: str | None = None
    break_glass_reason: str | None = None
    client: str | None = None  # the client's address (IP, or the host a CLI ran on)


def record(session: Session, actor: Actor, action: str, *, object_type: str | None = None,
           object_id: str | None = None, outcome: str = Outcome.OK,
           details: dict | None = None) -> AuditEvent:
    """Append one event in the caller's transaction: a change and its audit event commit
    together or not at all. The chain's lock is held until that transaction ends, so call this
    last, just before the commit."""
    if not actor.user or not actor.role:
        raise ValueError("an audit event needs a user and a role")
    if not action:
        raise ValueError("an audit event needs an action")
    _lock_chain(session)
    head = session.execute(
        select(AuditEvent.seq, AuditEvent.hash).order_by(AuditEvent.seq.desc()).limit(1)).first()
    seq, prev_hash = (head[0] + 1, head[1]) if head else (1, GENESIS)
    row = {
        "seq": seq, "at": utcnow(),  # taken under the lock: times follow seq on one host
        "user_name": actor.user, "role": actor.role, "on_behalf_of": actor.on_behalf_of,
        "break_glass_reason": actor.break_glass_reason, "action": str(action),
        "object_type": object_type, "object_id": object_id, "outcome": Outcome(outcome).value,
        # stored as it reads back, so the hash covers exactly what the database returns
        "details": json.loads(json.dumps(details or {}, default=str, ensure_ascii=False)),
        "client": actor.client, "prev_hash": prev_hash,
    }
    event = AuditEvent(**row, hash=event_hash(row))
    session.add(event)
    session.flush()  # a duplicate seq (a writer without the lock) fails here, not at commit
    return event


@dataclass
class Pending:
    """What an audited block learns while it runs: the object's full id once resolved, the
    result count, anything the data protection officer should see."""

    object_id: str | None
    details: dict = field(default_factory=dict)
    outcome: str = Outcome.OK  # a block that finished but found a failure says so


@contextmanager
def audited(db: Database, actor: Actor, action: str, *, object_type: str | None = None,
            object_id: str | None = None, details: dict | None = None) -> Iterator[Pending]:
    """Run a read (or any action) and record it afterwards in its own short transaction, with
    the outcome its errors imply. If the event cannot be written, the error propagates: show
    the caller nothing until the block has left."""
    pending = Pending(object_id, dict(details or {}))
    try:
        yield pending
    except Exception as e:
        with db.session() as s:
            record(s, actor, action, object_type=object_type, object_id=pending.object_id,
                   outcome=outcome_of(e), details={**pending.details, "error": str(e)[:500]})
        raise
    with db.session() as s:
        record(s, actor, action, object_type=object_type, object_id=pending.object_id,
               outcome=pending.outcome, details=pending.details)


def outcome_of(error: BaseException) -> Outcome:
    """Product errors carry their HTTP status (efile/errors.py): 403 is a refusal, 404 a miss."""
    status = getattr(error, "http_status", 500)
    return {403: Outcome.DENIED, 404: Outcome.NOT_FOUND}.get(status, Outcome.ERROR)


def _lock_chain(session: Session) -> None:
    conn = session.connection()
    if conn.dialect.name == "postgresql":
        conn.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": LOCK_KEY})
    elif conn.dialect.name == "sqlite":
        raw = conn.connection.driver_connection
        # pysqlite opens a transaction only before the first write, so one already open holds
        # the write lock; otherwise take it now, before reading the head, or two writers could
        # read the same head (WAL readers do not block each other)
        if not raw.in_transaction:
            raw.execute("BEGIN IMMEDIATE")


# -- the chain ---------------------------------------------------------------------------------

HASHED = ("seq", "at", "user_name", "role", "on_behalf_of", "break_glass_reason", "action",
          "object_type", "object_id", "outcome", "details", "client", "prev_hash")


def canonical(row: Any) -> bytes:
    """The bytes an event's hash covers: RFC 8785 JSON of its content and prev_hash, the time
    as UTC with microseconds, so any JCS library can recompute it outside efile."""
    content = {name: row[name] for name in HASHED}
    content["at"] = utc_iso(content["at"])
    content["format"] = FORMAT
    return rfc8785.dumps(content)


def event_hash(row: Any) -> str:
    return hashlib.sha256(canonical(row)).hexdigest()


def utc_iso(at: datetime) -> str:
    # SQLite hands back the UTC wall time without its zone; PostgreSQL in the session's zone
    at = at.replace(tzinfo=UTC) if at.tzinfo is None else at.astimezone(UTC)
    return at.strftime("%Y-%m-%dT%H:%M:%S.%fZ")


@dataclass
class Problem:
    seq: int
    kind: str  # gap | duplicate | link | hash | truncated | anchor
    message: str


@dataclass
class Verification:
    events: int = 0
    head_seq: int | None = None
    head_hash: str | None = None
    expected_head: tuple[int, str] | None = None
    problems: list[Problem] = field(default_factory=list)

    @property
    def intact(self) -> bool:
        return not self.problems

    def to_dict(self) -> dict:
        head = {"seq": self.head_seq, "hash": self.head_hash} if self.head_seq else None
        expected = self.expected_head
        return {"intact": self.intact, "events": self.events, "head": head,
                "expected_head": {"seq": expected[0], "hash": expected[1]} if expected else None,
                "first_broken_seq": self.problems[0].seq if self.problems else None,
                "problems": [asdict(p) for p in self.problems]}


MAX_PROBLEMS = 100


def verify(session: Session, expect_head: tuple[int, str] | None = None) -> Verification:
    """Walk the whole chain in seq order and say where it is broken. After a break the walk
    goes on from the row as it is, so one deleted row is one problem, not every row after it."""
    report = Verification(expected_head=expect_head)
    anchored_hash = None
    last_seq, last_hash = 0, GENESIS
    # plain rows, not ORM objects: the identity map would fold a duplicated seq into one
    rows = session.execute(select(*AuditEvent.__table__.c).order_by(AuditEvent.seq)
                           .execution_options(yield_per=2000)).mappings()
    for row in rows:
        seq = row["seq"]
        report.events += 1
        if seq == last_seq:
            _problem(report, seq, "duplicate", f"seq {seq} appears more than once: a row was inserted")
        elif seq != last_seq + 1:
            missing = f"seq {last_seq + 1}" + (f"..{seq - 1}" if seq - 1 > last_seq + 1 else "")
            _problem(report, last_seq + 1, "gap", f"{missing} missing: rows were deleted")
        elif row["prev_hash"] != last_hash:
            _problem(report, seq, "link", f"prev_hash does not match the hash of seq {last_seq}: "
                     "a row before it was deleted, inserted or rewritten")
        if event_hash(row) != row["hash"]:
            _problem(report, seq, "hash", "hash mismatch: the row was changed after it was written")
        last_seq, last_hash = seq, row["hash"]
        if expect_head and seq == expect_head[0]:
            anchored_hash = row["hash"]
    if report.events:
        report.head_seq, report.head_hash = last_seq, last_hash
    if expect_head:
        anchor_seq, anchor = expect_head
        if last_seq < anchor_seq:
            _problem(report, last_seq + 1, "truncated",
                     f"the log ends at seq {last_seq} but seq {anchor_seq} was recorded as its "
                     "head: rows at the end were deleted")
        elif anchored_hash != anchor:
            _problem(report, anchor_seq, "anchor", f"seq {anchor_seq} differs from the recorded "
                     "head: the log was rewritten up to there")
    report.problems.sort(key=lambda p: p.seq)
    return report


def _problem(report: Verification, seq: int, kind: str, message: str) -> None:
    if len(report.problems) < MAX_PROBLEMS:
        report.problems.append(Problem(seq, kind, message))


def parse_head(value: str) -> tuple[int, str]:
    """SEQ:HASH as `efile audit verify` prints the head."""
    seq, _, digest = value.strip().partition(":")
    digest = digest.lower()
    if not seq.isdigit() or int(seq) < 1 or len(digest) != 64 \
            or any(c not in "0123456789abcdef" for c in digest):
        raise InvalidQuery(f"expected head as SEQ:SHA256 (e.g. 42:{'ab' * 32}), got {value!r}")
    return int(seq), digest


# -- reading the log ---------------------------------------------------------------------------

def query(session: Session, *, user: str | None = None, object_id: str | None = None,
          action: str | None = None, outcome: str | None = None, since: datetime | None = None,
          until: datetime | None = None, break_glass: bool = False,
          limit: int = 100) -> list[AuditEvent]:
    """Events matching every filter given, newest first. Times compare in UTC; `until` is
    exclusive."""
    q = select(AuditEvent).order_by(AuditEvent.seq.desc()).limit(limit)
    if user:
        q = q.where(AuditEvent.user_name == user)
    if object_id:
        q = q.where(AuditEvent.object_id == object_id)
    if action:
        q = q.where(AuditEvent.action == action)
    if outcome:
        q = q.where(AuditEvent.outcome == Outcome(outcome).value)
    if since:
        q = q.where(AuditEvent.at >= since.astimezone(UTC))
    if until:
        q = q.where(AuditEvent.at < until.astimezone(UTC))
    if break_glass:
        q = q.where(AuditEvent.break_glass_reason.is_not(None))
    return list(session.scalars(q))


def event_dict(ev: AuditEvent) -> dict:
    return {"seq": ev.seq, "at": utc_iso(ev.at), "user": ev.user_name, "role": ev.role,
            "on_behalf_of": ev.on_behalf_of, "break_glass_reason": ev.break_glass_reason,
            "action": ev.action, "object_type": ev.object_type, "object_id": ev.object_id,
            "outcome": ev.outcome, "details": ev.details, "client": ev.client,
            "prev_hash": ev.prev_hash, "hash": ev.hash}
