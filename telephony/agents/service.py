"""Agents' queue actions over AMI: log in, pause with a reason, unpause, log out.

The controller's picture follows from the events Asterisk sends back; these functions only
ask Asterisk, which stays the truth about queue membership.
"""

import logging

from telephony.ami.errors import AmiActionFailed
from telephony.ami.link import AmiLink
from telephony.errors import TelephonyError

log = logging.getLogger(__name__)


class AgentActionRefused(TelephonyError):
    status = 409
    error_id = "agent-action-refused"


async def _send(link: AmiLink, fields: dict[str, str]) -> None:
    try:
        await link.send_action(fields)
    except AmiActionFailed as refused:
        raise AgentActionRefused(f"{fields['Action']}: {refused.message}",
                                 action=fields["Action"], interface=fields["Interface"]
                                 ) from refused
    log.info("agent %s: %s", fields["Interface"], fields["Action"])


async def login(link: AmiLink, interface: str, queue: str, name: str) -> None:
    """Join ``queue`` (a dynamic member; the softphone's own interface)."""
    await _send(link, {"Action": "QueueAdd", "Queue": queue, "Interface": interface,
                       "MemberName": name or interface})


async def logout(link: AmiLink, interface: str, queue: str) -> None:
    """Leave ``queue``."""
    await _send(link, {"Action": "QueueRemove", "Queue": queue, "Interface": interface})


async def pause(link: AmiLink, interface: str, reason: str) -> None:
    """Stop receiving calls in every queue, saying why (the reason is kept in the picture)."""
    await _send(link, {"Action": "QueuePause", "Interface": interface, "Paused": "true",
                       "Reason": reason})


async def unpause(link: AmiLink, interface: str) -> None:
    """Receive calls again."""
    await _send(link, {"Action": "QueuePause", "Interface": interface, "Paused": "false"})
