"""Telephony errors: each carries an HTTP status, a kebab-case ``error_id`` and ``details``."""

from typing import Any, ClassVar


class TelephonyError(Exception):
    """Base of every refusal or failure the telephony side can report."""

    status: ClassVar[int] = 400
    error_id: ClassVar[str] = "telephony-error"

    def __init__(self, message: str, **details: Any) -> None:
        super().__init__(message)
        self.message = message
        self.details: dict[str, Any] = details


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
