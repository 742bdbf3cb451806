"""The outbound dialer's refusals: a configuration it cannot place calls with."""

from telephony.errors import TelephonyError


class OutboundConfigInvalid(TelephonyError):
    """A cap, timing or dial string the dialer cannot work with (the deployment's setting)."""

    status = 422
    error_id = "outbound-config-invalid"


class CampaignInvalid(TelephonyError):
    """A campaign whose name cannot prefix its calls' keys, or is another campaign's."""

    status = 422
    error_id = "outbound-campaign-invalid"
