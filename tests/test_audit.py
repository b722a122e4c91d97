"""The audit log: a hash chain that stays linear under concurrent writers, names the first row
that was changed, deleted or inserted, and (with a recorded head) a cut-off tail; the CLI for
the data protection officer; the CLI's reads recorded."""

from __future__ import annotations

import hashlib
import json
import os
import subprocess
import sys
import threading
import time
from datetime import timedelta
from pathlib import Path

import pytest
import rfc8785
from conftest import BACKEND, EFILE_BIN
from sqlalchemy import delete, insert, select, text, update
from sqlalchemy.exc import DBAPIError

from efile.context import get_context
from efile.models import AuditEvent
from efile.services import audit
from efile.services.audit import Action, Actor, Outcome

TABLE = AuditEvent.__table__
CLERK = Actor("sb.keller", "caseworker", client="10.20.30.41")
DEPUTY = Actor("sb.yilmaz", "caseworker", on_behalf_of="sb.keller", client="10.20.30.42")
EMERGENCY = Actor("tl.brandt", "team_lead", break_glass_reason="Vorsprache, Akte gesperrt",
                  client="10.20.30.7")


def append(n: int, start: int = 0) -> None:
    """n events as the web layer and the pipeline would write them, each in its own transaction."""
    db = get_context().db
    kinds = [
        (CLERK, Action.SEARCH, None, None, {"query": "Öztürk Meldebescheinigung", "results": 3}),
        (CLERK, Action.READ, "document", "3f9a", {}),
        (DEPUTY, Action.READ_TEXT, "document", "3f9a", {"pages": [1, 2]}),
        (EMERGENCY, Action.BREAK_GLASS, "efile", "ABH-2026-000123", {"valid_minutes": 30}),
        (EMERGENCY, Action.DOWNLOAD, "document", "77c1", {"copy": "original", "ratio": 0.25}),
        (CLERK, Action.ASSIGN, "document", "9b0e", {"efile": "ABH-2026-000124", "type": None}),
    ]
    for i in range(start, start + n):
        actor, action, otype, oid, details = kinds[i % len(kinds)]
        outcome = Outcome.DENIED if i % 5 == 1 else Outcome.OK
        with db.session() as s:
            audit.record(s, actor, action, object_type=otype,
                         object_id=f"{oid}{i:04d}" if oid else None, outcome=outcome,
                         details={**details, "n": i})


def verify(expect_head: tuple[int, str] | None = None) -> audit.Verification:
    with get_context().db.session() as s:
        return audit.verify(s, expect_head)


def tamper(*statements) -> None:
    """Change the table behind the application's back, as a database superuser would: on
    PostgreSQL with the append-only trigger switched off for this session."""
    with get_context().db.engine.begin() as conn:
        if conn.dialect.name == "postgresql":
            conn.execute(text("SET LOCAL session_replication_role = replica"))
        for stmt in statements:
            conn.execute(stmt)


def row(seq: int) -> dict:
    with get_context().db.engine.connect() as conn:
        return dict(conn.execute(select(TABLE).where(TABLE.c.seq == seq)).mappings().one())


def cli(*args: str, rc: int = 0, user: str = "dsb.roth",
        role: str = "dpo", columns: int = 80) -> subprocess.CompletedProcess:
    env = {**os.environ, "EFILE_USER": user, "EFILE_ROLE": role, "COLUMNS": str(columns)}
    res = subprocess.run([EFILE_BIN, *args], capture_output=True, text=True, env=env,
                         timeout=120)
    assert res.returncode == rc, res.stderr
    return res


def test_a_long_chain_verifies_and_its_hashes_follow_the_documented_recipe(fresh_home):
    append(300)
    report = verify()
    assert report.intact and report.events == 300
    last = row(300)
    assert (report.head_seq, report.head_hash) == (300, last["hash"])
    assert row(1)["prev_hash"] == "0" * 64
    assert row(2)["prev_hash"] == row(1)["hash"]
    # anyone can recompute a hash without efile: SHA-256 over RFC 8785 JSON of the row's
    # content (time as UTC with microseconds) and prev_hash
    content = {k: v for k, v in last.items() if k != "hash"}
    content["at"] = audit.utc_iso(content["at"])
    content["format"] = 1
    assert hashlib.sha256(rfc8785.dumps(content)).hexdigest() == last["hash"]
    assert last["details"] == {"efile": "ABH-2026-000124", "type": None, "n": 299}
    fifth = row(5)
    assert fifth["details"] == {"copy": "original", "ratio": 0.25, "n": 4}  # JSON as given
    assert (fifth["break_glass_reason"], fifth["client"]) == ("Vorsprache, Akte gesperrt",
                                                              "10.20.30.7")


def test_a_rolled_back_change_takes_its_audit_event_with_it_and_leaves_no_gap(fresh_home):
    from efile.services.efiles import add_efile

    db = get_context().db
    append(2)
    with pytest.raises(RuntimeError), db.session() as s:
        add_efile(s, "ABH-2026-000999", surname="Nowak")  # a write first: the lock is held
        audit.record(s, CLERK, Action.CHANGE, object_type="efile", object_id="ABH-2026-000999")
        raise RuntimeError("the change failed after it was audited")
    with db.session() as s:
        ev = audit.record(s, CLERK, Action.CHANGE, object_type="efile", object_id="x")
    assert ev.seq == 3 and verify().intact


CHANGES = {
    "at": lambda v: v + timedelta(seconds=1),
    "user_name": lambda v: "sb.someone_else",
    "role": lambda v: "team_lead",
    "on_behalf_of": lambda v: "sb.keller",
    "break_glass_reason": lambda v: "",
    "action": lambda v: "audit.read",
    "object_type": lambda v: "efile",
    "object_id": lambda v: (v or "") + "0",
    "outcome": lambda v: "ok" if v != "ok" else "denied",
    "details": lambda v: {**v, "results": 0},
    "client": lambda v: "10.99.99.99",
    "prev_hash": lambda v: "f" * 64,
    "hash": lambda v: "0" * 64,
}


def test_a_change_to_any_field_names_that_row(fresh_home):
    append(12)
    assert set(CHANGES) | {"seq"} == set(TABLE.c.keys())  # every column is covered
    for column, change in CHANGES.items():
        original = row(8)[column]
        assert change(original) != original, column
        tamper(update(TABLE).where(TABLE.c.seq == 8).values({column: change(original)}))
        report = verify()
        assert not report.intact, column
        assert report.to_dict()["first_broken_seq"] == 8, (column, report.problems)
        kinds = {p.kind for p in report.problems if p.seq == 8}
        assert "hash" in kinds, column
        tamper(update(TABLE).where(TABLE.c.seq == 8).values({column: original}))
        assert verify().intact, column


def test_a_deleted_row_leaves_a_gap_named_once(fresh_home):
    append(20)
    tamper(delete(TABLE).where(TABLE.c.seq == 7))
    report = verify()
    assert [(p.seq, p.kind) for p in report.problems] == [(7, "gap")]
    assert report.problems[0].message == "seq 7 missing: rows were deleted"
    tamper(delete(TABLE).where(TABLE.c.seq.in_([1, 2])))
    assert [(p.seq, p.kind) for p in verify().problems] == [(1, "gap"), (7, "gap")]


def test_an_inserted_row_is_found_even_with_a_correct_hash_of_its_own(fresh_home):
    append(10)
    # make room at seq 5 (two steps: the primary key is checked row by row) and forge an event
    # whose hash and link are right: the row after it no longer fits
    tamper(update(TABLE).where(TABLE.c.seq >= 5).values(seq=-TABLE.c.seq - 1),
           update(TABLE).where(TABLE.c.seq < 0).values(seq=-TABLE.c.seq))
    forged = {**row(4), "seq": 5, "prev_hash": row(4)["hash"], "user_name": "nobody",
              "details": {"note": "forged"}}
    forged["hash"] = audit.event_hash(forged)
    tamper(insert(TABLE).values(forged))
    report = verify()
    assert report.events == 11
    assert report.to_dict()["first_broken_seq"] == 6
    assert {p.kind for p in report.problems if p.seq == 6} == {"link", "hash"}
    # one appended with a hash made up
    tamper(insert(TABLE).values({**row(11), "seq": 12, "prev_hash": row(11)["hash"],
                                 "hash": "ab" * 32}))
    assert [p.kind for p in verify().problems if p.seq == 12] == ["hash"]


def test_a_cut_off_tail_is_found_only_against_the_recorded_head(fresh_home):
    append(10)
    head = verify()
    anchor = (head.head_seq, head.head_hash)
    tamper(delete(TABLE).where(TABLE.c.seq >= 9))
    assert verify().intact  # a chain alone cannot tell: its rest is consistent
    report = verify(anchor)
    assert [(p.seq, p.kind) for p in report.problems] == [(9, "truncated")]
    append(3)  # the gap filled with new events: seq 10 exists again, with another hash
    assert [(p.seq, p.kind) for p in verify(anchor).problems] == [(10, "anchor")]


def test_a_recorded_head_must_be_seq_colon_sha256():
    assert audit.parse_head(f"42:{'AB' * 32}") == (42, "ab" * 32)
    for bad in ("42", f"0:{'ab' * 32}", "42:abc", f"x:{'ab' * 32}", f"42:{'zz' * 32}"):
        with pytest.raises(audit.InvalidQuery):
            audit.parse_head(bad)


WRITER = """
import sys, time
from pathlib import Path
from efile.context import get_context
from efile.services.audit import Actor, record
db = get_context().db
name, n, go = sys.argv[1], int(sys.argv[2]), Path(sys.argv[3])
Path(str(go) + "." + name).touch()
while not go.exists():
    time.sleep(0.005)
for i in range(n):
    with db.session() as s:
        record(s, Actor(name, "pipeline"), "document.change", object_type="document",
               object_id=f"{name}-{i}")
"""


def test_concurrent_processes_and_threads_keep_one_gapless_chain(fresh_home, tmp_path):
    get_context()  # the schema exists before the writers start
    go = tmp_path / "go"
    procs = [subprocess.Popen([sys.executable, "-c", WRITER, f"worker{k}", "40", str(go)])
             for k in range(3)]
    deadline = time.monotonic() + 60
    while not all(Path(f"{go}.worker{k}").exists() for k in range(3)):
        assert time.monotonic() < deadline and all(p.poll() is None for p in procs)
        time.sleep(0.02)

    db = get_context().db
    errors: list[BaseException] = []

    def api_worker(name: str) -> None:
        try:
            for i in range(25):
                with db.session() as s:
                    audit.record(s, Actor(name, "caseworker"), Action.READ,
                                 object_type="document", object_id=f"{name}-{i}")
        except BaseException as e:  # noqa: BLE001 - reported below
            errors.append(e)

    threads = [threading.Thread(target=api_worker, args=(f"api{k}",)) for k in range(4)]
    go.touch()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert [p.wait(timeout=120) for p in procs] == [0, 0, 0] and not errors

    report = verify()
    assert report.intact and report.events == 3 * 40 + 4 * 25 == report.head_seq
    with db.session() as s:
        users = s.execute(select(AuditEvent.user_name, AuditEvent.object_id)).all()
    by_user: dict[str, int] = {}
    for user, _ in users:
        by_user[user] = by_user.get(user, 0) + 1
    assert by_user == {**{f"worker{k}": 40 for k in range(3)}, **{f"api{k}": 25 for k in range(4)}}
    assert len({oid for _, oid in users}) == 220


@pytest.mark.skipif(BACKEND != "postgres-s3", reason="the append-only trigger is PostgreSQL's")
def test_postgres_refuses_update_delete_and_truncate(fresh_home):
    append(3)
    engine = get_context().db.engine
    for stmt in ("UPDATE audit_events SET user_name = 'x' WHERE seq = 2",
                 "DELETE FROM audit_events WHERE seq = 3", "TRUNCATE audit_events"):
        with pytest.raises(DBAPIError, match="audit_events is append-only"), engine.begin() as c:
            c.execute(text(stmt))
    assert verify().intact and verify().events == 3


def test_cli_verify_exit_codes_json_and_recorded_head(fresh_home):
    append(6)
    ok = json.loads(cli("audit", "verify", "--json").stdout)
    assert ok["intact"] and ok["events"] == 6 and ok["problems"] == []
    head = f"{ok['head']['seq']}:{ok['head']['hash']}"
    assert "audit log intact: 7 events · head 7:" in cli("audit", "verify").stdout  # audited
    cli("audit", "verify", "--expect-head", head)

    client = row(4)["client"]
    tamper(update(TABLE).where(TABLE.c.seq == 4).values(client="10.0.0.1"))
    res = cli("audit", "verify", "--json", rc=3)
    broken = json.loads(res.stdout)
    assert not broken["intact"] and broken["first_broken_seq"] == 4
    assert broken["problems"][0]["kind"] == "hash"
    assert res.stderr.strip() == ("efile: error: audit log broken at seq 4: hash mismatch: "
                                  "the row was changed after it was written")
    tamper(update(TABLE).where(TABLE.c.seq == 4).values(client=client))
    cli("audit", "verify")

    tamper(delete(TABLE).where(TABLE.c.seq >= 6))
    cli("audit", "verify", "--json")  # intact without the head; appends seq 6 again
    res = cli("audit", "verify", "--expect-head", head, rc=3)
    assert "audit log broken at seq 6: seq 6 differs from the recorded head" in res.stderr
    assert cli("audit", "verify", "--expect-head", "6:nothex", rc=2).stderr.startswith(
        "efile: error: expected head as SEQ:SHA256")


def test_cli_query_filters_and_is_itself_audited(fresh_home):
    append(30)
    events = json.loads(cli("audit", "query", "--user", "tl.brandt", "--json").stdout)
    assert events and {e["user"] for e in events} == {"tl.brandt"}
    assert all(e["break_glass_reason"] == "Vorsprache, Akte gesperrt" for e in events)
    assert [e["seq"] for e in events] == sorted((e["seq"] for e in events), reverse=True)

    denied = json.loads(cli("audit", "query", "--outcome", "denied", "--action", "document.read",
                            "--json").stdout)
    assert denied and all((e["outcome"], e["action"]) == ("denied", "document.read")
                          for e in denied)
    one = json.loads(cli("audit", "query", "--object", "77c10004", "--json").stdout)
    assert [e["seq"] for e in one] == [5]
    assert len(json.loads(cli("audit", "query", "--limit", "4", "--json").stdout)) == 4
    today = row(1)["at"].astimezone().date().isoformat()
    assert len(json.loads(cli("audit", "query", "--since", today, "--until", today,
                              "--action", "search", "--json").stdout)) == 5
    assert json.loads(cli("audit", "query", "--until", "2020-01-01", "--json").stdout) == []
    table = cli("audit", "query", "--break-glass", columns=200).stdout
    assert "! tl.brandt (team_lead)" in table
    assert "break-glass: Vorsprache, Akte gesperrt" in table

    reads = json.loads(cli("audit", "query", "--action", "audit.read", "--json").stdout)
    assert len(reads) == 7  # the queries before this one, which is recorded once it has read
    first = reads[-1]
    assert (first["user"], first["role"]) == ("dsb.roth", "dpo")
    assert first["details"] == {"filters": {"user": "tl.brandt"}, "results": len(events)}
    assert verify().intact


@pytest.fixture
def filed_document(fresh_home, tmp_path) -> str:
    from efile.samples.born_digital import write_text_pdf
    from efile.services.documents import DocumentDraft, PageRecord, file_document
    from efile.services.efiles import add_efile
    from storage.keys import archive_key, original_key

    pdf = write_text_pdf(tmp_path / "bescheid.pdf", [["Fiktionsbescheinigung",
                                                      "Frau Ayşe Demir, geboren 03.02.1990"]])
    data = pdf.read_bytes()
    digest = hashlib.sha256(data).hexdigest()
    ctx = get_context()
    doc_id = "c0ffee" + "0" * 26
    ctx.store.put(original_key(digest), data, write_once=True)
    ctx.store.put(archive_key(doc_id), data)
    with ctx.db.session() as s:
        add_efile(s, "ABH-2026-000321", surname="Demir", given_names="Ayşe")
        file_document(s, DocumentDraft(
            id=doc_id, title="Fiktionsbescheinigung", source="upload", source_name="bescheid.pdf",
            media_type="application/pdf", original_sha256=digest, original_key=original_key(digest),
            original_size=len(data), archive_sha256=digest, archive_key=archive_key(doc_id),
            archive_format="PDF", text_key=None, efile="ABH-2026-000321",
            pages=[PageRecord(1, "Fiktionsbescheinigung Frau Ayşe Demir", "born-digital")]))
    return doc_id


def test_cli_reads_are_recorded_with_who_what_and_outcome(filed_document, tmp_path):
    doc_id = filed_document
    found = json.loads(cli("search", "Demir", "Fiktionsbescheinigung", "--json",
                           user="sb.keller", role="caseworker").stdout)
    assert [h["document_id"] for h in found["hits"]] == [doc_id]
    for args, rc in (((("show", doc_id[:8], "--json"), 0)),
                     (("get", doc_id, "--original", "-o", str(tmp_path / "copy.pdf")), 0),
                     (("show", "deadbeef"), 4)):
        cli(*args, rc=rc, user="sb.keller", role="caseworker")

    with get_context().db.session() as s:
        events = [audit.event_dict(e) for e in reversed(audit.query(s, user="sb.keller"))]
    assert [(e["action"], e["object_id"], e["outcome"]) for e in events] == [
        ("search", None, "ok"),
        ("document.read", doc_id, "ok"),  # the full id, not the prefix typed
        ("document.download", doc_id, "ok"),
        ("document.read", "deadbeef", "not_found"),
    ]
    assert events[0]["details"] == {"query": "Demir Fiktionsbescheinigung", "limit": 20,
                                    "offset": 0, "results": 1, "documents": [doc_id]}
    assert events[2]["details"] == {"copy": "original",
                                    "bytes": (tmp_path / "copy.pdf").stat().st_size}
    assert events[3]["details"] == {"error": "no document deadbeef"}
    assert all(e["role"] == "caseworker" and e["client"].startswith("cli@")
               for e in events)
    assert verify().intact
