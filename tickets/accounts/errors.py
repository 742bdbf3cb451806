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
