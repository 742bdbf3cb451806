"""Refusals about what a call may dial."""

from telephony.errors import TelephonyError


class TargetNotAllowed(TelephonyError):
    status = 403
    error_id = "dial-target-not-allowed"


class TargetNotListed(TelephonyError):
    status = 404
    error_id = "dial-target-not-found"
