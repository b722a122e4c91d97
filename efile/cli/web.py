"""The web server and the accounts it signs in: serve, users."""

from __future__ import annotations

import sys

import click

from .base import _ctx, _print_json, handled, main, new_table, out


@main.command()
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=8000, show_default=True, type=int)
@click.option("--workers", default=1, show_default=True, type=int)
def serve(host: str, port: int, workers: int) -> None:
    """Run the REST API (/api, OpenAPI at /openapi.json) and the web UI."""
    import uvicorn

    _ctx()  # fail here, clearly, when the database or store is unreachable
    uvicorn.run("efile.web.app:create_app", factory=True, host=host, port=port,
                workers=workers, log_level="warning", proxy_headers=True)


@main.group()
def users() -> None:
    """Local accounts (the embedded default; with OpenID Connect the IdP signs people in)."""


def _read_password(password_stdin: bool) -> str:
    if password_stdin:
        return sys.stdin.readline().rstrip("\n")
    return click.prompt("Password", hide_input=True, confirmation_prompt=True)


@users.command("add")
@click.argument("username")
@click.option("--role", "roles", multiple=True, required=True, help="A role of the policy.")
@click.option("--team", "teams", multiple=True, help="A team of the policy (caseload).")
@click.option("--right", "rights", multiple=True, help="restricted | break_glass")
@click.option("--name", "display_name", default="", help="Full name shown in the UI.")
@click.option("--password-stdin", is_flag=True, help="Read the password from stdin.")
@click.option("--json", "as_json", is_flag=True)
@handled
def users_add(username: str, roles: tuple[str, ...], teams: tuple[str, ...],
              rights: tuple[str, ...], display_name: str, password_stdin: bool,
              as_json: bool) -> None:
    """Create a local account (password hashed with Argon2id)."""
    from ..access.accounts import add_user
    from ..access.policy import load

    password = _read_password(password_stdin)
    with _ctx().db.session() as s:
        u = add_user(s, load(), username, password=password, roles=list(roles),
                     teams=list(teams), rights=list(rights), display_name=display_name)
        info = {"username": u.username, "roles": u.roles, "teams": u.teams, "rights": u.rights}
    _print_json(info) if as_json else out.print(f"user {username} created")


@users.command("list")
@click.option("--json", "as_json", is_flag=True)
@handled
def users_list(as_json: bool) -> None:
    from sqlalchemy import select

    from ..access.models import User

    with _ctx().db.session() as s:
        rows = [{"username": u.username, "name": u.display_name, "roles": u.roles,
                 "teams": u.teams, "rights": u.rights, "deputy_for": u.deputy_for,
                 "active": u.active} for u in s.scalars(select(User).order_by(User.username))]
    if as_json:
        _print_json(rows)
        return
    t = new_table("user", "name", "roles", "teams", "rights", "active")
    for r in rows:
        t.add_row(r["username"], r["name"], ", ".join(r["roles"]), ", ".join(r["teams"]),
                  ", ".join(r["rights"]), "yes" if r["active"] else "no")
    out.print(t)


@users.command("token")
@click.argument("username")
@click.option("--label", default="cli")
@click.option("--days", default=90, show_default=True, type=int)
@handled
def users_token(username: str, label: str, days: int) -> None:
    """Issue an API token (shown once; only its hash is kept)."""
    from ..access.accounts import issue_token

    with _ctx().db.session() as s:
        token = issue_token(s, username, label=label, days=days)
    click.echo(token)


@users.command("deputy")
@click.argument("username")
@click.option("--for", "team", required=True, help="The team to stand in for.")
@click.option("--until", "until", required=True, help="Last day, YYYY-MM-DD.")
@handled
def users_deputy(username: str, team: str, until: str) -> None:
    """Let USERNAME stand in for TEAM until a date (a deputy reads that caseload)."""
    from datetime import date

    from ..access.accounts import get_user
    from ..access.policy import load
    from ..errors import InvalidQuery

    if team not in load().teams:
        raise InvalidQuery(f"unknown team {team}")
    try:
        date.fromisoformat(until)
    except ValueError:
        raise InvalidQuery(f"--until {until}: expected YYYY-MM-DD") from None
    with _ctx().db.session() as s:
        u = get_user(s, username)
        u.deputy_for = [d for d in u.deputy_for if d["team"] != team] + [
            {"team": team, "until": until}]
    out.print(f"{username} stands in for {team} until {until}")
