"""Errors of accounts and login."""

from tickets.errors import DomainError, NotFound, Unauthenticated


class BadCredentials(Unauthenticated):
    error_id = "bad-credentials"


class UserExists(DomainError):
    status = 409
    error_id = "user-exists"


class UnitExists(DomainError):
    status = 409
    error_id = "unit-exists"


class UserNotFound(NotFound):
    error_id = "user-not-found"


class UnitRequired(DomainError):
    status = 422
    error_id = "unit-required"


class LoginRefusedForNow(DomainError):
    """A login refused for a while; ``details['retry_after']`` says how many seconds."""

    status = 429

    @property
    def retry_after(self) -> int:
        return int(self.details.get("retry_after", 1))

    @property
    def headers(self) -> dict[str, str]:
        """What the HTTP answer carries besides the body (``Retry-After``)."""
        return {"Retry-After": str(self.retry_after)}


class TooManyLoginAttempts(LoginRefusedForNow):
    error_id = "too-many-login-attempts"


class LoginBusy(LoginRefusedForNow):
    status = 503
    error_id = "login-busy"


class TokenRevoked(Unauthenticated):
    error_id = "token-revoked"


class LastAdmin(DomainError):
    status = 409
    error_id = "last-admin"
