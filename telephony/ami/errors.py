"""Errors of the AMI link: each carries an HTTP status, a kebab-case error_id and details."""

from __future__ import annotations

from telephony import errors


class AmiError(errors.TelephonyError):
    """Base of every failure the AMI link reports."""

    status = 502
    error_id = "ami-error"


class AmiNotConnected(AmiError, errors.AmiUnreachable):
    """The link is not logged in to Asterisk right now."""

    status = 503
    error_id = "ami-not-connected"


class AmiDisconnected(AmiError):
    """The link dropped while an action awaited its response."""

    status = 503
    error_id = "ami-disconnected"


class AmiTimeout(AmiError):
    """Asterisk did not answer an action in time."""

    status = 504
    error_id = "ami-timeout"


class AmiLoginRefused(AmiError, errors.AmiLoginRefused):
    """Asterisk refused the username or secret."""

    status = 401
    error_id = "ami-login-refused"


class AmiActionFailed(AmiError):
    """Asterisk answered an action with Response: Error."""

    status = 502
    error_id = "ami-action-failed"


class AmiBadAction(AmiError):
    """An action the link refuses to send (header injection, a bad key, a raw Originate)."""

    status = 422
    error_id = "ami-bad-action"


class OriginateFailed(AmiError):
    """Asterisk tried the Originate and it failed (busy, no answer, congestion, no such exten)."""

    status = 502
    error_id = "originate-failed"


class OriginateOutcomeUnknown(AmiError):
    """The Originate was sent but its outcome was lost (the link dropped, or it timed out)."""

    # It is never re-sent: the call may exist. A resync finds it by HOTLINE_ORIGINATE_ID.

    status = 504
    error_id = "originate-outcome-unknown"
