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
    """Run the REST API (/api, OpenAPI at /openapi.json) and the web UI.

    X-Forwarded-For/-Proto are believed only from the addresses in EFILE_TRUSTED_PROXIES
    (comma-separated IPs or networks; default none): anyone else could forge the client
    address that sign-in throttling and the audit log rely on."""
    import os

    import uvicorn

    _ctx()  # fail here, clearly, when the database or store is unreachable
    trusted = trusted_proxies(os.environ.get("EFILE_TRUSTED_PROXIES", ""))
    uvicorn.run("efile.web.app:create_app", factory=True, host=host, port=port,
                workers=workers, log_level="warning", proxy_headers=bool(trusted),
                forwarded_allow_ips=",".join(trusted) if trusted else "")


def trusted_proxies(setting: str) -> list[str]:
    """The reverse proxies whose forwarded headers count; a malformed entry is refused
    (a typo must not silently trust everyone, nor no one)."""
    import ipaddress

    from ..errors import ConfigError

    out = []
    for entry in (x.strip() for x in setting.split(",")):
        if not entry:
            continue
        if entry == "*":
            raise ConfigError("EFILE_TRUSTED_PROXIES: '*' would trust every client; name the "
                              "proxy's address")
        try:
            ipaddress.ip_network(entry, strict=False)
        except ValueError:
            raise ConfigError(f"EFILE_TRUSTED_PROXIES: {entry!r} is not an IP address or "
                              "network") from None
        out.append(entry)
    return out


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
    from ..services.users import list_users

    with _ctx().db.session() as s:
        rows = [{"username": u.username, "name": u.display_name, "roles": u.roles,
                 "teams": u.teams, "rights": u.rights, "deputy_for": u.deputy_for,
                 "active": u.active} for u in list_users(s)]
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


@users.command("passwd")
@click.argument("username")
@click.option("--password-stdin", is_flag=True, help="Read the password from stdin.")
@handled
def users_passwd(username: str, password_stdin: bool) -> None:
    """Set a new password: every session and API token of the user ends."""
    from ..access.accounts import set_password

    password = _read_password(password_stdin)
    with _ctx().db.session() as s:
        set_password(s, username, password)
    out.print(f"password of {username} changed; their sessions and tokens have ended")


@users.command("deactivate")
@click.argument("username")
@click.option("--reactivate", is_flag=True, help="Open the account again.")
@handled
def users_deactivate(username: str, reactivate: bool) -> None:
    """Close an account: no sign-in, every session and token ends (history stays)."""
    from ..access.accounts import set_active

    with _ctx().db.session() as s:
        set_active(s, username, reactivate)
    out.print(f"{username} {'reactivated' if reactivate else 'deactivated'}")


@users.command("tokens")
@click.argument("username")
@click.option("--all", "show_all", is_flag=True, help="Revoked and expired ones too.")
@click.option("--json", "as_json", is_flag=True)
@handled
def users_tokens(username: str, show_all: bool, as_json: bool) -> None:
    """A user's API tokens: id, label, created, expires, last used (never the token)."""
    from ..access.accounts import get_user, token_dict
    from ..services.users import user_tokens

    with _ctx().db.session() as s:
        get_user(s, username)
        rows = [token_dict(t) for t in user_tokens(s, username, show_all=show_all)]
    if as_json:
        _print_json(rows)
        return
    t = new_table("id", "label", "created", "expires", "last used", "revoked")
    for r in rows:
        t.add_row(str(r["id"]), r["label"], r["created_at"][:16], r["expires_at"][:16],
                  (r["last_used_at"] or "never")[:16], (r["revoked_at"] or "")[:16])
    out.print(t)


@users.command("revoke")
@click.argument("username")
@click.option("--token", "token_id", type=int, help="The token's id (efile users tokens).")
@click.option("--all", "revoke_all", is_flag=True, help="Every token of the user.")
@handled
def users_revoke(username: str, token_id: int | None, revoke_all: bool) -> None:
    """Revoke one API token of USERNAME (--token ID) or all of them (--all)."""
    from ..access.accounts import revoke_tokens
    from ..errors import InvalidQuery

    if (token_id is None) == (not revoke_all):
        raise InvalidQuery("give --token ID or --all")
    with _ctx().db.session() as s:
        n = revoke_tokens(s, username, token_id)
    out.print(f"{n} token(s) of {username} revoked")


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
