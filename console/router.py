"""Thin routes serving the agent's screen: the page at ``/console``, its files below it."""

from fastapi import APIRouter, HTTPException, Request, Response
from fastapi.responses import RedirectResponse

from console.assets import Asset, load

router = APIRouter(tags=["console"])

# Revalidated on every load (a 304 while unchanged): a new deployment reaches every screen at
# the next reload, and nothing stale is mixed with the new page.
CACHE_CONTROL = "no-cache"
# The page runs its own script only and talks to its own origin only (HTTP and WebSocket).
CONTENT_SECURITY_POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "connect-src 'self'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'")


def _serve(asset: Asset, request: Request, *, page: bool = False) -> Response:
    headers = {"Cache-Control": CACHE_CONTROL, "ETag": asset.etag,
               "X-Content-Type-Options": "nosniff"}
    if page:
        headers["Content-Security-Policy"] = CONTENT_SECURITY_POLICY
    if asset.matches(request.headers.get("if-none-match", "")):
        return Response(status_code=304, headers=headers)
    return Response(asset.body, media_type=asset.media_type, headers=headers)


@router.get("/", include_in_schema=False)
async def root() -> RedirectResponse:
    """Nothing else lives at ``/``: a browser opening the platform gets the agent's screen."""
    return RedirectResponse("/console", status_code=307)


@router.get("/console", include_in_schema=False)
async def page(request: Request) -> Response:
    """The agent's screen."""
    asset = await load("index.html")
    if asset is None:  # a broken installation, not a client's mistake
        raise HTTPException(500, "the console's page is missing from this installation")
    return _serve(asset, request, page=True)


@router.get("/console/static/{name}", include_in_schema=False)
async def static(name: str, request: Request) -> Response:
    """One of the page's files (script, style sheet), by exact name."""
    asset = await load(name)
    if asset is None:
        raise HTTPException(404, f"no console file {name}")
    return _serve(asset, request)
