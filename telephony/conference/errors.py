"""What the conference, transfer and monitoring commands refuse, with HTTP status and error_id."""

from telephony.errors import TelephonyError


class CallNotFound(TelephonyError):
    status = 404
    error_id = "call-not-found"


class CallNotConnected(TelephonyError):
    status = 409
    error_id = "call-not-connected"


class CallNotInConference(TelephonyError):
    status = 409
    error_id = "call-not-in-conference"


class ChannelNotFound(TelephonyError):
    status = 409
    error_id = "call-channel-not-found"


class PbxRefused(TelephonyError):
    status = 502
    error_id = "pbx-refused"


class PartyUnreachable(TelephonyError):
    status = 502
    error_id = "party-unreachable"


class AmiDown(TelephonyError):
    status = 503
    error_id = "ami-not-connected"
