"""The web dashboard at /ui: a page and a few hand-written ES modules and a stylesheet shipped in
this package (baton/static/ui/), so it needs no CDN, no Node and no build step.

The page is the same for everyone and holds no data: the modules log in against the API, keep the
tokens in memory and call the API like any other client (see docs/dashboard.md). Views are hash
routes (`/ui#/jobs/<id>`), so one page serves them all and the server has a single document to
answer. Asset paths are relative (`ui/app.js`, API calls under `api/v1/…` of the page's folder),
so the dashboard also works behind a proxy that serves Baton under a prefix.

Files are read once at first use and served with a strong ETag (`If-None-Match` → 304) and
`Cache-Control: no-cache`: a browser revalidates after an upgrade instead of mixing module
versions. Only files that exist in the folder are served; any other path is a problem+json 404."""

from __future__ import annotations

import hashlib
from functools import cache
from importlib import resources

from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.routing import Route

from baton.conditional import matches_if_none_match

__all__ = ["asset", "ui_routes"]

_TYPES = {
    ".html": "text/html; charset=utf-8",
    ".js": "text/javascript; charset=utf-8",
    ".css": "text/css; charset=utf-8",
    ".svg": "image/svg+xml",
}


_ANY = ["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"]


@cache
def _assets() -> dict[str, tuple[bytes, str, str]]:
    """Every servable file under static/ui: relative path -> (content, media type, ETag)."""
    found: dict[str, tuple[bytes, str, str]] = {}

    def walk(folder, prefix: str) -> None:
        for entry in folder.iterdir():
            name = prefix + entry.name
            if entry.is_dir():
                walk(entry, name + "/")
                continue
            suffix = "." + entry.name.rsplit(".", 1)[-1] if "." in entry.name else ""
            if suffix in _TYPES:
                content = entry.read_bytes()
                etag = '"' + hashlib.blake2b(content, digest_size=16).hexdigest() + '"'
                found[name] = (content, _TYPES[suffix], etag)

    walk(resources.files("baton") / "static" / "ui", "")
    return found


def asset(name: str) -> bytes:
    """The content of a shipped dashboard file (for tests and the screenshot script)."""
    return _assets()[name][0]


def _answer(request: Request, name: str) -> Response:
    if request.method not in ("GET", "HEAD"):
        # routed here rather than falling through to the API's 404: the path exists, the method not
        raise HTTPException(405, headers={"Allow": "GET, HEAD"})
    found = _assets().get(name)
    if found is None:
        raise HTTPException(404)  # a problem+json 404 like every other unknown path
    content, media_type, etag = found
    headers = {"ETag": etag, "Cache-Control": "no-cache"}
    if matches_if_none_match(request.headers.getlist("If-None-Match"), etag):
        return Response(status_code=304, headers=headers)
    return Response(content, media_type=media_type, headers=headers)


async def _page(request: Request) -> Response:
    return _answer(request, "index.html")


async def _slash(request: Request) -> Response:
    # /ui/ would resolve the page's relative asset paths one folder too deep
    if request.method not in ("GET", "HEAD"):
        raise HTTPException(405, headers={"Allow": "GET, HEAD"})
    return RedirectResponse("../ui", status_code=308)


async def _file(request: Request) -> Response:
    name = request.path_params["name"]
    if name == "index.html" and request.method in ("GET", "HEAD"):  # one address for the page
        raise HTTPException(404)
    return _answer(request, name)


def ui_routes() -> list[Route]:
    # every method reaches the handlers, which answer 405 to all but GET and HEAD
    return [
        Route("/ui", _page, methods=_ANY),
        Route("/ui/", _slash, methods=_ANY),
        Route("/ui/{name:path}", _file, methods=_ANY),
    ]
