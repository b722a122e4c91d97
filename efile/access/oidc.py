"""Sign-in through the city's identity provider: OpenID Connect, authorisation code flow.

The protocol is done by maintained libraries: the discovery document checked by Authlib's
OpenIDProviderMetadata (issuer and endpoints over https, loopback excepted), the authorisation
request with PKCE (S256) and the token exchange by Authlib, the ID token's signature by joserfc
against the provider's JWKS, its claims by Authlib's OpenID rules (iss, aud, azp, exp, iat,
nonce, at_hash). What this module adds is the office's part:

- every sign-in gets a fresh `state` (no sign-in started elsewhere can be completed here),
  `nonce` (the ID token answers this very request) and PKCE verifier (an intercepted code is
  worthless without it). The web layer keeps them in the browser that started the sign-in, in a
  short-lived cookie it uses once (efile.web.oidc).
- an ID token counts only when signed with an asymmetric algorithm the provider announces, by a
  key of its JWKS (fetched again once for an unknown key id: the provider rotated its keys),
  issued by the configured issuer for this client, unexpired (60 s for clock skew), and
  carrying our nonce. Anything else is refused with the reason logged, never shown.
- a person is found by the provider's `sub` alone (stable, while names change). Nobody is
  matched by user name: a provider account named like a local administrator must not take that
  account over. Roles, teams and rights follow the person's groups through the policy's
  [oidc.groups] at every sign-in, so a change at the provider takes effect at the next sign-in
  (and for open sessions at once, as they read the account on every request). A person in no
  mapped group is refused; one who had access before loses it. Changes are audited.
"""

from __future__ import annotations

import base64
import binascii
import json
import logging
import secrets
import threading
import time
from dataclasses import asdict, dataclass

import httpx
from authlib.integrations.httpx_client import OAuth2Client, OAuthError
from authlib.oauth2.rfc6749.parameters import prepare_grant_uri
from authlib.oauth2.rfc7636 import create_s256_code_challenge
from authlib.oidc.core import CodeIDToken
from authlib.oidc.discovery import OpenIDProviderMetadata, get_well_known_url
from joserfc import jwt
from joserfc.errors import InvalidKeyIdError, JoseError
from joserfc.jwk import KeySet
from sqlalchemy import select
from sqlalchemy.orm import Session

from ..config import Settings
from ..errors import ConfigError, EfileError, InvalidQuery
from ..models import utcnow
from ..services.audit import Actor, record
from . import accounts
from .models import LoginAttempt, User
from .policy import OidcMapping, Policy

log = logging.getLogger(__name__)

# asymmetric only: an HMAC-signed ID token would be keyed with the client secret, which more
# than the provider knows; "none" is never acceptable
ALGORITHMS = ("RS256", "RS384", "RS512", "PS256", "PS384", "PS512", "ES256", "ES384", "ES512",
              "EdDSA")
LEEWAY = 60  # seconds of clock skew between us and the provider
TIMEOUT = 10.0  # seconds for each call to the provider
METADATA_TTL = 3600  # discovery document and keys are fetched again after an hour
PENDING_TTL = 600  # a sign-in must come back from the provider within ten minutes

NO_GROUP = ("Ihr Konto beim Identitätsanbieter der Stadt ist keiner Aufgabe in der E-Akte "
            "zugeordnet. Wenn Sie Zugang benötigen, wenden Sie sich bitte an Ihre Teamleitung; "
            "die Administration ordnet Ihre Gruppe im Identitätsanbieter einer Rolle zu.")
DEACTIVATED = "Ihr Konto in der E-Akte ist gesperrt. Bitte wenden Sie sich an die Administration."
NAME_TAKEN = ("Der Benutzername {name} ist in der E-Akte bereits für ein anderes Konto vergeben. "
              "Bitte wenden Sie sich an die Administration.")
NO_NAME = ("Der Identitätsanbieter nennt keinen in der E-Akte verwendbaren Benutzernamen. "
           "Bitte wenden Sie sich an die Administration.")


class SignInFailed(EfileError):
    """The exchange with the identity provider failed or could not be trusted."""

    exit_code = 77  # EX_NOPERM
    http_status = 400


class ProviderUnreachable(SignInFailed):
    http_status = 502


# -- the client and its provider ---------------------------------------------------------------

@dataclass(frozen=True)
class Client:
    """This installation as a client of the identity provider (EFILE_OIDC_*)."""

    issuer: str
    client_id: str
    client_secret: str | None
    redirect_url: str | None


def client_from(settings: Settings) -> Client | None:
    """The configured client; None when OpenID Connect is not set up."""
    if not settings.oidc_issuer:
        return None
    if not settings.oidc_client_id:
        raise ConfigError("EFILE_OIDC_ISSUER is set, EFILE_OIDC_CLIENT_ID is not")
    return Client(settings.oidc_issuer, settings.oidc_client_id, settings.oidc_client_secret,
                  settings.oidc_redirect_url)


@dataclass
class Provider:
    metadata: OpenIDProviderMetadata
    fetched: float
    keys: KeySet | None = None

    def algorithms(self) -> list[str]:
        announced = self.metadata.get("id_token_signing_alg_values_supported") or []
        return [a for a in announced if a in ALGORITHMS]


_providers: dict[str, Provider] = {}
_lock = threading.Lock()


def _get_json(url: str, headers: dict[str, str] | None = None) -> dict:
    try:
        r = httpx.get(url, headers=headers, timeout=TIMEOUT, follow_redirects=False)
        r.raise_for_status()
        data = r.json()
    except (httpx.HTTPError, ValueError) as e:
        raise ProviderUnreachable(f"identity provider: GET {url}: {e}") from e
    if not isinstance(data, dict):
        raise SignInFailed(f"identity provider: GET {url}: not a JSON object")
    return data


def provider(issuer: str, *, refresh: bool = False) -> Provider:
    """The provider's discovery document, checked: it must name exactly the configured issuer
    (a document naming another would let that other issuer's tokens in)."""
    with _lock:
        cached = _providers.get(issuer)
    if cached and not refresh and time.monotonic() - cached.fetched < METADATA_TTL:
        return cached
    metadata = OpenIDProviderMetadata(_get_json(get_well_known_url(issuer, external=True)))
    if metadata.get("issuer") != issuer:
        raise SignInFailed(f"the discovery document names issuer {metadata.get('issuer')!r}, "
                           f"not {issuer!r}")
    try:
        metadata.validate()
    except ValueError as e:  # Authlib's metadata errors are ValueErrors
        raise SignInFailed(f"the discovery document of {issuer} is not acceptable: {e}") from e
    p = Provider(metadata, time.monotonic())
    with _lock:
        _providers[issuer] = p
    return p


def _keys(p: Provider, *, refresh: bool = False) -> KeySet:
    if p.keys is None or refresh:
        try:
            p.keys = KeySet.import_key_set(_get_json(p.metadata["jwks_uri"]))
        except (JoseError, ValueError, KeyError, TypeError) as e:
            raise SignInFailed(f"the provider's JWKS cannot be read: {e}") from e
    return p.keys


# -- one sign-in ---------------------------------------------------------------------------------

@dataclass(frozen=True)
class Pending:
    """One sign-in on its way through the provider, kept by the browser that started it."""

    state: str
    nonce: str
    verifier: str
    weiter: str  # where the person wanted to go
    started: float

    def dump(self) -> str:
        return base64.urlsafe_b64encode(json.dumps(asdict(self)).encode()).decode()

    @classmethod
    def load(cls, raw: str) -> Pending | None:
        """None for anything that is not a sign-in of ours started less than ten minutes ago."""
        try:
            data = json.loads(base64.urlsafe_b64decode(raw.encode()))
            p = cls(**{k: data[k] for k in ("state", "nonce", "verifier", "weiter")},
                    started=float(data["started"]))
        except (ValueError, TypeError, KeyError, binascii.Error):
            return None
        if not all(isinstance(v, str) and v for v in (p.state, p.nonce, p.verifier, p.weiter)):
            return None
        return p if 0 <= time.time() - p.started <= PENDING_TTL else None


def begin(client: Client, mapping: OidcMapping, *, redirect_url: str,
          weiter: str) -> tuple[str, Pending]:
    """The provider's authorisation URL to send the browser to, and what to keep until it
    comes back."""
    p = provider(client.issuer)
    pending = Pending(secrets.token_urlsafe(32), secrets.token_urlsafe(32),
                      secrets.token_urlsafe(48), weiter, time.time())
    url = prepare_grant_uri(
        p.metadata["authorization_endpoint"], client.client_id, "code",
        redirect_uri=redirect_url, scope=" ".join(mapping.scopes), state=pending.state,
        nonce=pending.nonce, code_challenge=create_s256_code_challenge(pending.verifier),
        code_challenge_method="S256")
    return url, pending


def _auth_method(p: Provider, client: Client) -> str:
    if not client.client_secret:
        return "none"  # a public client: PKCE alone protects the code
    offered = p.metadata.get("token_endpoint_auth_methods_supported") or ["client_secret_basic"]
    for method in ("client_secret_basic", "client_secret_post"):
        if method in offered:
            return method
    raise ConfigError(f"the identity provider offers {offered} to authenticate clients; "
                      "efile speaks client_secret_basic and client_secret_post")


def finish(client: Client, mapping: OidcMapping, pending: Pending, *, code: str,
           redirect_url: str) -> dict:
    """Exchange the code for tokens and return the ID token's claims once they hold; the
    groups claim is taken from the userinfo endpoint when the ID token lacks it."""
    p = provider(client.issuer)
    try:
        with OAuth2Client(client.client_id, client.client_secret,
                          token_endpoint_auth_method=_auth_method(p, client),
                          redirect_uri=redirect_url, timeout=TIMEOUT) as oc:
            token = oc.fetch_token(p.metadata["token_endpoint"], grant_type="authorization_code",
                                   code=code, code_verifier=pending.verifier)
    except OAuthError as e:
        raise SignInFailed(f"the token endpoint refused the code: {e.error} "
                           f"{e.description or ''}".strip()) from e
    except (httpx.HTTPError, ValueError) as e:
        raise ProviderUnreachable(f"token endpoint: {e}") from e
    if not isinstance(token.get("id_token"), str):
        raise SignInFailed("the token response carries no ID token")
    claims = id_token_claims(client, p, token["id_token"], nonce=pending.nonce,
                             access_token=token.get("access_token"))
    return _with_userinfo(claims, mapping, p, token.get("access_token"))


def id_token_claims(client: Client, p: Provider, raw: str, *, nonce: str,
                    access_token: str | None) -> dict:
    algorithms = p.algorithms()
    if not algorithms:
        raise SignInFailed("the provider announces no signing algorithm efile accepts "
                           f"({', '.join(ALGORITHMS)})")
    try:
        try:
            token = jwt.decode(raw, _keys(p), algorithms=algorithms)
        except InvalidKeyIdError:  # keys rotated since we fetched them
            token = jwt.decode(raw, _keys(p, refresh=True), algorithms=algorithms)
        claims = CodeIDToken(
            token.claims, token.header,
            {"iss": {"essential": True, "value": client.issuer},
             "aud": {"essential": True, "value": client.client_id},
             "sub": {"essential": True}, "nonce": {"essential": True}},
            {"nonce": nonce, "client_id": client.client_id, "access_token": access_token})
        claims.validate(leeway=LEEWAY)
    except (JoseError, ValueError, TypeError) as e:
        raise SignInFailed(f"ID token rejected: {type(e).__name__}: {e}") from e
    return dict(claims)


def _claim(claims: dict, name: str) -> object:
    """A claim by name, or by a dotted path into nested claims (Keycloak: realm_access.roles);
    the whole name first, since claim names may themselves hold dots (URLs)."""
    if name in claims:
        return claims[name]
    value: object = claims
    for part in name.split("."):
        if not isinstance(value, dict) or part not in value:
            return None
        value = value[part]
    return value


def _with_userinfo(claims: dict, mapping: OidcMapping, p: Provider,
                   access_token: str | None) -> dict:
    # some providers put groups only into the userinfo answer, not into the ID token
    endpoint = p.metadata.get("userinfo_endpoint")
    if _claim(claims, mapping.roles_claim) is not None or not endpoint or not access_token:
        return claims
    info = _get_json(endpoint, headers={"Authorization": f"Bearer {access_token}"})
    if info.get("sub") != claims["sub"]:  # OpenID Connect Core 5.3.2
        raise SignInFailed("the userinfo answer is about another subject")
    value = _claim(info, mapping.roles_claim)
    return {**claims, mapping.roles_claim: value} if value is not None else claims


def groups_of(claims: dict, mapping: OidcMapping) -> list[str]:
    value = _claim(claims, mapping.roles_claim)
    if isinstance(value, str):
        return [value]
    return [v for v in value if isinstance(v, str)] if isinstance(value, list) else []


# -- the person ----------------------------------------------------------------------------------

@dataclass
class Decision:
    """The outcome of a sign-in: a user and their new session, or a refusal for the person."""

    user: User | None = None
    session_id: str | None = None
    refusal: str | None = None  # German, shown to the person


def _username(claims: dict, mapping: OidcMapping) -> str | None:
    value = claims.get(mapping.username_claim) or claims.get("email")
    if not isinstance(value, str) or not value.strip():
        return None
    return value.strip().lower().split("@", 1)[0]


def _display_name(claims: dict, fallback: str) -> str:
    name = claims.get("name") or " ".join(
        str(claims[k]) for k in ("given_name", "family_name") if claims.get(k))
    return (str(name).strip() or fallback)[:200]


def _grants(user: User | None) -> dict | None:
    return None if user is None else {"roles": list(user.roles), "teams": list(user.teams),
                                      "rights": list(user.rights)}


def sign_in(session: Session, policy: Policy, claims: dict, *, issuer: str,
            client: str | None) -> Decision:
    """Find or create the person's account from validated claims, bring its roles, teams and
    rights in line with their groups, and start a web session when they grant a role."""
    mapping = policy.oidc
    grant, mapped = mapping.grant(groups_of(claims, mapping))
    sub = str(claims["sub"])
    user = session.scalar(select(User).where(User.oidc_subject == sub))
    before = _grants(user)
    if user is None:
        if not grant.roles:
            log.warning("OIDC sign-in refused: subject %s is in no mapped group", sub)
            return Decision(refusal=NO_GROUP)
        name = _username(claims, mapping)
        if name is None:
            return Decision(refusal=NO_NAME)
        if session.get(User, name) is not None:
            log.warning("OIDC sign-in refused: subject %s would be user %s, which exists", sub,
                        name)
            return Decision(refusal=NAME_TAKEN.format(name=name))
        try:
            user = accounts.add_user(session, policy, name, password=None,
                                     roles=list(grant.roles), teams=list(grant.teams),
                                     rights=list(grant.rights), oidc_subject=sub,
                                     display_name=_display_name(claims, name))
        except InvalidQuery:
            log.warning("OIDC sign-in refused: subject %s: unusable user name %r", sub, name)
            return Decision(refusal=NO_NAME)
    else:
        user.roles, user.teams, user.rights = (list(grant.roles), list(grant.teams),
                                               list(grant.rights))
        user.display_name = _display_name(claims, user.display_name or user.username)
    decision = Decision(user=user)
    if not user.active:
        decision.refusal = DEACTIVATED
    elif not grant.roles:
        log.warning("OIDC sign-in refused: user %s is in no mapped group any more", user.username)
        decision.refusal = NO_GROUP
    else:
        decision.session_id, _csrf = accounts.start_session(session, user, client=client)
        user.last_login = utcnow()
        session.add(LoginAttempt(username=user.username, client=client, ok=True))
    after = _grants(user)
    if after != before:  # recorded last: it holds the audit chain's lock until the commit
        record(session, Actor(user=user.username, role=",".join(user.roles) or "none",
                              client=client),
               "access.grants", object_type="user", object_id=user.username,
               details={"source": "oidc", "issuer": issuer, "groups": mapped,
                        "before": before, "after": after})
    return decision
