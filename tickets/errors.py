"""Domain errors: each carries an HTTP status, a kebab-case ``error_id`` and ``details``."""

from typing import Any, ClassVar


class DomainError(Exception):
    """Base of every refusal the ticket domain can give."""

    status: ClassVar[int] = 400
    error_id: ClassVar[str] = "domain-error"

    def __init__(self, message: str, **details: Any) -> None:
        super().__init__(message)
        self.message = message
        self.details: dict[str, Any] = details


class NotFound(DomainError):
    status = 404
    error_id = "not-found"


class UnknownProfile(DomainError):
    status = 404
    error_id = "unknown-profile"


class InvalidValue(DomainError):
    status = 422
    error_id = "invalid-value"


class DateOutOfRange(InvalidValue):
    """A date whose arithmetic leaves the years 1 to 9999 (or its UTC form does)."""

    error_id = "date-out-of-range"


class TimezoneRequired(DomainError):
    status = 422
    error_id = "timezone-required"


class IllegalTransition(DomainError):
    status = 409
    error_id = "illegal-transition"


class VersionConflict(DomainError):
    status = 409
    error_id = "version-conflict"


class ExtensionRefused(DomainError):
    status = 409
    error_id = "extension-refused"


class ReturnWindowClosed(DomainError):
    status = 409
    error_id = "return-window-closed"


class RefusalReasonNotAllowed(DomainError):
    status = 422
    error_id = "refusal-reason-not-allowed"


class SuspensionRefused(DomainError):
    status = 409
    error_id = "suspension-refused"


class Unauthenticated(DomainError):
    status = 401
    error_id = "unauthenticated"


class Forbidden(DomainError):
    status = 403
    error_id = "forbidden"


class Conflict(DomainError):
    status = 409
    error_id = "conflict"
