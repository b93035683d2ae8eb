"""API keys and audit events on every database: round trips, ordering, filters, the failed-login
count the brute-force lock asks for, the once-a-minute last_used_at write, and purging."""

from __future__ import annotations

from datetime import timedelta

from baton.backends.storage.sql import SQLStorage

from baton.models import ApiKey, AuditEvent, User
from baton.timeutil import new_id
from tests.contract.test_storage_contract import T0


def event(action: str, actor: str, at_seconds: float, **fields: object) -> AuditEvent:
    values = dict(
        id=new_id(), at=T0 + timedelta(seconds=at_seconds), action=action, outcome="success",
        actor_id=None, actor=actor, target_type=None, target_id=None, client="127.0.0.1", details={},
    )  # fmt: skip
    values.update(fields)
    return AuditEvent(**values)


async def test_api_keys_round_trip(storage: SQLStorage, owner: User) -> None:
    key = ApiKey(
        new_id(), owner.id, owner.username, "robot ✓ 😀", "bt_0123456789ab", "f" * 64, ["jobs:read"],
        T0, T0 + timedelta(days=1), None, None,
    )  # fmt: skip
    await storage.insert_api_key(key)
    assert await storage.get_api_key(key.id) == key
    assert await storage.get_api_key_by_prefix("bt_0123456789ab") == key
    assert await storage.get_api_key_by_prefix("bt_000000000000") is None
    assert [k.id for k in await storage.list_api_keys(owner.id, 10, None)] == [key.id]
    assert await storage.list_api_keys("someone-else", 10, None) == []
    # last_used_at is written at most once a minute
    await storage.touch_api_key(key.id, T0)
    await storage.touch_api_key(key.id, T0 + timedelta(seconds=30))
    assert (await storage.get_api_key(key.id)).last_used_at == T0
    await storage.touch_api_key(key.id, T0 + timedelta(seconds=61))
    assert (await storage.get_api_key(key.id)).last_used_at == T0 + timedelta(seconds=61)
    assert await storage.revoke_api_key(key.id, T0) is True
    assert await storage.revoke_api_key(key.id, T0) is False  # already revoked
    assert (await storage.get_api_key(key.id)).revoked_at == T0


async def test_audit_events_filters_paging_and_purge(storage: SQLStorage) -> None:
    events = [
        event("auth.login_failed", "mallory", 1, outcome="failure", details={"reason": "wrong password"}),
        event("auth.login", "alice", 2, actor_id=new_id()),
        event("auth.login_failed", "alice", 3, outcome="failure"),
        event("user.update", "alice", 4, details={"role": {"from": "member", "to": "manager"}}),
    ]
    for item in events:
        await storage.insert_audit_event(item)
    newest_first = [item.id for item in reversed(events)]
    assert [e.id for e in await storage.list_audit_events(10)] == newest_first
    assert [e.id for e in await storage.list_audit_events(2, before_id=newest_first[1])] == newest_first[2:]
    failed = await storage.list_audit_events(10, actions=["auth.login_failed"])
    assert [e.actor for e in failed] == ["alice", "mallory"]
    assert [e.id for e in await storage.list_audit_events(10, actor="mallory")] == [events[0].id]
    assert len(await storage.list_audit_events(10, after=T0 + timedelta(seconds=2))) == 2
    assert (await storage.list_audit_events(1, actor="alice"))[0].details == {
        "role": {"from": "member", "to": "manager"}
    }
    # failed logins since the window start, not before the last success, newest first, limited
    assert await storage.recent_failed_logins("mallory", T0, 10) == [T0 + timedelta(seconds=1)]
    assert await storage.recent_failed_logins("alice", T0, 10) == [T0 + timedelta(seconds=3)]
    assert await storage.recent_failed_logins("mallory", T0 + timedelta(seconds=1), 10) == []
    await storage.insert_audit_event(event("auth.login_failed", "mallory", 1.5, outcome="failure"))
    assert await storage.recent_failed_logins("mallory", T0, 1) == [T0 + timedelta(seconds=1.5)]
    assert await storage.purge_audit_events(T0 + timedelta(seconds=2.5)) == 3
    assert len(await storage.list_audit_events(10)) == 2
