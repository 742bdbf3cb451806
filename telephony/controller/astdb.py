"""AstDB over AMI: the routing data the dialplan reads (``DBPut``/``DBDel``/``DBDelTree``)."""

import logging

from telephony.ami.errors import AmiActionFailed
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
        try:
            await self.link.send_action(fields)
        except AmiActionFailed as refused:
            if missing_ok and "not found" in refused.message.lower():
                return  # deleting what is not there leaves AstDB as wanted
            raise AstDbWriteFailed(f"{fields['Action']} refused: {refused.message}",
                                   action=fields["Action"]) from refused
