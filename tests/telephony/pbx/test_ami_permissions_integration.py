"""AMI on the real Asterisk 22: the controller's login cannot read the configuration, the
AstDB writer's reads no SIP password, and the legacy numbers and the block list still reach
the dialplan through the platform's own wiring.

An action is allowed when the login's write classes share one with the action's (manager.c):
GetConfig is `system` or `config`, DBPut/DBDel/DBDelTree are `system` alone.
"""

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from hotline.bus import EventBus
from hotline.telephony import telephony_running
from telephony.controller.astdb import AmiAstDb
from telephony.pbx.probe import AmiSession, Message
from telephony.routing.models import LegacyNumber
from telephony.routing.schemas import BlockIn
from telephony.routing.service import block
from tests.telephony.conftest import Running, now
from tests.telephony.pbx.test_asterisk_integration import call, hang_up, on

CONFIG_FILES = ("pjsip.conf", "manager.conf", "sorcery.conf", "extensions.conf")


def secrets_of(pbx: Running) -> list[str]:
    c = pbx.config
    return [c.ami_secret, c.astdb_secret, *(agent.password for agent in c.agents)]


async def test_the_controllers_login_may_not_read_the_configuration(
    pbx: Running, ami: AmiSession
) -> None:
    for name in CONFIG_FILES:
        for action in ("GetConfig", "GetConfigJSON"):
            refused = await ami.action(action, Filename=name)
            assert refused["Response"] == "Error", (action, name, refused)
            assert refused["Message"] == "Permission denied"
    for action, fields in (("ModuleLoad", {"Module": "app_system.so", "LoadType": "load"}),
                           ("DBPut", {"Family": "legacy", "Key": "110", "Val": "forward,x,"})):
        refused = await ami.action(action, **fields)
        assert refused["Response"] == "Error", (action, refused)
        assert refused["Message"] == "Permission denied"
    # what it is there for still works: reports and call control
    assert (await ami.action("CoreSettings"))["Response"] == "Success"
    assert (await ami.action("QueueStatus", Queue="main"))["Response"] == "Success"


def lines_of(response: Message) -> str:
    return "\n".join(f"{key}: {value}" for key, value in response.items())


async def test_the_astdb_writers_login_reads_no_sip_password(
    pbx: Running, astdb: AmiSession
) -> None:
    pjsip = await astdb.action("GetConfig", Filename="pjsip.conf")
    assert pjsip["Response"] == "Success"
    assert "8001" in lines_of(pjsip) and "password" not in lines_of(pjsip)
    sorcery = await astdb.action("GetConfig", Filename="sorcery.conf")
    assert "pjsip-auth.conf" in lines_of(sorcery)  # where the passwords are, not what
    for where in ("../secrets/pjsip-auth.conf",
                  str(pbx.instance.inside / "secrets" / "pjsip-auth.conf")):
        refused = await astdb.action("GetConfig", Filename=where)
        assert refused["Response"] == "Error", refused
        assert refused["Message"] == "File requires escalated privileges"
    for name in ("pjsip.conf", "extensions.conf", "sorcery.conf"):
        text = lines_of(await astdb.action("GetConfig", Filename=name))
        assert not [s for s in secrets_of(pbx) if s in text], name
    # `system` and nothing else: no calls placed, no events
    originate = await astdb.action("Originate", Channel="Local/12345@sim-dial",
                                   Application="Wait", Data="1", Async="true")
    assert originate["Response"] == "Error", originate
    assert originate["Message"] == "Permission denied"


async def test_legacy_numbers_and_blocks_reach_astdb_through_the_platforms_links(
    pbx: Running, ami: AmiSession, sessions: async_sessionmaker[AsyncSession]
) -> None:
    async with sessions() as session:  # in the database before the platform connects
        session.add(LegacyNumber(number="96311", name="燃气热线", mode="forward",
                                 source_line="gas", queue="main", created_at=now(),
                                 updated_at=now()))
        await session.commit()
    async with telephony_running(pbx.settings, sessions, EventBus()) as runtime:
        assert isinstance(runtime.astdb, AmiAstDb)
        await runtime.astdb.link.wait_connected(15)  # its on_connected mirror has run
        mirrored = await ami.action("DBGet", Family="legacy", Key="96311")
        assert mirrored["Response"] == "Success", mirrored
        channel = await call(ami, "96311", "13800138011")
        joined = await ami.wait_event(on(channel, "QueueCallerJoin", Queue="main"))
        assert joined["ChanVariable(HOTLINE_LINE)"] == "gas"
        await hang_up(ami, channel)

        async with sessions() as session:  # what the block list's API does
            await block(session, runtime.astdb, BlockIn(number="13900000011",
                                                        reason="骚扰电话"), "admin", now())
        channel = await call(ami, "12345", "13900000011")
        await ami.wait_event(on(channel, "UserEvent", UserEvent="HotlineBlocked"))
