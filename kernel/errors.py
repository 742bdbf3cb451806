"""The base of every domain error: an HTTP status, a kebab-case ``error_id`` and ``details``.

Each package derives its own refusals from :class:`DomainError`; the composition root maps
them all to the API's one error shape.
"""

from typing import Any, ClassVar


class DomainError(Exception):
    """A refusal or failure a package reports; the composition root maps it to a response."""

    status: ClassVar[int] = 400
    error_id: ClassVar[str] = "domain-error"

    def __init__(self, message: str, **details: Any) -> None:
        super().__init__(message)
        self.message = message
        self.details: dict[str, Any] = details


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
