"""Errors of the ticket workflow."""

from tickets.errors import DomainError, NotFound


class TicketNotFound(NotFound):
    error_id = "ticket-not-found"


class UnitNotFound(NotFound):
    error_id = "unit-not-found"


class TicketIncomplete(DomainError):
    status = 422
    error_id = "ticket-incomplete"


class NotEditable(DomainError):
    status = 409
    error_id = "ticket-not-editable"


class NotYourUnit(DomainError):
    status = 403
    error_id = "not-your-unit"


class InvalidEvaluation(DomainError):
    status = 422
    error_id = "invalid-evaluation"


class DirectAnswerNotAllowed(DomainError):
    status = 409
    error_id = "direct-answer-not-allowed"


class NotDispatchable(DomainError):
    status = 409
    error_id = "not-dispatchable"


class ReasonRequired(DomainError):
    status = 422
    error_id = "reason-required"


class NotMergeable(DomainError):
    status = 409
    error_id = "not-mergeable"
