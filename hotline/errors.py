"""One mapping from every error to a JSON response with a kebab-case ``error_id``."""

import logging

from fastapi import FastAPI, Request
from fastapi.encoders import jsonable_encoder
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException

from telephony.errors import TelephonyError
from tickets.errors import DomainError

log = logging.getLogger(__name__)

HTTP_ERROR_IDS = {
    400: "bad-request", 401: "unauthenticated", 403: "forbidden", 404: "not-found",
    405: "method-not-allowed", 413: "request-too-large", 415: "unsupported-media-type",
}


def error_body(error_id: str, message: str, details: object = None) -> dict[str, object]:
    """The one error shape of the API."""
    return {"error_id": error_id, "message": message, "details": details or {}}


# Each domain package has its own error base (they import nothing of each other's); all of
# them carry ``status``, ``error_id``, ``message`` and ``details``.
DOMAIN_ERRORS: tuple[type[Exception], ...] = (DomainError, TelephonyError)


async def domain_error(_request: Request, exc: Exception) -> JSONResponse:
    error_id: str = getattr(exc, "error_id", "domain-error")
    message: str = getattr(exc, "message", str(exc))
    details = getattr(exc, "details", {})
    log.info("refused: %s %s %s", error_id, message, details)
    return JSONResponse(error_body(error_id, message, jsonable_encoder(details)),
                        status_code=getattr(exc, "status", 400))


async def validation_error(_request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, RequestValidationError)
    problems = [{"where": list(e.get("loc", ())), "problem": e.get("msg", ""),
                 "type": e.get("type", "")} for e in exc.errors()]
    return JSONResponse(
        error_body("invalid-request", "the request is malformed or has invalid fields",
                   {"problems": jsonable_encoder(problems)}), status_code=422)


async def http_error(_request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, HTTPException)
    error_id = HTTP_ERROR_IDS.get(exc.status_code, f"http-{exc.status_code}")
    return JSONResponse(error_body(error_id, str(exc.detail)), status_code=exc.status_code,
                        headers=getattr(exc, "headers", None))


async def unexpected_error(_request: Request, exc: Exception) -> JSONResponse:
    log.exception("unhandled error", exc_info=exc)
    return JSONResponse(error_body("internal-error", "an unexpected error occurred"),
                        status_code=500)


def install_error_handlers(app: FastAPI) -> None:
    """Register the mapping on ``app``."""
    for error_type in DOMAIN_ERRORS:
        app.add_exception_handler(error_type, domain_error)
    app.add_exception_handler(RequestValidationError, validation_error)
    app.add_exception_handler(HTTPException, http_error)
    app.add_exception_handler(Exception, unexpected_error)
