"""The outbound wiring: both campaigns on one channel cap, the missed callers first, and the
dial string and cap from the settings."""

from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker

from hotline.outbound import outbound_config, outbound_dialer
from hotline.settings import Settings, SipPeerSetting
from telephony.callbacks import service as callbacks
from telephony.callbacks.models import CallbackRequest
from telephony.outbound.config import OUTBOUND, SIMULATED_CITIZEN
from telephony.outbound.errors import OutboundConfigInvalid
from tests.conftest import FakeClock
from tests.telephony.outbound.fakes import FakeAmi
from tests.tickets.revisits.helpers import RULES, revisit_ticket
from tests.waiting import wait_for
from tickets.revisits.schedule import schedule_pending

Maker = async_sessionmaker[AsyncSession]


@pytest.fixture
def maker(engine: AsyncEngine, session: AsyncSession) -> Maker:  # session: emptied tables
    return async_sessionmaker(engine, expire_on_commit=False)


async def _callback_done(maker: Maker) -> bool:
    async with maker() as session:
        return (await session.scalars(select(CallbackRequest.state))).one() == "done"


async def test_a_missed_caller_is_called_back_before_any_revisit_on_the_shared_cap(
        maker: Maker, clock: FakeClock, tmp_path: Path) -> None:
    async with maker() as session:
        await revisit_ticket(session, "13500000001")
        await schedule_pending(session, RULES, clock())
        session.add(CallbackRequest(caller_number="13500000009", linkedid="1700000000.9",
                                    queue="enterprise", requested_at=clock(),
                                    due_by=clock() + timedelta(minutes=30), updated_at=clock()))
        await session.commit()
    ami = FakeAmi(outcomes={"13500000009": "noanswer"})
    settings = Settings(data_dir=tmp_path, revisit_max_channels=1)  # one channel for both
    d = outbound_dialer(settings, maker, ami, clock)
    d.start()
    await d.tick()
    await wait_for(lambda: d.counts.unanswered == 1, "the callback rang out")
    assert ami.dialled[0].startswith("callback-")
    await wait_for(lambda: len(ami.dialled) == 2, "the freed channel went to the revisit")
    assert ami.dialled[1].startswith("revisit-")
    assert (await d.tick(), d.active) == (0, 1)  # the cap holds the callback's retry back
    ami.outcomes.clear()
    clock.advance(minutes=5)  # the callback's retry spacing
    await ami.hang_up(ami.dialled[1])
    await wait_for(lambda: len(ami.dialled) == 3, "the callback tried again")
    assert ami.dialled[2].startswith("callback-") and ami.dialled[2].endswith("-2")
    # the revisit was answered before: the callback's answer is the second
    await wait_for(lambda: d.counts.answered == 2, "the citizen answered the callback")
    async with maker() as session:  # an agent takes the citizen: the callback is done
        row = (await session.scalars(select(CallbackRequest))).one()
        await callbacks.bridged(session, row.id, clock())
    await wait_for(lambda: _callback_done(maker), "the callback connected")
    await d.close()


def test_the_dial_string_is_the_setting_else_the_trunk_else_the_simulated_citizens(
        tmp_path: Path) -> None:
    trunk = SipPeerSetting(name="carrier", kind="trunk", host="10.0.0.1")
    assert outbound_config(Settings(data_dir=tmp_path)).dial == SIMULATED_CITIZEN
    assert outbound_config(Settings(data_dir=tmp_path, sip_peers=[trunk])).dial == OUTBOUND
    chosen = Settings(data_dir=tmp_path, sip_peers=[trunk], revisit_dial="PJSIP/{number}@x",
                      revisit_max_channels=7, ring_timeout_seconds=30)
    config = outbound_config(chosen)
    assert (config.dial, config.cap, config.ring_timeout) == ("PJSIP/{number}@x", 7, 30)


def test_a_dial_setting_without_the_number_is_refused_before_any_call(tmp_path: Path) -> None:
    with pytest.raises(OutboundConfigInvalid) as refused:
        outbound_config(Settings(data_dir=tmp_path, revisit_dial="PJSIP/12345@carrier"))
    assert (refused.value.error_id, refused.value.details["field"]) == (
        "outbound-config-invalid", "dial")
