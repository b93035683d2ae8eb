"""Hostile JWTs against the live server: forged, confused, stale, mistyped or misplaced tokens are
all 401 problem+json with the documented code (docs/error-codes.md), never a 2xx and never a 5xx.

Tokens signed with the server's real key (a fixed BATON_SECRET_KEY in tests/conftest.py) check
that every claim is verified, not only the signature; those signed otherwise check that the
algorithm is pinned."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import os
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor

import httpx
import jwt
import pytest

from tests.conftest import ADMIN_PASSWORD, USER_PASSWORD, LiveServer, assert_problem

# HS384/HS512 tokens are signed with the 46-byte test key on purpose (to be refused)
# token checks happen before any query: the same on every database (tox runs them on SQLite)
pytestmark = [
    pytest.mark.filterwarnings("ignore::jwt.warnings.InsecureKeyLengthWarning"),
    pytest.mark.http_layer,
]

ME = "/api/v1/auth/me"
REFRESH = "/api/v1/auth/refresh"
TOKEN = "/api/v1/auth/token"
LOGOUT = "/api/v1/auth/logout"
JOBS = "/api/v1/jobs"
ATTACKER_KEY = "attacker-chosen-key-that-is-long-enough-0123456789"
REQUIRED_CLAIMS = ("exp", "iat", "nbf", "iss", "aud", "sub", "jti", "sid")
# a revoked or unknown session: the server may tell either (both are 401 and documented)
SESSION_CODES = {"SESSION_REVOKED", "INVALID_TOKEN"}


def b64(raw: bytes) -> str:
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode()


def b64json(data: object) -> str:
    return b64(json.dumps(data).encode())


def claims_of(token: str) -> dict:
    return jwt.decode(token, options={"verify_signature": False})


def hand_made(header: dict, claims: dict, key: str | None = None, signature: bytes = b"") -> str:
    """A JWT assembled by hand, HMAC-SHA256-signed with `key` whatever its header says."""
    signing_input = f"{b64json(header)}.{b64json(claims)}"
    if key is not None:
        signature = hmac.new(key.encode(), signing_input.encode(), hashlib.sha256).digest()
    return f"{signing_input}.{b64(signature)}"


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def assert_401(response: httpx.Response, codes: set[str] | str) -> dict:
    codes = {codes} if isinstance(codes, str) else codes
    body = assert_problem(response, 401)
    assert body["code"] in codes, body
    assert response.headers["www-authenticate"].startswith("Bearer")
    return body


@pytest.fixture
def pair(server: LiveServer) -> dict:
    """A fresh admin session, so tests that end sessions do not disturb each other."""
    return server.login("admin", ADMIN_PASSWORD)


def forged_access_tokens(server: LiveServer, pair: dict) -> dict[str, tuple[str, set[str] | str]]:
    """name -> (token, the 401 codes it must get)."""
    key = server.settings.secret_key
    real = pair["access_token"]
    claims = claims_of(real)
    header, payload, signature = real.split(".")
    now = int(time.time())

    def signed(**changes: object) -> str:
        merged = {k: v for k, v in {**claims, **changes}.items() if v is not None}
        return jwt.encode(merged, key, algorithm="HS256")

    def without(claim: str) -> str:
        return jwt.encode({k: v for k, v in claims.items() if k != claim}, key, algorithm="HS256")

    cases: dict[str, tuple[str, set[str] | str]] = {
        # "none" in every spelling, with and without the original signature
        "alg-none": (hand_made({"alg": "none", "typ": "JWT"}, claims), "INVALID_TOKEN"),
        "alg-None": (hand_made({"alg": "None", "typ": "JWT"}, claims), "INVALID_TOKEN"),
        "alg-NONE": (hand_made({"alg": "NONE", "typ": "JWT"}, claims), "INVALID_TOKEN"),
        "alg-none-keeps-signature": (f"{b64json({'alg': 'none'})}.{payload}.{signature}", "INVALID_TOKEN"),
        "alg-missing": (hand_made({"typ": "JWT"}, claims, key), "INVALID_TOKEN"),
        # algorithm confusion: the right key under another algorithm, or another key under HS256
        "hs256-attacker-key": (jwt.encode(claims, ATTACKER_KEY, algorithm="HS256"), "INVALID_TOKEN"),
        "hs256-empty-key": (hand_made({"alg": "HS256", "typ": "JWT"}, claims, ""), "INVALID_TOKEN"),
        "hs384-real-key": (jwt.encode(claims, key, algorithm="HS384"), "INVALID_TOKEN"),
        "hs512-real-key": (jwt.encode(claims, key, algorithm="HS512"), "INVALID_TOKEN"),
        "rs256-header-random-signature": (
            hand_made({"alg": "RS256", "typ": "JWT"}, claims, signature=os.urandom(256)),
            "INVALID_TOKEN",
        ),
        "rs256-header-hmac-with-real-key": (
            hand_made({"alg": "RS256", "typ": "JWT"}, claims, key),
            "INVALID_TOKEN",
        ),
        "es256-header": (hand_made({"alg": "ES256"}, claims, signature=os.urandom(64)), "INVALID_TOKEN"),
        # keys offered by the token itself must never be used
        "embedded-jwk": (
            jwt.encode(
                claims,
                ATTACKER_KEY,
                algorithm="HS256",
                headers={"jwk": {"kty": "oct", "k": b64(ATTACKER_KEY.encode())}},
            ),
            "INVALID_TOKEN",
        ),
        "jku-header": (
            jwt.encode(claims, ATTACKER_KEY, algorithm="HS256", headers={"jku": "http://127.0.0.1:1/k"}),
            "INVALID_TOKEN",
        ),
        "kid-path-traversal": (
            hand_made({"alg": "HS256", "kid": "../../../../../../dev/null"}, claims, ""),
            "INVALID_TOKEN",
        ),
        "kid-sql-injection": (
            hand_made({"alg": "HS256", "kid": "x' UNION SELECT 'k"}, claims, "k"),
            "INVALID_TOKEN",
        ),
        # tampering
        "payload-swapped-keeps-signature": (
            f"{header}.{b64json({**claims, 'sub': 'someone-else'})}.{signature}",
            "INVALID_TOKEN",
        ),
        "signature-stripped": (f"{header}.{payload}.", "INVALID_TOKEN"),
        "signature-of-other-token": (f"{header}.{payload}.{b64(os.urandom(32))}", "INVALID_TOKEN"),
        # time
        "expired-an-hour-ago": (signed(exp=now - 3600, iat=now - 7200, nbf=now - 7200), "TOKEN_EXPIRED"),
        "expired-beyond-leeway": (signed(exp=now - 60), "TOKEN_EXPIRED"),
        "not-yet-valid": (signed(nbf=now + 3600), "INVALID_TOKEN"),
        # whom the token is for and who made it
        "wrong-audience": (signed(aud="someone-else"), "INVALID_TOKEN"),
        "refresh-audience": (signed(aud="baton:refresh"), "INVALID_TOKEN"),
        "audience-list-without-access": (signed(aud=["baton:refresh", "other"]), "INVALID_TOKEN"),
        "wrong-issuer": (signed(iss="evil"), "INVALID_TOKEN"),
        "issuer-case": (signed(iss="Baton"), "INVALID_TOKEN"),
        # the session must exist, be live and belong to the token's subject
        "unknown-session": (signed(sid="00000000-0000-7000-8000-000000000000"), SESSION_CODES),
        "other-subject-same-session": (signed(sub="00000000-0000-7000-8000-000000000001"), SESSION_CODES),
        # claims of the wrong JSON type, signed with the real key: still 401, never 5xx
        "exp-as-past-string": (signed(exp=str(now - 3600)), {"TOKEN_EXPIRED", "INVALID_TOKEN"}),
        "exp-as-word": (signed(exp="tomorrow"), "INVALID_TOKEN"),
        "exp-as-float-nan": (signed(exp=float("nan")), "INVALID_TOKEN"),
        "sid-as-object": (signed(sid={"$ne": None}), SESSION_CODES),
        "sid-as-list": (signed(sid=[claims["sid"]]), SESSION_CODES),
        "sid-as-number": (signed(sid=12345), SESSION_CODES),
        "sub-as-list": (signed(sub=[claims["sub"]]), SESSION_CODES),
        # garbage
        "one-segment": ("abc", "INVALID_TOKEN"),
        "two-segments": (f"{header}.{payload}", "INVALID_TOKEN"),
        "empty-segments": ("..", "INVALID_TOKEN"),
        "five-segments-jwe-shape": (f"{header}.{payload}.{signature}.AAAA.BBBB", "INVALID_TOKEN"),
        "header-not-json": (f"{b64(b'not json')}.{payload}.{signature}", "INVALID_TOKEN"),
        "header-json-list": (f"{b64json(['alg', 'HS256'])}.{payload}.{signature}", "INVALID_TOKEN"),
        "payload-json-list": (hand_made({"alg": "HS256"}, [1, 2, 3], key), "INVALID_TOKEN"),  # type: ignore[arg-type]
        "not-base64": ("%%%.***.!!!", "INVALID_TOKEN"),
        "eight-kib": ("a" * 8192, "INVALID_TOKEN"),
    }
    for claim in REQUIRED_CLAIMS:
        cases[f"missing-{claim}"] = (without(claim), "INVALID_TOKEN")
    return cases


CASE_NAMES = [
    *(
        "alg-none alg-None alg-NONE alg-none-keeps-signature alg-missing hs256-attacker-key "
        "hs256-empty-key hs384-real-key hs512-real-key rs256-header-random-signature "
        "rs256-header-hmac-with-real-key es256-header embedded-jwk jku-header kid-path-traversal "
        "kid-sql-injection payload-swapped-keeps-signature signature-stripped signature-of-other-token "
        "expired-an-hour-ago expired-beyond-leeway not-yet-valid wrong-audience refresh-audience "
        "audience-list-without-access wrong-issuer issuer-case unknown-session other-subject-same-session "
        "exp-as-past-string exp-as-word exp-as-float-nan sid-as-object sid-as-list sid-as-number "
        "sub-as-list one-segment two-segments "
        "empty-segments five-segments-jwe-shape header-not-json header-json-list payload-json-list "
        "not-base64 eight-kib"
    ).split(),
    *(f"missing-{claim}" for claim in REQUIRED_CLAIMS),
]


# Forging a token with mistyped claims needs the signing key, so these are defence in depth;
# still, the contract is "never a 5xx" (`sid` as an object was a 500: it reached the session query).
def test_every_case_is_listed(server: LiveServer, pair: dict) -> None:
    # the parametrization below is by name; a case added to the dict must be tested too
    assert sorted(forged_access_tokens(server, pair)) == sorted(CASE_NAMES)


@pytest.mark.parametrize("case", CASE_NAMES)
def test_forged_access_token_is_401(server: LiveServer, pair: dict, case: str) -> None:
    token, codes = forged_access_tokens(server, pair)[case]
    # a read and a write: neither may succeed, and the write must not happen
    assert_401(httpx.get(f"{server.url}{ME}", headers=bearer(token)), codes)
    name = f"forged-{case}-{time.monotonic_ns()}"
    write = httpx.post(f"{server.url}{JOBS}", headers=bearer(token), json={"name": name, "command": ["true"]})
    assert_401(write, codes)
    listed = httpx.get(f"{server.url}{JOBS}", params={"name": name}, headers=bearer(pair["access_token"]))
    assert listed.status_code == 200 and listed.json()["data"] == []


def test_the_genuine_token_passes(server: LiveServer, pair: dict) -> None:
    # the control for the cases above: they fail because of what was changed, not the harness
    assert httpx.get(f"{server.url}{ME}", headers=bearer(pair["access_token"])).status_code == 200
    resigned = jwt.encode(claims_of(pair["access_token"]), server.settings.secret_key, algorithm="HS256")
    assert httpx.get(f"{server.url}{ME}", headers=bearer(resigned)).status_code == 200


# -- the Authorization header itself -----------------------------------------------------------


@pytest.mark.parametrize(
    "value",
    [
        b"Bearer",
        b"Basic YWRtaW46YWRtaW4tdGVzdC1wYXNzd29yZA==",
        b"Digest username=admin",
        b"Token abc",
        b"Bearer \xff\xfe\xfd",
        b"Bearer \xc3\xa9t\xc3\xa9",
        b"\xff\xfe",
        b"Bearer a\tb",
        b"Bearer " + b"A" * 8000,
    ],
    ids=lambda v: v[:24].decode("latin-1"),
)
def test_malformed_authorization_header_is_401(server: LiveServer, value: bytes) -> None:
    response = httpx.get(f"{server.url}{JOBS}", headers=[(b"Authorization", value)])
    assert_401(response, {"UNAUTHORIZED", "INVALID_TOKEN"})


def test_a_valid_token_among_junk_is_not_accepted(server: LiveServer, pair: dict) -> None:
    token = pair["access_token"]
    for value in (f"Basic {token}", f"Bearer {token} extra", f"Bearer {token}x", f"{token}"):
        response = httpx.get(f"{server.url}{ME}", headers={"Authorization": value})
        assert_401(response, {"UNAUTHORIZED", "INVALID_TOKEN"})


def test_oversized_authorization_header_is_refused_without_5xx(server: LiveServer) -> None:
    # beyond what the HTTP server buffers for a header block: refused before the app, but refused
    try:
        response = httpx.get(f"{server.url}{JOBS}", headers={"Authorization": "Bearer " + "A" * 200_000})
    except httpx.RemoteProtocolError:
        response = None  # the connection was closed on us: also a refusal
    if response is not None:
        assert 400 <= response.status_code < 500, response.text[:200]
    assert httpx.get(f"{server.url}/health").status_code == 200


def test_token_outside_the_authorization_header_is_ignored(server: LiveServer, pair: dict) -> None:
    token = pair["access_token"]
    in_query = httpx.get(f"{server.url}{ME}", params={"access_token": token})
    assert in_query.status_code in {400, 401}, in_query.text
    assert_problem(in_query, in_query.status_code)
    in_cookie = httpx.get(f"{server.url}{ME}", cookies={"access_token": token, "Authorization": token})
    assert_401(in_cookie, "UNAUTHORIZED")
    # X-API-Key takes API keys only: a JWT there is just an invalid key
    in_api_key = httpx.get(f"{server.url}{ME}", headers={"X-API-Key": token})
    assert_401(in_api_key, "INVALID_API_KEY")


# -- refresh tokens ----------------------------------------------------------------------------


def refresh(server: LiveServer, token: str) -> httpx.Response:
    return httpx.post(f"{server.url}{REFRESH}", json={"refresh_token": token})


def refresh_grant(server: LiveServer, token: str) -> httpx.Response:
    return httpx.post(f"{server.url}{TOKEN}", data={"grant_type": "refresh_token", "refresh_token": token})


REFRESHERS: dict[str, Callable[[LiveServer, str], httpx.Response]] = {
    "refresh-endpoint": refresh,
    "token-endpoint": refresh_grant,
}


@pytest.mark.parametrize("via", REFRESHERS)
def test_token_kinds_are_not_interchangeable(server: LiveServer, pair: dict, via: str) -> None:
    assert_401(httpx.get(f"{server.url}{ME}", headers=bearer(pair["refresh_token"])), "INVALID_TOKEN")
    write = httpx.post(
        f"{server.url}{JOBS}", headers=bearer(pair["refresh_token"]), json={"command": ["true"]}
    )
    assert_401(write, "INVALID_TOKEN")
    assert_401(REFRESHERS[via](server, pair["access_token"]), "INVALID_TOKEN")
    # the session survived the attempts: they were refused, not taken as a theft
    assert REFRESHERS[via](server, pair["refresh_token"]).status_code == 200


@pytest.mark.parametrize("via", REFRESHERS)
def test_forged_refresh_tokens_are_401(server: LiveServer, pair: dict, via: str) -> None:
    key = server.settings.secret_key
    claims = claims_of(pair["refresh_token"])
    now = int(time.time())
    cases = {
        "alg-none": (hand_made({"alg": "none"}, claims), "INVALID_TOKEN"),
        "attacker-key": (jwt.encode(claims, ATTACKER_KEY, algorithm="HS256"), "INVALID_TOKEN"),
        "hs512-real-key": (jwt.encode(claims, key, algorithm="HS512"), "INVALID_TOKEN"),
        "expired": (jwt.encode({**claims, "exp": now - 3600}, key, algorithm="HS256"), "TOKEN_EXPIRED"),
        "wrong-issuer": (jwt.encode({**claims, "iss": "evil"}, key, algorithm="HS256"), "INVALID_TOKEN"),
        "garbage": ("x.y.z", "INVALID_TOKEN"),
    }
    for name, (token, code) in cases.items():
        response = REFRESHERS[via](server, token)
        assert response.status_code == 401, f"{name}: {response.status_code} {response.text}"
        assert_401(response, code)
    # none of them was mistaken for a reuse of the real one
    assert REFRESHERS[via](server, pair["refresh_token"]).status_code == 200


@pytest.mark.parametrize("via", REFRESHERS)
def test_refresh_token_reuse_revokes_the_session(server: LiveServer, pair: dict, via: str) -> None:
    first = pair
    rotated = REFRESHERS[via](server, first["refresh_token"])
    assert rotated.status_code == 200, rotated.text
    second = rotated.json()
    assert httpx.get(f"{server.url}{ME}", headers=bearer(second["access_token"])).status_code == 200

    assert_401(REFRESHERS[via](server, first["refresh_token"]), "REFRESH_TOKEN_REUSED")
    # every token of the session is dead: the old and new access tokens, the new refresh token
    for token in (first["access_token"], second["access_token"]):
        assert_401(httpx.get(f"{server.url}{ME}", headers=bearer(token)), "SESSION_REVOKED")
        write = httpx.post(f"{server.url}{JOBS}", headers=bearer(token), json={"command": ["true"]})
        assert_401(write, "SESSION_REVOKED")
    assert_401(REFRESHERS[via](server, second["refresh_token"]), "SESSION_REVOKED")
    # other sessions of the same user are untouched
    assert httpx.get(f"{server.url}{ME}", headers=bearer(server.token("admin"))).status_code == 200


def test_concurrent_use_of_one_refresh_token_rotates_once(server: LiveServer, pair: dict) -> None:
    # a stolen refresh token raced against its owner: at most one request may get a new pair
    with ThreadPoolExecutor(8) as pool:
        responses = list(pool.map(lambda _: refresh(server, pair["refresh_token"]), range(8)))
    statuses = sorted(r.status_code for r in responses)
    assert statuses.count(200) <= 1, statuses
    assert all(s in {200, 401} for s in statuses), statuses
    for response in responses:
        if response.status_code == 401:
            assert_401(response, {"REFRESH_TOKEN_REUSED", "SESSION_REVOKED"})
    # two uses of one token happened, so the session is revoked, including the pair that won
    winners = [r.json() for r in responses if r.status_code == 200]
    for won in winners:
        assert_401(httpx.get(f"{server.url}{ME}", headers=bearer(won["access_token"])), "SESSION_REVOKED")


def test_logout_then_reuse_is_401(server: LiveServer, pair: dict) -> None:
    out = httpx.post(f"{server.url}{LOGOUT}", headers=bearer(pair["access_token"]))
    assert out.status_code == 204
    assert_401(httpx.get(f"{server.url}{ME}", headers=bearer(pair["access_token"])), "SESSION_REVOKED")
    assert_401(httpx.post(f"{server.url}{LOGOUT}", headers=bearer(pair["access_token"])), "SESSION_REVOKED")
    for via in REFRESHERS.values():
        assert_401(via(server, pair["refresh_token"]), "SESSION_REVOKED")


def test_a_refresh_token_issued_before_logout_cannot_revive_the_session(
    server: LiveServer, pair: dict
) -> None:
    rotated = refresh(server, pair["refresh_token"]).json()
    httpx.post(f"{server.url}{LOGOUT}", headers=bearer(rotated["access_token"]))
    assert_401(refresh(server, rotated["refresh_token"]), "SESSION_REVOKED")
    assert_401(httpx.get(f"{server.url}{ME}", headers=bearer(pair["access_token"])), "SESSION_REVOKED")


# -- disabled users ------------------------------------------------------------------------------


def set_disabled(server: LiveServer, username: str, disabled: bool) -> None:
    """An admin disables (or enables) the user through the API, as an operator would."""
    with server.client(server.token("admin")) as admin:
        found = admin.get("/api/v1/users", params={"limit": 100}).json()["data"]
        user = next(u for u in found if u["username"] == username)
        response = admin.patch(f"/api/v1/users/{user['id']}", json={"disabled": disabled})
        assert response.status_code == 200, response.text


def test_a_disabled_user_is_locked_out_at_once(server: LiveServer) -> None:
    server.make_user("soon-disabled", "member")
    pair = server.login("soon-disabled", USER_PASSWORD)
    assert httpx.get(f"{server.url}{ME}", headers=bearer(pair["access_token"])).status_code == 200

    set_disabled(server, "soon-disabled", True)
    assert_401(httpx.get(f"{server.url}{ME}", headers=bearer(pair["access_token"])), "SESSION_REVOKED")
    write = httpx.post(
        f"{server.url}{JOBS}", headers=bearer(pair["access_token"]), json={"command": ["true"]}
    )
    assert_401(write, "SESSION_REVOKED")
    assert_401(refresh(server, pair["refresh_token"]), "SESSION_REVOKED")
    # the right password of a disabled user looks exactly like a wrong one
    login = f"{server.url}/api/v1/auth/login"
    disabled = httpx.post(login, json={"username": "soon-disabled", "password": USER_PASSWORD})
    wrong = httpx.post(login, json={"username": "soon-disabled", "password": "wrong-password"})
    for response in (disabled, wrong):
        assert_401(response, "INVALID_CREDENTIALS")
    assert disabled.json()["detail"] == wrong.json()["detail"]
    grant = httpx.post(
        f"{server.url}{TOKEN}",
        data={"grant_type": "password", "username": "soon-disabled", "password": USER_PASSWORD},
    )
    assert_401(grant, "INVALID_CREDENTIALS")

    # enabled again: logging in works again
    set_disabled(server, "soon-disabled", False)
    again = server.login("soon-disabled", USER_PASSWORD)
    assert httpx.get(f"{server.url}{ME}", headers=bearer(again["access_token"])).status_code == 200
