"""IVR errors: each carries an HTTP status, a kebab-case ``error_id`` and ``details``."""

from typing import Any, ClassVar


class IvrError(Exception):
    """Base of every refusal or failure the IVR can report."""

    status: ClassVar[int] = 500
    error_id: ClassVar[str] = "ivr-error"

    def __init__(self, message: str, **details: Any) -> None:
        super().__init__(message)
        self.message = message
        self.details: dict[str, Any] = details


class CallerHungUp(IvrError):
    """The channel is gone: the route ends, writing nothing more."""

    status = 410
    error_id = "ivr-caller-hung-up"


class AgiProtocolError(IvrError):
    """Asterisk (or whatever connected) said something that is not FastAGI."""

    status = 502
    error_id = "agi-protocol-error"


class AgiCommandFailed(IvrError):
    """Asterisk refused or could not run a command on a live channel."""

    status = 502
    error_id = "agi-command-failed"


class PromptToolMissing(IvrError):
    status = 503
    error_id = "prompt-tool-missing"


class PromptBuildFailed(IvrError):
    status = 500
    error_id = "prompt-build-failed"
