"""Refusals of the seat checks: who may steer which seat and which call."""

from telephony.errors import TelephonyError


class UnknownExtension(TelephonyError):
    status = 422
    error_id = "unknown-extension"


class InterfaceNotAllowed(TelephonyError):
    status = 422
    error_id = "interface-not-allowed"


class QueueUnknown(TelephonyError):
    status = 422
    error_id = "queue-not-configured"


class SeatTaken(TelephonyError):
    status = 409
    error_id = "seat-taken"


class SeatNotBound(TelephonyError):
    status = 404
    error_id = "seat-not-bound"


class NoSeatBound(TelephonyError):
    status = 403
    error_id = "no-seat-bound"


class NotYourSeat(TelephonyError):
    status = 403
    error_id = "not-your-seat"


class NotYourCall(TelephonyError):
    status = 403
    error_id = "not-your-call"


class OperatorUnknown(TelephonyError):
    status = 401
    error_id = "unauthenticated"
