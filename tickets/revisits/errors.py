"""Errors of the revisits."""

from tickets.errors import DomainError, NotFound


class RevisitNotFound(NotFound):
    error_id = "revisit-not-found"


class AttemptNotFound(NotFound):
    error_id = "revisit-attempt-not-found"


class IllegalRevisitTransition(DomainError):
    status = 409
    error_id = "illegal-revisit-transition"


class BadCallingWindows(DomainError):
    status = 422
    error_id = "bad-calling-windows"


class SurveyIncomplete(DomainError):
    status = 422
    error_id = "survey-incomplete"


class NotOnDoNotCall(NotFound):
    error_id = "number-not-on-do-not-call"


class NothingToCall(DomainError):
    status = 409
    error_id = "revisit-nothing-to-call"


class OutsideCallingWindows(DomainError):
    status = 409
    error_id = "outside-calling-windows"
