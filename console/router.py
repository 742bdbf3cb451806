"""Thin routes serving the console: log-in at ``/console``, each role's page, their files."""

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


# Each role's screen (the log-in page sends each user to theirs; the API guards the data).
PAGES = frozenset({"agent", "review", "unit", "supervisor", "admin"})


@router.get("/", include_in_schema=False)
async def root() -> RedirectResponse:
    """Nothing else lives at ``/``: a browser opening the platform gets the log-in page."""
    return RedirectResponse("/console", status_code=307)


@router.get("/console", include_in_schema=False)
async def login_page(request: Request) -> Response:
    """The log-in page."""
    return await _page("index.html", request)


@router.get("/console/{name}", include_in_schema=False)
async def role_page(name: str, request: Request) -> Response:
    """A role's screen: agent, review, unit, supervisor, admin."""
    if name not in PAGES:
        raise HTTPException(404, f"no console page {name}")
    return await _page(f"{name}.html", request)


async def _page(file: str, request: Request) -> Response:
    asset = await load(file)
    if asset is None:  # a broken installation, not a client's mistake
        raise HTTPException(404, f"the console page {file} is not in this installation")
    return _serve(asset, request, page=True)


@router.get("/console/static/{name}", include_in_schema=False)
async def static(name: str, request: Request) -> Response:
    """One of the page's files (script, style sheet), by exact name."""
    asset = await load(name)
    if asset is None:
        raise HTTPException(404, f"no console file {name}")
    return _serve(asset, request)
