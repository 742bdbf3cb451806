"""One mapping from every error to a JSON response with a kebab-case ``error_id``."""

import logging
import traceback

from fastapi import FastAPI, Request
from fastapi.encoders import jsonable_encoder
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from sqlalchemy import exc as sa
from sqlalchemy.ext.asyncio import AsyncEngine
from starlette.exceptions import HTTPException

from hotline.storage import DatabaseUnreachable, explained, storage_failure, unavailable
from kernel.errors import DomainError, InvalidValue
from tickets.errors import Conflict

log = logging.getLogger(__name__)

HTTP_ERROR_IDS = {
    400: "bad-request", 401: "unauthenticated", 403: "forbidden", 404: "not-found",
    405: "method-not-allowed", 413: "request-too-large", 415: "unsupported-media-type",
}


def error_body(error_id: str, message: str, details: object = None) -> dict[str, object]:
    """The one error shape of the API."""
    return {"error_id": error_id, "message": message, "details": details or {}}


async def domain_error(_request: Request, exc: Exception) -> JSONResponse:
    """Every package's refusal (the kernel's base): its status, error_id and details."""
    assert isinstance(exc, DomainError)
    log.info("refused: %s %s %s", exc.error_id, exc.message, exc.details)
    return JSONResponse(error_body(exc.error_id, exc.message, jsonable_encoder(exc.details)),
                        status_code=exc.status, headers=getattr(exc, "headers", None))


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


def where(request: Request) -> str:
    """The route a request took, naming a ticket by its number and nothing else of it."""
    route = getattr(request.scope.get("route"), "path", None) or "?"
    number = request.path_params.get("number") if "/tickets/{number}" in route else None
    return f"{request.method} {route}" + (f" (ticket {number})" if number else "")


async def database_error(request: Request, exc: Exception) -> JSONResponse:
    """A database error, answered and logged without its SQL or its values."""
    if isinstance(exc, sa.StatementError) and isinstance(exc.orig, DomainError):
        return await domain_error(request, exc.orig)  # raised while binding a parameter
    if isinstance(exc, sa.StatementError) and isinstance(exc.orig, OverflowError):
        return await out_of_range(request, exc.orig)
    reason = storage_failure(exc)
    if reason is not None:
        return storage_error(request, reason)
    if isinstance(exc, sa.IntegrityError):
        return await domain_error(request, Conflict("the change conflicts with existing data"))
    state = _sqlstate(exc) or ""
    if state == "22021":  # PostgreSQL: a NUL or an invalid byte in a text value
        return await domain_error(request, InvalidValue("a text holds a character the "
                                                        "database cannot store"))
    if isinstance(exc, sa.DataError) or state.startswith("22"):  # class 22: data exception
        return await domain_error(request, InvalidValue("a value does not fit its column"))
    log.error("database error %s on %s\n%s", _kind(exc), where(request),
              "".join(traceback.format_tb(exc.__traceback__)))  # the frames, not the message
    return JSONResponse(error_body("internal-error", "an unexpected error occurred"),
                        status_code=500)


def storage_error(request: Request, reason: str) -> JSONResponse:
    """503 ``storage-unavailable``; /health hears of it too."""
    bind = _bind(request)
    dialect = bind.dialect.name if bind is not None else "unknown"
    if bind is not None:
        reason = explained(reason, bind.url)["state"]
    watch = getattr(request.app.state, "storage", None)
    if watch is not None:
        watch.failed(reason)
    log.error("storage unavailable (%s, %s) on %s", reason, dialect, where(request))
    error = unavailable(reason, dialect)
    return JSONResponse(error_body(error.error_id, error.message, error.details),
                        status_code=error.status, headers={"Retry-After": "30"})


async def out_of_range(request: Request, exc: Exception) -> JSONResponse:
    """A date or number past what Python or the database can hold: the request's doing."""
    log.info("refused: value-out-of-range on %s", where(request))
    return JSONResponse(error_body("value-out-of-range",
                                   "a date or number in the request is out of range"),
                        status_code=422)


def _bind(request: Request) -> AsyncEngine | None:
    runtime = getattr(request.app.state, "runtime", None)
    bind = runtime.sessionmaker.kw.get("bind") if runtime is not None else None
    return bind if isinstance(bind, AsyncEngine) else None


def _sqlstate(exc: Exception) -> str | None:
    state = getattr(getattr(exc, "orig", None), "sqlstate", None)
    return state if isinstance(state, str) else None


def _kind(exc: Exception) -> str:
    orig = getattr(exc, "orig", None)
    return type(exc).__name__ + (f"/{type(orig).__name__}" if orig is not None else "")


async def unexpected_error(_request: Request, exc: Exception) -> JSONResponse:
    log.exception("unhandled error", exc_info=exc)
    return JSONResponse(error_body("internal-error", "an unexpected error occurred"),
                        status_code=500)


def install_error_handlers(app: FastAPI) -> None:
    """Register the mapping on ``app``."""
    app.add_exception_handler(DomainError, domain_error)
    app.add_exception_handler(RequestValidationError, validation_error)
    app.add_exception_handler(HTTPException, http_error)
    # registered by class so they are answered in place: the catch-all below re-raises to
    # the server, which logs the error's text (SQL included) and drops the connection
    app.add_exception_handler(sa.SQLAlchemyError, database_error)
    app.add_exception_handler(DatabaseUnreachable, database_error)
    app.add_exception_handler(OverflowError, out_of_range)
    app.add_exception_handler(Exception, unexpected_error)
