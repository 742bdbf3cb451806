"""The IVR's refusals and failures, on the kernel's base (status, ``error_id``, ``details``)."""

from kernel.errors import DomainError


class IvrError(DomainError):
    """Base of every refusal or failure the IVR can report."""

    status = 500
    error_id = "ivr-error"


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
