"""Telephony's refusals and failures, on the kernel's base (status, ``error_id``, ``details``)."""

from kernel.errors import DomainError


class TelephonyError(DomainError):
    """Base of every refusal or failure the telephony side can report."""

    status = 400
    error_id = "telephony-error"


class MirrorNotFound(TelephonyError):
    status = 503
    error_id = "debian-mirror-not-found"


class InstallFailed(TelephonyError):
    status = 500
    error_id = "asterisk-install-failed"


class NotInstalled(TelephonyError):
    status = 503
    error_id = "asterisk-not-installed"


class StartFailed(TelephonyError):
    status = 500
    error_id = "asterisk-start-failed"

    def __str__(self) -> str:
        # A traceback (a benchmark, a test fixture) then shows why, not only that it failed.
        tail = [f"  {line}" for line in (self.details.get("log") or [])[-15:]]
        return "\n".join([self.message, *tail])


class AsteriskAccountShared(TelephonyError):
    status = 409
    error_id = "asterisk-uid-shared"


class AmiUnreachable(TelephonyError):
    status = 503
    error_id = "ami-unreachable"


class AmiLoginRefused(TelephonyError):
    status = 401
    error_id = "ami-login-refused"
