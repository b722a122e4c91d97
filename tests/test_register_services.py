"""The register's read services that web, CLI and pipelines use instead of their own queries
(efile/services is the only way into the database)."""

from sqlalchemy import true

from efile.context import get_context
from efile.models import EFile
from efile.services.efiles import (
    add_efile,
    aktenzeichen_by_id,
    display_names,
    efile_by_aktenzeichen,
    efile_readable,
    list_efiles,
    team_of,
)
from efile.services.figures import operator_figures
from efile.services.inbox import count_waiting, last_assignment
from efile.services.uploads import upload_by_key


def test_efile_by_aktenzeichen_is_exact(fresh_home):
    with get_context().db.session() as s:
        add_efile(s, "ABH-7", surname="Müller", given_names="Anna", team="T1")
    with get_context().db.session() as s:
        assert efile_by_aktenzeichen(s, "ABH-7").person.surname == "Müller"
        assert efile_by_aktenzeichen(s, " ABH-7") is None  # the caller strips
        assert efile_by_aktenzeichen(s, "ABH-8") is None
        assert team_of(s, "ABH-7") == "T1"
        assert team_of(s, "ABH-8") is None


def test_register_lists_filter_by_name_limit_and_access(fresh_home):
    with get_context().db.session() as s:
        for az, surname in [("ABH-2", "Öztürk"), ("ABH-1", "Müller"), ("ABH-3", "Oeztuerk")]:
            add_efile(s, az, surname=surname)
    with get_context().db.session() as s:
        assert [e.aktenzeichen for e in list_efiles(s)] == ["ABH-1", "ABH-2", "ABH-3"]
        assert [e.aktenzeichen for e in list_efiles(s, name="oeztuerk")] == ["ABH-2", "ABH-3"]
        assert [e.aktenzeichen for e in list_efiles(s, limit=1)] == ["ABH-1"]
        none = EFile.id.is_(None)
        assert list_efiles(s, allowed=none) == []
        by_id = aktenzeichen_by_id(s)
        assert sorted(by_id.values()) == ["ABH-1", "ABH-2", "ABH-3"]
        first = next(i for i, az in by_id.items() if az == "ABH-1")
        assert efile_readable(s, first, true()) and not efile_readable(s, first, none)
        assert display_names(s, {"ABH-1", "ABH-9"}, true()) == {
            "ABH-1": efile_by_aktenzeichen(s, "ABH-1").person.display_name}
        assert display_names(s, {"ABH-1"}, none) == {}


def test_empty_register_reads(fresh_home):
    with get_context().db.session() as s:
        assert count_waiting(s) == 0
        assert last_assignment(s, "nodoc", "someone") is None
        assert upload_by_key(s, "portal", "key-1") is None
        figures = operator_figures(s)
        assert {k: figures[k] for k in ("documents", "inbox_open", "batches")} == {
            "documents": {}, "inbox_open": 0, "batches": {}}
        assert figures["failed_files"] == {"last_24h": {}, "last_7d": {}}
        assert figures["inbox_oldest_hours"] is None
