"""AstDB over AMI: the routing data the dialplan reads (``DBPut``/``DBDel``/``DBDelTree``)."""

import logging

from telephony.ami.link import AmiLink
from telephony.errors import TelephonyError

log = logging.getLogger(__name__)


class AstDbWriteFailed(TelephonyError):
    status = 502
    error_id = "astdb-write-failed"


class AmiAstDb:
    """The :class:`telephony.routing.service.AstDb` the controller's link provides."""

    def __init__(self, link: AmiLink) -> None:
        self.link = link

    async def put(self, family: str, key: str, value: str) -> None:
        """Set ``family/key``."""
        await self._send({"Action": "DBPut", "Family": family, "Key": key, "Val": value})

    async def delete(self, family: str, key: str) -> None:
        """Remove ``family/key``; absent is fine."""
        await self._send({"Action": "DBDel", "Family": family, "Key": key}, missing_ok=True)

    async def delete_tree(self, family: str) -> None:
        """Remove a whole family; absent is fine."""
        await self._send({"Action": "DBDelTree", "Family": family}, missing_ok=True)

    async def _send(self, fields: dict[str, str], *, missing_ok: bool = False) -> None:
        response = await self.link.send_action(fields)
        if response.success:
            return
        message = response.get("message")
        if missing_ok and "not found" in message.lower():
            return
        raise AstDbWriteFailed(f"{fields['Action']} refused: {message}", action=fields["Action"])
