"""The ticket domain's refusals, on the kernel's base (status, ``error_id``, ``details``)."""

from kernel.errors import DateOutOfRange as DateOutOfRange
from kernel.errors import DomainError as DomainError
from kernel.errors import IllegalTransition as IllegalTransition
from kernel.errors import InvalidValue as InvalidValue
from kernel.errors import TimezoneRequired as TimezoneRequired


class NotFound(DomainError):
    status = 404
    error_id = "not-found"


class UnknownProfile(DomainError):
    status = 404
    error_id = "unknown-profile"


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
