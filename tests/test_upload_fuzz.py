"""schemathesis against the upload endpoints' OpenAPI description: generated requests
(missing and odd fields, arbitrary file bytes, huge and empty values, unknown ids) never
make the server fail (no 5xx), as the portal's and an attacker's requests alike."""

from __future__ import annotations

import pytest
import schemathesis
from conftest import use_home
from hypothesis import HealthCheck, given, settings
from schemathesis.checks import not_a_server_error

from efile.access.accounts import add_user, issue_token
from efile.access.policy import load as load_policy
from efile.context import get_context
from efile.services.efiles import add_efile

TOKEN: dict[str, str] = {}


@pytest.fixture(scope="module")
def upload_api(tmp_path_factory):
    use_home(tmp_path_factory.mktemp("fuzz") / "home")
    with get_context().db.session() as s:
        add_efile(s, "ABH-2024-000101", surname="Albers", given_names="Karin")
        add_user(s, load_policy(), "portal", password=None, roles=["portal"])
        TOKEN["portal"] = issue_token(s, "portal")
    from efile.web.app import create_app

    return schemathesis.openapi.from_asgi("/openapi.json", create_app()).include(
        path_regex="^/api/uploads")


def test_uploads_never_answer_with_a_server_error(upload_api):
    headers = {"Authorization": f"Bearer {TOKEN['portal']}"}
    operations = [op.ok() for op in upload_api.get_all_operations()]
    assert {op.label for op in operations} == {"POST /api/uploads",
                                                "GET /api/uploads/{upload_id}"}
    seen: dict[str, set[int]] = {}
    for op in operations:
        @given(op.as_strategy())
        @settings(max_examples=60, deadline=None, database=None,
                  suppress_health_check=list(HealthCheck))
        def run(case) -> None:
            r = case.call_and_validate(headers=headers, checks=[not_a_server_error])
            seen.setdefault(case.operation.label, set()).add(r.status_code)

        run()
    # the generated requests reached the handlers, not only the request validation
    print(seen)
    assert seen["POST /api/uploads"] - {400}, seen
