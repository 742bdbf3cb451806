"""AstDB over AMI: the routing data the dialplan reads (``DBPut``/``DBDel``/``DBDelTree``).

These actions need AMI's ``system`` class, which also grants GetConfig and ModuleLoad; so
they go over a link of their own, logged in as the AstDB writer (``manager.conf``), and the
controller's login has no ``system`` to write with.
"""

import logging
from collections.abc import Callable
from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from telephony.ami.errors import AmiActionFailed
from telephony.ami.link import AmiLink, Hook
from telephony.errors import TelephonyError
from telephony.routing.service import resync

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


def mirror_routing(sessionmaker: async_sessionmaker[AsyncSession],
                   clock: Callable[[], datetime]) -> Hook:
    """The writer link's ``on_connected``: AstDB's routing rewritten from the database."""

    async def mirror(link: AmiLink) -> None:
        async with sessionmaker() as session:
            legacy, blocks = await resync(session, AmiAstDb(link), clock())
        log.info("AstDB mirrored: %d legacy numbers, %d blocks", legacy, blocks)

    return mirror
