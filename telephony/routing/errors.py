"""Errors of routing data."""

from telephony.errors import TelephonyError


class RoutingError(TelephonyError):
    """A refusal about routing data."""

    error_id = "routing-error"


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
