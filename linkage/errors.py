"""Linkage's refusals, on the kernel's base (status, ``error_id``, ``details``)."""

from kernel.errors import DomainError


class LinkageError(DomainError):
    """Base of every refusal of the emergency linkage."""

    status = 400
    error_id = "linkage-error"


class TargetNotFound(LinkageError):
    status = 404
    error_id = "linkage-target-not-found"


class TargetNumberMissing(LinkageError):
    status = 422
    error_id = "linkage-target-number-missing"


class TargetKindTaken(LinkageError):
    status = 409
    error_id = "linkage-target-kind-taken"


class HandoffNotFound(LinkageError):
    status = 404
    error_id = "handoff-not-found"


class KindAmbiguous(LinkageError):
    status = 409
    error_id = "handoff-kind-ambiguous"


class IllegalHandoffTransition(LinkageError):
    status = 409
    error_id = "illegal-handoff-transition"


class NoTargetListed(LinkageError):
    status = 409
    error_id = "linkage-target-not-listed"


class TicketNotFound(LinkageError):
    status = 404
    error_id = "ticket-not-found"


class LinkageOff(LinkageError):
    status = 503
    error_id = "linkage-off"
