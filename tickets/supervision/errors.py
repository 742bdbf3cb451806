"""Refusals of the supervision commands."""

from tickets.errors import DomainError, NotFound


class SupervisionNotFound(NotFound):
    error_id = "supervision-not-found"


class RemindersExhausted(DomainError):
    """The phone round is over (wuhai 6.5): the next step is supervision, not another call."""

    status = 409
    error_id = "reminders-exhausted"


class SupervisionAlreadyOpen(DomainError):
    status = 409
    error_id = "supervision-already-open"


class SupervisionAlreadyResolved(DomainError):
    status = 409
    error_id = "supervision-already-resolved"


class UnknownTrigger(DomainError):
    status = 422
    error_id = "unknown-supervision-trigger"
