"""ReDoc at /redoc: the API reference rendered from /openapi.json by the ReDoc bundle shipped in
this package (baton/static/redoc/), so no CDN is needed. The page has no inline script: ReDoc's
standalone bundle starts itself on the <redoc> element. Paths are relative, so the page also works
behind a proxy that serves Baton under a prefix."""

from __future__ import annotations

from importlib import resources

from starlette.requests import Request
from starlette.responses import HTMLResponse, Response
from starlette.routing import Route

__all__ = ["PAGE", "redoc_routes"]

# search runs in a Web Worker ReDoc makes from a blob: URL, which a 'self'-only policy refuses
PAGE = """<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Baton API reference</title>
<link rel="stylesheet" href="redoc/baton-redoc.css">
</head>
<body>
<redoc spec-url="openapi.json" disable-search></redoc>
<script src="redoc/redoc.standalone.js"></script>
</body>
</html>
"""


async def _page(_: Request) -> Response:
    return HTMLResponse(PAGE, headers={"Cache-Control": "no-cache"})


_FILES = {"redoc.standalone.js": "application/javascript", "baton-redoc.css": "text/css"}


async def _file(request: Request) -> Response:
    name = request.path_params["name"]
    if name not in _FILES:
        # a problem+json 404 like every other unknown path
        from starlette.exceptions import HTTPException

        raise HTTPException(404)
    # read per request rather than at import: only browsers opening /redoc pay for 1 MB
    content = (resources.files("baton") / "static" / "redoc" / name).read_bytes()
    return Response(content, media_type=_FILES[name], headers={"Cache-Control": "public, max-age=86400"})


def redoc_routes() -> list[Route]:
    return [
        Route("/redoc", _page, methods=["GET"]),
        Route("/redoc/{name}", _file, methods=["GET"]),
    ]
