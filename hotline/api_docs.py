"""The OpenAPI page at ``/docs``, served whole by the app: Swagger UI's files come from the
``swagger-ui-bundle`` package, so the page works on an intranet with no internet, under a
self-only content security policy; and the favicon every page asks for."""

import hashlib
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import anyio
from fastapi import APIRouter, FastAPI, HTTPException, Request, Response
from swagger_ui_bundle import swagger_ui_path

import console

router = APIRouter(include_in_schema=False)
SWAGGER_UI = Path(str(swagger_ui_path))
FAVICON = Path(console.__file__).parent / "static" / "favicon.ico"
ASSETS = {"swagger-ui.css": "text/css; charset=utf-8",
          "swagger-ui-bundle.js": "text/javascript; charset=utf-8"}
# Swagger UI builds its page with script and CSSOM only: nothing inline, nothing elsewhere.
CONTENT_SECURITY_POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "connect-src 'self'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'")
PUBLIC = ("/auth/login", "/health")  # the operations that need no token
SECURITY = {"X-Content-Type-Options": "nosniff", "Cache-Control": "no-cache"}

PAGE = """<!doctype html>
<html lang="zh-CN">
<head>
<meta charset="utf-8">
<title>{title} — API</title>
<link rel="icon" href="/favicon.ico">
<link rel="stylesheet" href="/docs/static/swagger-ui.css">
</head>
<body>
<div id="swagger-ui"></div>
<script src="/docs/static/swagger-ui-bundle.js"></script>
<script src="/docs/static/start.js"></script>
</body>
</html>
"""
# Swagger UI 4 (the package's) reads OpenAPI 3.0 only: it gets a 3.0 rendition of the
# document. No validator (it would fetch from outside); the token typed under "Authorize"
# lasts as long as the page.
START = """window.ui = SwaggerUIBundle({
  url: "/docs/openapi-3.0.json", dom_id: "#swagger-ui", validatorUrl: null, deepLinking: true,
  presets: [SwaggerUIBundle.presets.apis], layout: "BaseLayout", persistAuthorization: false,
});
"""


def _answer(body: bytes, media_type: str, request: Request, **headers: str) -> Response:
    etag = '"' + hashlib.sha256(body).hexdigest()[:32] + '"'
    headers = {**SECURITY, "ETag": etag, **headers}
    if etag in request.headers.get("if-none-match", ""):
        return Response(status_code=304, headers=headers)
    return Response(body, media_type=media_type, headers=headers)


@router.get("/docs")
async def docs(request: Request) -> Response:
    """The OpenAPI page."""
    page = PAGE.format(title=request.app.title).encode()
    return _answer(page, "text/html; charset=utf-8", request,
                   **{"Content-Security-Policy": CONTENT_SECURITY_POLICY})


@router.get("/docs/static/start.js")
async def start(request: Request) -> Response:
    """The page's own script: Swagger UI pointed at this app's OpenAPI document."""
    return _answer(START.encode(), "text/javascript; charset=utf-8", request)


@router.get("/docs/openapi-3.0.json")
async def openapi_30(request: Request) -> Response:
    """The app's OpenAPI 3.1 document rendered as 3.0, which Swagger UI 4 reads."""
    document = as_openapi_30(request.app.openapi())
    return _answer(json.dumps(document).encode(), "application/json", request)


@router.get("/docs/static/{name}")
async def asset(name: str, request: Request) -> Response:
    """One of Swagger UI's files, by exact name."""
    if name not in ASSETS:
        raise HTTPException(404, f"no documentation file {name}")
    body = await anyio.Path(SWAGGER_UI / name).read_bytes()
    return _answer(body, ASSETS[name], request)


@router.get("/favicon.ico")
async def favicon(request: Request) -> Response:
    """The platform's icon (browsers ask for it on every page)."""
    return _answer(await anyio.Path(FAVICON).read_bytes(), "image/x-icon", request)


def as_openapi_30(document: dict[str, Any]) -> dict[str, Any]:
    """A copy of an OpenAPI 3.1 document in 3.0's terms (what FastAPI's schemas use)."""
    copy: dict[str, Any] = _schema_30(json.loads(json.dumps(document)))
    copy["openapi"] = "3.0.3"
    for only_31 in ("webhooks", "jsonSchemaDialect"):
        copy.pop(only_31, None)
    copy.get("info", {}).pop("summary", None)
    return copy


def _schema_30(node: Any) -> Any:
    """3.1's JSON Schema words in 3.0's: null as ``nullable``, ``const`` as an enum..."""
    if isinstance(node, list):
        return [_schema_30(item) for item in node]
    if not isinstance(node, dict):
        return node
    node = {key: _schema_30(value) for key, value in node.items()}
    for key in ("anyOf", "oneOf"):
        options = node.get(key)
        if isinstance(options, list) and {"type": "null"} in options:
            rest = [option for option in options if option != {"type": "null"}]
            node.pop(key)
            node["nullable"] = True
            if len(rest) == 1 and "$ref" not in rest[0]:
                node = {**rest[0], **node}
            elif rest:
                node["allOf" if len(rest) == 1 else key] = rest
    kind = node.get("type")
    if isinstance(kind, list):
        kinds = [k for k in kind if k != "null"]
        node["type"] = kinds[0] if kinds else "string"
        node["nullable"] = "null" in kind or node.get("nullable", False)
    if "const" in node:
        node["enum"] = [node.pop("const")]
    for bound, limit in (("exclusiveMinimum", "minimum"), ("exclusiveMaximum", "maximum")):
        if isinstance(node.get(bound), int | float) and not isinstance(node[bound], bool):
            node[limit], node[bound] = node[bound], True
    if "contentMediaType" in node:
        node.pop("contentMediaType")
        node.setdefault("format", "binary")
    if isinstance(node.get("examples"), list) and "schema" not in node:
        examples = node.pop("examples")
        if examples:
            node["example"] = examples[0]
    return node


def install_api_docs(app: FastAPI) -> None:
    """Serve ``/docs`` and ``/favicon.ico``; the OpenAPI document names the bearer token, so
    the page's "Authorize" button sends it."""
    app.include_router(router)
    generate: Callable[[], dict[str, Any]] = app.openapi

    def openapi() -> dict[str, Any]:
        if app.openapi_schema is None:
            schema = json.loads(json.dumps(generate()))  # a copy: FastAPI caches its own
            schema.setdefault("components", {})["securitySchemes"] = {
                "bearer": {"type": "http", "scheme": "bearer"}}
            schema["security"] = [{"bearer": []}]
            for path in PUBLIC:
                for operation in schema["paths"].get(path, {}).values():
                    operation["security"] = []
            app.openapi_schema = schema
        return app.openapi_schema

    app.openapi = openapi  # type: ignore[method-assign]
