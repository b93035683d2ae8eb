"""Authentication: argon2 password hashes, HS256 JWTs (algorithm pinned; iss, aud, exp, iat, jti
checked), sessions with rotating refresh tokens, and the token check Connexion calls."""

from __future__ import annotations

import asyncio
import dataclasses
import functools
import hashlib
import secrets
import time
import weakref
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

import jwt
from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from baton.apikeys import ApiKeyService
from baton.audit import AuditLog
from baton.authcache import CredentialCache
from baton.backends.storage import AlreadyExists, StorageBackend
from baton.errors import Conflict, InvalidInput, Unauthorized
from baton.keyring import Keyring, SigningKey
from baton.models import ALL_SCOPES, ROLE_SCOPES, Principal, Role, User, WsTicket
from baton.settings import Settings
from baton.timeutil import new_id, utcnow

__all__ = ["AuthService", "TokenPair", "parse_scope"]

ALGORITHM = "HS256"
ISSUER = "baton"
ACCESS_AUDIENCE = "baton:access"
REFRESH_AUDIENCE = "baton:refresh"  # a refresh token is never accepted where an access token is
_REQUIRED_CLAIMS = ["exp", "iat", "nbf", "iss", "aud", "sub", "jti", "sid"]
_ID_CLAIMS = ("sub", "jti", "sid")
WS_TICKET_SECONDS = 30


@functools.cache
def _hasher(cost: str) -> PasswordHasher:
    """Hashes with the cost of settings.password_hash_cost; verifies a hash of any cost (the
    hash names its own)."""
    t, m, p = (int(part.partition("=")[2]) for part in cost.split(","))
    return PasswordHasher(time_cost=t, memory_cost=m, parallelism=p)


@functools.cache
def _dummy_hash(cost: str) -> str:
    # verified against when the username is unknown, so both failures take the same time
    return _hasher(cost).hash(secrets.token_urlsafe(16))


def hash_password(password: str, cost: str) -> str:
    return _hasher(cost).hash(password)


def _verify(password_hash: str, password: str, cost: str) -> bool:
    try:
        return _hasher(cost).verify(password_hash, password)
    except (VerificationError, InvalidHashError):
        return False


@dataclass(frozen=True)
class TokenPair:
    access_token: str
    refresh_token: str
    expires_in: int
    scope: str  # what the access token may do now, space-separated (RFC 6749 §5.1)

    def to_dict(self) -> dict[str, Any]:
        return {
            "access_token": self.access_token,
            "refresh_token": self.refresh_token,
            "token_type": "bearer",
            "expires_in": self.expires_in,
            "scope": self.scope,
        }


def parse_scope(text: str | None) -> list[str] | None:
    """The OAuth2 `scope` parameter (space-separated, RFC 6749 §3.3) as a list; None when absent
    or blank, which asks for no narrowing."""
    tokens = [token for token in (text or "").split(" ") if token]
    return tokens or None


def _known(requested: Iterable[str] | None, field: str) -> frozenset[str] | None:
    if requested is None:
        return None
    scopes = frozenset(requested)
    unknown = sorted(scopes - ALL_SCOPES)
    if unknown:
        raise InvalidInput(
            f"Unknown scope(s): {', '.join(map(repr, unknown))}; scopes are {', '.join(sorted(ALL_SCOPES))}",
            code="INVALID_SCOPE",
            errors=[{"field": field, "message": f"unknown: {' '.join(unknown)}"}],
        )
    return scopes


def _narrow(requested: frozenset[str] | None, held: frozenset[str], field: str) -> frozenset[str] | None:
    """RFC 6749 §3.3: grant what was asked for and is held; the rest is left out (the response's
    `scope` says so). None asks for no narrowing; nothing held of what was asked is a 400."""
    if requested is None:
        return None
    granted = requested & held
    if not granted:
        raise InvalidInput(
            f"None of the requested scopes is held; held: {' '.join(sorted(held)) or 'none'}",
            code="INVALID_SCOPE",
            errors=[{"field": field, "message": "none of these scopes is held"}],
        )
    return granted


def _claimed_scopes(claims: dict[str, Any]) -> frozenset[str] | None:
    """A token's `scope` claim (None: the token follows the user's role)."""
    scope = claims.get("scope")
    if scope is None:
        return None
    scopes = frozenset(scope.split(" ")) if isinstance(scope, str) else frozenset()
    if not scopes or not scopes <= ALL_SCOPES:
        raise Unauthorized("The token is not valid", code="INVALID_TOKEN")
    return scopes


class AuthService:
    def __init__(self, storage: StorageBackend, settings: Settings) -> None:
        self.storage = storage
        self.settings = settings
        self.keys = Keyring(storage, settings)
        self.audit = AuditLog(storage, settings.login_failure_limit)
        self._login_locks: weakref.WeakValueDictionary[str, asyncio.Lock] = weakref.WeakValueDictionary()
        self.api_keys = ApiKeyService(storage)
        # verified credentials, kept briefly: an authenticated request needs no database read
        self.cache = CredentialCache(settings.auth_cache_seconds)

    async def start(self) -> None:
        await self.keys.load()

    @property
    def key(self) -> str:
        """The current signing secret."""
        return self.keys.current.secret

    # -- users -----------------------------------------------------------------------------

    async def create_user(self, username: str, password: str, role: Role) -> User:
        if await self.storage.get_user_by_username(username) is not None:
            raise Conflict(f"User {username!r} already exists", code="USER_EXISTS")
        user = User(
            new_id(),
            username,
            hash_password(password, self.settings.password_hash_cost),
            role,
            False,
            utcnow(),
        )
        try:
            await self.storage.insert_user(user)
        except AlreadyExists:  # created by a concurrent request meanwhile
            raise Conflict(f"User {username!r} already exists", code="USER_EXISTS") from None
        return user

    async def ensure_admin(self, username: str, password: str | None) -> str | None:
        """Create the first admin if the database has no user. Returns the generated password
        when one had to be made up (to be shown once), else None."""
        if await self.storage.count_users() > 0:
            return None
        generated = password is None
        password = password or secrets.token_urlsafe(18)
        try:
            await self.create_user(username, password, Role.ADMIN)
        except Exception:
            # another server process created it at the same moment
            if await self.storage.count_users() > 0:
                return None
            raise
        return password if generated else None

    # -- tokens ----------------------------------------------------------------------------

    async def login(
        self,
        username: str,
        password: str,
        client: str | None = None,
        *,
        scopes: Iterable[str] | None = None,
        field: str = "scope",
    ) -> TokenPair:
        """A token pair for the user; with `scopes`, only those of them the role holds."""
        requested = _known(scopes, field)
        # one attempt per name at a time in this process: parallel guesses would all pass the
        # failed-login check before any of their failures is recorded
        lock = self._login_locks.setdefault(username, asyncio.Lock())
        async with lock:
            user = await self._check_password(username, password, client)
        granted = _narrow(requested, ROLE_SCOPES[user.role], field)
        session_id = new_id()
        now = utcnow()
        await self.storage.insert_session(
            session_id, user.id, now, now + timedelta(seconds=self.settings.refresh_token_seconds)
        )
        return await self._issue(user, session_id, granted)

    async def _check_password(self, username: str, password: str, client: str | None) -> User:
        await self.audit.check_login_allowed(username)
        user = await self.storage.get_user_by_username(username)
        # argon2 takes tens of milliseconds of CPU: off the event loop. An unknown name costs
        # the same as a known one, so timing does not tell which names exist.
        cost = self.settings.password_hash_cost
        stored = user.password_hash if user else _dummy_hash(cost)
        valid = await asyncio.to_thread(_verify, stored, password, cost)
        if user is None or not valid or user.disabled:
            reason = "unknown user" if user is None else "disabled" if user.disabled else "wrong password"
            await self.audit.record(
                "auth.login_failed", actor_name=username[:150], outcome="failure", client=client,
                details={"reason": reason},
            )  # fmt: skip
            raise Unauthorized("Invalid username or password", code="INVALID_CREDENTIALS")
        await self.audit.record(
            "auth.login", actor=Principal(user.id, user.username, user.role, None), client=client
        )
        return user

    async def refresh(
        self, refresh_token: str, client: str | None = None, *, scopes: Iterable[str] | None = None
    ) -> TokenPair:
        """A new pair with the refresh token's scopes, or fewer of them (RFC 6749 §6)."""
        requested = _known(scopes, "scope")
        claims = await self._decode(refresh_token, REFRESH_AUDIENCE)
        now = utcnow()
        session = await self.storage.get_active_session(claims["sid"], now)
        if session is None or session.user.id != claims["sub"]:
            raise Unauthorized("The session has ended; log in again", code="SESSION_REVOKED")
        original = _claimed_scopes(claims)
        held = ROLE_SCOPES[session.user.role] if original is None else original
        # before the refresh token is used: a refused scope must not cost the client its session
        granted = original if requested is None else _narrow(requested, held, "scope")
        if not await self.storage.use_refresh_token(claims["jti"], claims["sid"], now):
            # a refresh token used twice means it leaked: end every token of its session
            await self.storage.revoke_session(claims["sid"], now)
            user = session.user
            await self.audit.record(
                "auth.refresh_reused", actor=Principal(user.id, user.username, user.role, session.id),
                target=("session", session.id), outcome="failure", client=client,
            )  # fmt: skip
            raise Unauthorized(
                "This refresh token was already used; the session is revoked", code="REFRESH_TOKEN_REUSED"
            )
        return await self._issue(session.user, session.id, granted)

    async def logout(self, principal: Principal, client: str | None = None) -> None:
        if principal.session_id is not None:
            await self.storage.revoke_session(principal.session_id, utcnow())
            await self.audit.record(
                "auth.logout", actor=principal, target=("session", principal.session_id), client=client
            )

    async def authenticate_api_key(self, presented: str) -> Principal:
        cached = self.cache.keys.get(presented)
        if cached is not None:
            key, user = cached
            now = utcnow()
            if key.expires_at is not None and key.expires_at <= now:
                raise Unauthorized("The API key has expired", code="API_KEY_EXPIRED")
        else:
            key, now = await self.api_keys.authenticate(presented)
            user = await self.storage.get_user(key.user_id)
            if user is None or user.disabled:
                raise Unauthorized("The API key's user is disabled", code="API_KEY_REVOKED")
            self.cache.keys.put(presented, (key, user))
        if key.last_used_at is None or (now - key.last_used_at).total_seconds() >= 60:
            await self.storage.touch_api_key(key.id, now)
            self.cache.keys.put(presented, (dataclasses.replace(key, last_used_at=now), user))
        return Principal(
            user.id, user.username, user.role, None, api_key_id=key.id, key_scopes=frozenset(key.scopes),
            expires_at=key.expires_at,
        )  # fmt: skip

    async def authenticate(self, access_token: str) -> Principal:
        claims = self.cache.claims.get(access_token)
        if claims is None or claims["exp"] < time.time() - 5:
            claims = await self._decode(access_token, ACCESS_AUDIENCE)
            self.cache.remember_claims(access_token, claims)
        now = utcnow()
        known = self.cache.sessions.get(claims["sid"])
        if known is not None and known[1] > now:
            user = known[0]
        else:
            session = await self.storage.get_active_session(claims["sid"], now)
            if session is None:
                raise Unauthorized("The token's session has ended; log in again", code="SESSION_REVOKED")
            user = session.user
            self.cache.sessions.put(session.id, (user, session.expires_at))
        if user.id != claims["sub"]:
            raise Unauthorized("The token's session has ended; log in again", code="SESSION_REVOKED")
        expires_at = datetime.fromtimestamp(claims["exp"], UTC).replace(tzinfo=None)
        return Principal(
            user.id, user.username, user.role, claims["sid"], token_scopes=_claimed_scopes(claims),
            expires_at=expires_at,
        )  # fmt: skip

    async def revalidate(self, principal: Principal) -> str | None:
        """Why a credential checked earlier no longer holds (for long-lived streams), or None."""
        now = utcnow()
        if principal.expires_at is not None and principal.expires_at <= now:
            return "TOKEN_EXPIRED" if principal.api_key_id is None else "API_KEY_REVOKED"
        if principal.session_id is not None:
            # the cache authenticate() uses, with its bound and its revocation through the event
            # log: hundreds of sockets of one session are one read per BATON_AUTH_CACHE_SECONDS
            known = self.cache.sessions.get(principal.session_id)
            if known is not None and known[1] > now:
                return None
            session = await self.storage.get_active_session(principal.session_id, now)
            if session is None:
                return "SESSION_REVOKED"
            self.cache.sessions.put(session.id, (session.user, session.expires_at))
            return None
        if principal.api_key_id is not None:
            key = await self.storage.get_api_key(principal.api_key_id)
            user = await self.storage.get_user(principal.user_id)
            if key is None or not key.active(now) or user is None or user.disabled:
                return "API_KEY_REVOKED"
        return None

    async def issue_ws_ticket(self, principal: Principal) -> tuple[str, datetime]:
        """A single-use ticket that opens the WebSocket as `principal`: (ticket, expires_at)."""
        ticket = "wst_" + secrets.token_urlsafe(32)
        now = utcnow()
        expires_at = now + timedelta(seconds=WS_TICKET_SECONDS)
        await self.storage.insert_ws_ticket(
            WsTicket(
                ticket_hash=hashlib.sha256(ticket.encode()).hexdigest(),
                user_id=principal.user_id,
                session_id=principal.session_id,
                api_key_id=principal.api_key_id,
                token_expires_at=principal.expires_at,
                expires_at=expires_at,
                token_scopes=sorted(principal.token_scopes) if principal.token_scopes is not None else None,
            )
        )
        return ticket, expires_at

    async def redeem_ws_ticket(self, ticket: str) -> Principal:
        """The principal a ticket was issued to, as it is now; 401 if the ticket is unknown, used,
        expired, or its credential no longer holds."""
        record = None
        if isinstance(ticket, str) and 0 < len(ticket) <= 100:
            record = await self.storage.use_ws_ticket(hashlib.sha256(ticket.encode()).hexdigest(), utcnow())
        if record is None:
            raise Unauthorized("The ticket is unknown, used or expired", code="INVALID_TICKET")
        now = utcnow()
        if record.api_key_id is not None:
            key = await self.storage.get_api_key(record.api_key_id)
            user = await self.storage.get_user(record.user_id)
            if key is None or not key.active(now) or user is None or user.disabled:
                raise Unauthorized("The ticket's API key was revoked", code="API_KEY_REVOKED")
            return Principal(
                user.id, user.username, user.role, None, api_key_id=key.id,
                key_scopes=frozenset(key.scopes), expires_at=key.expires_at,
            )  # fmt: skip
        session = await self.storage.get_active_session(record.session_id or "", now)
        if session is None or session.user.id != record.user_id:
            raise Unauthorized("The ticket's session has ended; log in again", code="SESSION_REVOKED")
        user = session.user
        scopes = frozenset(record.token_scopes) if record.token_scopes is not None else None
        return Principal(
            user.id,
            user.username,
            user.role,
            session.id,
            token_scopes=scopes,
            expires_at=record.token_expires_at,
        )

    async def _issue(self, user: User, session_id: str, granted: frozenset[str] | None) -> TokenPair:
        """Both tokens carry `granted` as their `scope` claim; without it they follow the role."""
        now = utcnow()
        refresh_jti = new_id()
        refresh_exp = now + timedelta(seconds=self.settings.refresh_token_seconds)
        await self.storage.insert_refresh_token(refresh_jti, session_id, refresh_exp)
        ttl = self.settings.access_token_seconds
        key = await self.keys.signing_key()
        scope = " ".join(sorted(granted)) if granted is not None else None
        access = self._encode(key, user.id, session_id, new_id(), ACCESS_AUDIENCE, ttl, scope)
        refresh = self._encode(
            key,
            user.id,
            session_id,
            refresh_jti,
            REFRESH_AUDIENCE,
            self.settings.refresh_token_seconds,
            scope,
        )
        effective = Principal(user.id, user.username, user.role, session_id, token_scopes=granted).scopes
        return TokenPair(access, refresh, ttl, " ".join(sorted(effective)))

    @staticmethod
    def _encode(
        key: SigningKey, sub: str, sid: str, jti: str, audience: str, ttl: int, scope: str | None
    ) -> str:
        now = int(time.time())
        claims = {
            "iss": ISSUER,
            "aud": audience,
            "sub": sub,
            "sid": sid,
            "jti": jti,
            "iat": now,
            "nbf": now,
            "exp": now + ttl,
            **({"scope": scope} if scope is not None else {}),
        }
        return jwt.encode(claims, key.secret, algorithm=ALGORITHM, headers={"kid": key.kid})

    async def _decode(self, token: str, audience: str) -> dict[str, Any]:
        try:
            kid = jwt.get_unverified_header(token).get("kid")
        except jwt.InvalidTokenError:
            raise Unauthorized("The token is not valid", code="INVALID_TOKEN") from None
        if kid is not None and not (isinstance(kid, str) and 0 < len(kid) <= 64):
            raise Unauthorized("The token is not valid", code="INVALID_TOKEN")
        secret = await self.keys.verification_secret(kid)
        if secret is None:
            raise Unauthorized("The token is signed with an unknown or retired key", code="INVALID_TOKEN")
        try:
            claims = jwt.decode(
                token,
                secret,
                algorithms=[ALGORITHM],  # pinned: "none" and algorithm confusion are rejected
                audience=audience,
                issuer=ISSUER,
                options={"require": _REQUIRED_CLAIMS},
                leeway=5,
            )
        except jwt.ExpiredSignatureError:
            raise Unauthorized("The token has expired", code="TOKEN_EXPIRED") from None
        except jwt.InvalidTokenError:
            raise Unauthorized("The token is not valid", code="INVALID_TOKEN") from None
        # the ids go into queries: a signed token holding an object there was a 500
        if not all(isinstance(claims[name], str) and 0 < len(claims[name]) <= 64 for name in _ID_CLAIMS):
            raise Unauthorized("The token is not valid", code="INVALID_TOKEN")
        return claims
