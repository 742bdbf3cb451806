"""Refuse, at the edge, request bodies over a size limit and texts holding a NUL."""

import json
import logging
from urllib.parse import parse_qsl

from starlette.exceptions import HTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from hotline.errors import error_body

log = logging.getLogger(__name__)


class BodyTooLarge(HTTPException):
    """Raised inside ``receive`` when a streamed body passes the limit.

    An HTTPException, because FastAPI turns any other error met while reading a body into 400.
    """

    def __init__(self, max_bytes: int) -> None:
        super().__init__(413, f"request bodies are limited to {max_bytes} bytes")


class BodySizeLimit:
    """ASGI middleware: 413 ``request-too-large`` past ``max_bytes`` (declared or streamed)."""

    def __init__(self, app: ASGIApp, max_bytes: int) -> None:
        self.app = app
        self.max_bytes = max_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        declared = dict(scope.get("headers", [])).get(b"content-length")
        if declared is not None and declared.isdigit() and int(declared) > self.max_bytes:
            await self._refuse(send)
            return
        seen = 0
        started = False

        async def limited_receive() -> Message:
            nonlocal seen
            message = await receive()
            seen += len(message.get("body", b""))
            if seen > self.max_bytes:
                raise BodyTooLarge(self.max_bytes)
            return message

        async def tracking_send(message: Message) -> None:
            nonlocal started
            started = started or message["type"] == "http.response.start"
            await send(message)

        try:
            await self.app(scope, limited_receive, tracking_send)
        except BodyTooLarge:
            if not started:
                await self._refuse(send)

    async def _refuse(self, send: Send) -> None:
        await _send_json(send, 413, error_body(
            "request-too-large", f"request bodies are limited to {self.max_bytes} bytes",
            {"max_bytes": self.max_bytes}))


class RefuseNul:
    """ASGI middleware: 422 ``invalid-text`` for a NUL character anywhere a text comes in.

    PostgreSQL cannot store U+0000 in a text and fails the whole statement; a request
    carrying one is refused here, before any database sees it (and before a login query).
    The path, every query parameter and every string (keys too) of a JSON or form body are
    checked; other bodies (uploads) are passed on untouched.
    """

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        where = nul_in_url(scope)
        content_type = dict(scope.get("headers", [])).get(b"content-type", b"").lower()
        texts = not content_type or b"json" in content_type or b"urlencoded" in content_type
        if where is None and texts and scope["method"] not in ("GET", "HEAD", "OPTIONS"):
            body, receive = await _buffered(receive)
            where = nul_in_body(body, b"urlencoded" in content_type)
        if where is None:
            await self.app(scope, receive, send)
            return
        log.info("refused: invalid-text at %s of a %s request", where, scope["method"])
        await _send_json(send, 422, error_body(
            "invalid-text", "text may not contain the NUL character (U+0000)",
            {"where": where}))


def nul_in_url(scope: Scope) -> list[str] | None:
    """Where a NUL is in the path or the query parameters, else None."""
    if "\x00" in scope["path"]:
        return ["path"]
    query = scope.get("query_string", b"").decode("latin-1")
    for name, value in parse_qsl(query, keep_blank_values=True):
        if "\x00" in name or "\x00" in value:
            return ["query", name.replace("\x00", "\\0")]
    return None


def nul_in_body(body: bytes, form: bool) -> list[str] | None:
    """Where a NUL is in a JSON (or form) body's strings, else None."""
    if form:
        pairs = parse_qsl(body.decode("latin-1"), keep_blank_values=True)
        return next((["body", n.replace("\x00", "\\0")] for n, v in pairs
                     if "\x00" in n or "\x00" in v), None)
    if b"\x00" in body:  # raw: not even JSON, but nothing to guess at
        return ["body"]
    if b"\\u0000" not in body:  # a NUL in a JSON string is always written \u0000
        return None
    try:
        document = json.loads(body)
    except ValueError:
        return None  # malformed: the app answers it as such
    return _nul_in(document, ["body"])


def _nul_in(value: object, at: list[str]) -> list[str] | None:
    if isinstance(value, str):
        return at if "\x00" in value else None
    if isinstance(value, list):
        items: list[tuple[str, object]] = [(str(i), v) for i, v in enumerate(value)]
    elif isinstance(value, dict):
        for key in value:
            if "\x00" in key:
                return [*at, key.replace("\x00", "\\0")]
        items = [(str(k), v) for k, v in value.items()]
    else:
        return None
    for name, item in items:
        found = _nul_in(item, [*at, name])
        if found is not None:
            return found
    return None


async def _buffered(receive: Receive) -> tuple[bytes, Receive]:
    """The whole body, and a ``receive`` that hands it out again."""
    chunks = []
    while True:
        message = await receive()
        if message["type"] != "http.request":
            break
        chunks.append(message.get("body", b""))
        if not message.get("more_body", False):
            break
    body = b"".join(chunks)
    replayed = False

    async def replay() -> Message:
        nonlocal replayed
        if replayed:
            return await receive()
        replayed = True
        return {"type": "http.request", "body": body, "more_body": False}

    return body, replay


async def _send_json(send: Send, status: int, content: dict[str, object]) -> None:
    body = json.dumps(content, ensure_ascii=False).encode()
    await send({"type": "http.response.start", "status": status,
                "headers": [(b"content-type", b"application/json"),
                            (b"content-length", str(len(body)).encode())]})
    await send({"type": "http.response.body", "body": body})
