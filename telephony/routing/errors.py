"""Errors of routing data."""

from typing import Any, ClassVar


class RoutingError(Exception):
    """A refusal with an HTTP status, a kebab-case ``error_id`` and ``details``."""

    status: ClassVar[int] = 400
    error_id: ClassVar[str] = "routing-error"

    def __init__(self, message: str, **details: Any) -> None:
        super().__init__(message)
        self.message = message
        self.details: dict[str, Any] = details


class LegacyNumberExists(RoutingError):
    status = 409
    error_id = "legacy-number-exists"


class LegacyNumberNotFound(RoutingError):
    status = 404
    error_id = "legacy-number-not-found"


class BlockNotFound(RoutingError):
    status = 404
    error_id = "block-entry-not-found"


class AlreadyBlocked(RoutingError):
    status = 409
    error_id = "already-blocked"
