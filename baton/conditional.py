"""Conditional requests (RFC 9110 §8.8.3, §13): strong ETags, If-None-Match → 304, If-Match → 412.

The ETag is a hash of the representation exactly as the response serializes it (orjson, like the
app's jsonifier), so it changes whenever any byte of the body would, and two equal bodies share it.
No version column is needed, and lists and pages get validators the same way single resources do.

Handlers use `representation()` for GETs, `with_etag()` for bodies returned by a change, and
`if_match()` to hand a service the request's If-Match as a precondition on the resource. The header
syntax is validated by the spec (`EntityTags`), so parsing here can be simple."""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable
from typing import Any, TypeVar

import orjson

__all__ = [
    "CACHE_CONTROL",
    "created",
    "etag_of",
    "if_match",
    "matches_if_match",
    "matches_if_none_match",
    "representation",
    "with_etag",
]

T = TypeVar("T")

# clients may keep a copy but must revalidate it (cheap: a 304) before every reuse; "private"
# because what a caller sees depends on who they are (members see only their own jobs)
CACHE_CONTROL = "private, no-cache"

_TAG = re.compile(r'(W/)?"([^"]*)"')


def etag_of(body: Any) -> str:
    """A strong entity tag of a JSON body: the same bytes give the same tag, any change another."""
    return '"' + hashlib.blake2b(orjson.dumps(body), digest_size=16).hexdigest() + '"'


def _parse(values: list[str]) -> tuple[bool, list[tuple[bool, str]]]:
    """(any `*`, [(weak, opaque-tag), ...]) of one or more header lines of entity tags."""
    star = any(value.strip() == "*" for value in values)
    tags = [(bool(m.group(1)), f'"{m.group(2)}"') for value in values for m in _TAG.finditer(value)]
    return star, tags


def matches_if_none_match(values: list[str], current: str) -> bool:
    """RFC 9110 §13.1.2: weak comparison, so `W/"x"` matches `"x"`."""
    star, tags = _parse(values)
    return star or any(tag == current for _, tag in tags)


def matches_if_match(values: list[str], current: str) -> bool:
    """RFC 9110 §13.1.1: strong comparison, so a weak tag never matches."""
    star, tags = _parse(values)
    return star or any(not weak and tag == current for weak, tag in tags)


def _header(name: str) -> list[str]:
    from connexion.context import request

    return request.headers.getlist(name)  # every line: a list may be split across several


def representation(body: dict[str, Any]) -> tuple[dict[str, Any] | None, int, dict[str, str]]:
    """A GET's answer: the body with its ETag, or 304 without a body if If-None-Match matches."""
    tag = etag_of(body)
    headers = {"ETag": tag, "Cache-Control": CACHE_CONTROL}
    conditions = _header("If-None-Match")
    if conditions and matches_if_none_match(conditions, tag):
        # the media type of the representation the 304 stands for: Connexion needs one to build
        # a body-less answer when an operation declares two (JSON and problem+json)
        return None, 304, {**headers, "Content-Type": "application/json"}
    return body, 200, headers


def with_etag(body: dict[str, Any]) -> tuple[dict[str, Any], int, dict[str, str]]:
    """The answer to a change: the new representation and the tag a client needs for the next one."""
    return body, 200, {"ETag": etag_of(body)}


def created(body: dict[str, Any], location: str) -> tuple[dict[str, Any], int, dict[str, str]]:
    """A 201: the new resource, where it is, and its ETag (the one a GET would give), so a
    client can send If-Match at once (RFC 9110 §15.3.2: validators of the created resource)."""
    return body, 201, {"Location": location, "ETag": etag_of(body)}


def if_match(view: Callable[[T], dict[str, Any]]) -> Callable[[T], bool] | None:
    """The request's If-Match as a precondition on the resource (None without the header).

    The service calls it on the resource as it finds it, after the checks that would answer
    otherwise (404, 409): RFC 9110 §13.2.1 has preconditions ignored when the answer without them
    would not be a success anyway."""
    conditions = _header("If-Match")
    if not conditions:
        return None
    return lambda resource: matches_if_match(conditions, etag_of(view(resource)))
