"""The generic dialer on fake campaigns: the cap shared in the campaigns' order, keys, what each
outcome tells the campaign, settling, and one call per claim whatever happens (duplicated
ticks, two nodes, a lost Originate outcome, a restart with claims nobody follows)."""

import asyncio
from datetime import timedelta

import pytest

from telephony.outbound.campaign import call_key
from telephony.outbound.config import OutboundConfig
from telephony.outbound.errors import CampaignInvalid, OutboundConfigInvalid
from telephony.outbound.service import OutboundDialer
from tests.conftest import FakeClock
from tests.telephony.outbound.fakes import FakeAmi, FakeCampaign, Ledger, channel
from tests.waiting import wait_for

CONFIG = OutboundConfig(cap=10, dial="Local/{number}@sim-citizen", ring_timeout=5,
                        orphan_after=timedelta(0), orphan_every=timedelta(0))


def dialer(ami: FakeAmi, clock: FakeClock, *campaigns: FakeCampaign, cap: int = 10,
           watch_after: timedelta = timedelta(minutes=10)) -> OutboundDialer:
    config = OutboundConfig(cap=cap, dial=CONFIG.dial, ring_timeout=5, caller_id="12345",
                            orphan_after=timedelta(0), orphan_every=timedelta(0),
                            watch_after=watch_after)
    made = OutboundDialer(campaigns, ami, config, clock)
    made.start()
    return made


def numbers(count: int, start: int = 0) -> list[str]:
    return [f"1380013{start + i:04d}" for i in range(count)]


async def test_calls_stop_at_the_cap_and_a_hang_up_refills_the_channel_at_once(
        clock: FakeClock) -> None:
    fake = FakeCampaign("fake")
    idents = fake.ledger.add(*numbers(5))
    ami = FakeAmi()
    d = dialer(ami, clock, fake, cap=2)
    assert await d.tick() == 2
    await wait_for(lambda: d.counts.answered == 2, "two calls answered")
    assert (ami.dialled, d.active) == ([f"fake-{idents[0]}", f"fake-{idents[1]}"], 2)
    request = ami.requests[ami.dialled[0]]
    assert (request.channel, request.context, request.exten, request.caller_id) == (
        f"Local/{numbers(1)[0]}@sim-citizen", "fake-context", "s", "12345")
    assert (request.ring_timeout, dict(request.variables)) == (5, {"FAKE_ID": str(idents[0])})
    assert fake.ledger.of("answered") == [(idents[0], "1700000000.1"),
                                          (idents[1], "1700000000.2")]
    await ami.hang_up(ami.dialled[0])  # no tick: the hang-up itself makes room
    await wait_for(lambda: len(ami.dialled) == 3, "the freed channel refilled")
    assert d.active == 2
    assert fake.ledger.of("ended") == [(idents[0], "hung-up")]
    await d.close()


async def test_campaigns_share_the_cap_in_their_order(clock: FakeClock) -> None:
    first, second = FakeCampaign("first"), FakeCampaign("second")
    first.ledger.add(*numbers(2))
    second.ledger.add(*numbers(5, start=10))
    ami = FakeAmi()
    d = dialer(ami, clock, first, second, cap=3)
    assert await d.tick() == 3
    await wait_for(lambda: len(ami.dialled) == 3, "three calls placed")
    assert ami.dialled == ["first-1", "first-2", "second-1"]
    first.ledger.add("13900000001")  # owed meanwhile: it goes before the second's next
    await wait_for(lambda: d.counts.answered == 3, "all three answered")
    await ami.hang_up("second-1")
    await wait_for(lambda: len(ami.dialled) == 4, "refilled")
    assert ami.dialled[3] == "first-3"
    assert (await d.tick(), d.active) == (0, 3)  # full: the second waits its turn
    await d.close()


@pytest.mark.parametrize(("outcome", "told"), [
    ("busy", "no-answer"), ("noanswer", "no-answer"), ("congestion", "failed"),
    ("unsent", "not-sent")])
async def test_the_campaign_hears_how_an_unanswered_call_ended(
        clock: FakeClock, outcome: str, told: str) -> None:
    fake = FakeCampaign("fake")
    (ident,) = fake.ledger.add("13900000002")
    ami = FakeAmi(outcomes={"13900000002": outcome})
    d = dialer(ami, clock, fake)
    await d.tick()
    await wait_for(lambda: d.counts.unanswered == 1, "reported")
    assert fake.ledger.of("unanswered") == [(ident, told)]
    assert (fake.ledger.of("answered"), d.calls) == ([], {})
    assert ami.dialled == ([] if outcome == "unsent" else ["fake-1"])
    await d.close()


async def test_nothing_is_claimed_while_the_link_is_down(clock: FakeClock) -> None:
    fake = FakeCampaign("fake")
    fake.ledger.add("13900000003")
    ami = FakeAmi(connected=False)
    d = dialer(ami, clock, fake)
    assert await d.tick() == 0
    assert fake.ledger.states == {1: "pending"}
    ami.connected = True
    assert await d.tick() == 1
    await d.close()


async def test_duplicated_ticks_and_two_nodes_place_each_claim_once(clock: FakeClock) -> None:
    ledger = Ledger()
    ledger.add(*numbers(30))
    ami = FakeAmi()  # one Asterisk, two dialers (a lease hand-over caught mid-way)
    a = dialer(ami, clock, FakeCampaign("fake", ledger), cap=40)
    b = dialer(ami, clock, FakeCampaign("fake", ledger), cap=40)
    await asyncio.gather(a.tick(), a.tick(), b.tick(), b.tick())
    await wait_for(lambda: a.counts.answered + b.counts.answered == 30, "all answered")
    assert len(ami.dialled) == len(set(ami.dialled)) == 30
    assert a.counts.originated + b.counts.originated == 30
    await a.close()
    await b.close()


async def test_a_lost_originate_outcome_is_followed_and_never_dialled_again(
        clock: FakeClock) -> None:
    fake = FakeCampaign("fake")
    (ident,) = fake.ledger.add("13600000003")
    ami = FakeAmi(outcomes={"13600000003": "lost"})
    d = dialer(ami, clock, fake)
    await d.tick()  # the outcome is lost: the refill's orphan pass asks Asterisk
    await wait_for(lambda: d.counts.adopted == 1, "found ringing in Asterisk and followed")
    assert fake.ledger.reports == []  # the call may exist: nothing is concluded
    await d.tick()
    assert (ami.dialled, d.counts.adopted, d.active) == (["fake-1"], 1, 1)
    await ami.pick_up("fake-1")
    await wait_for(lambda: fake.ledger.of("answered") == [(ident, "1700000000.1")],
                   "the adopted call's answer reported")
    await ami.hang_up("fake-1")
    await wait_for(lambda: fake.ledger.of("ended") == [(ident, "hung-up")], "settled")
    assert ami.dialled == ["fake-1"]
    await d.close()


async def test_a_claim_asterisk_has_no_channel_for_ends_as_lost(clock: FakeClock) -> None:
    fake = FakeCampaign("fake")  # a dead node claimed it, then died before its Originate
    (ident,) = fake.ledger.add("13600000001", state="calling", claimed_at=clock())
    ami = FakeAmi()
    d = dialer(ami, clock, fake)
    await d.tick()
    assert fake.ledger.of("ended") == [(ident, "lost")]
    assert (d.counts.lost, ami.dialled, fake.ledger.states[ident]) == (1, [], "failed")
    await d.close()


async def test_an_adopted_call_already_answered_is_not_reported_twice(clock: FakeClock) -> None:
    fake = FakeCampaign("fake")
    (ident,) = fake.ledger.add("13600000002", state="answered", claimed_at=clock())
    ami = FakeAmi()
    key = call_key("fake", ident)
    ami.live[key] = channel(key, "1700000000.70")  # up: the citizen is in the survey
    d = dialer(ami, clock, fake)
    await d.tick()
    assert (d.counts.adopted, d.active, fake.ledger.of("answered")) == (1, 1, [])
    await ami.hang_up(key)
    await wait_for(lambda: fake.ledger.of("ended") == [(ident, "hung-up")], "settled")
    await d.close()


async def test_an_adopted_call_found_up_but_not_recorded_answered_is_reported(
        clock: FakeClock) -> None:
    fake = FakeCampaign("fake")
    (ident,) = fake.ledger.add("13600000004", state="calling", claimed_at=clock())
    ami = FakeAmi()
    ami.live["fake-1"] = channel("fake-1", "1700000000.71")
    d = dialer(ami, clock, fake)
    await d.tick()
    assert fake.ledger.of("answered") == [(ident, "1700000000.71")]
    await ami.pick_up("fake-1")  # a Newstate to Up afterwards reports nothing more
    await d.tick()
    assert len(fake.ledger.of("answered")) == 1
    await d.close()


async def test_the_campaigns_settle_grace_lets_its_own_path_complete_the_call(
        clock: FakeClock) -> None:
    fake = FakeCampaign("fake", settle_grace=timedelta(seconds=10))
    (ident, _) = fake.ledger.add("13700000001", "13700000002")
    ami = FakeAmi()
    d = dialer(ami, clock, fake, cap=1)
    await d.tick()
    await wait_for(lambda: d.counts.answered == 1, "answered")
    await ami.hang_up("fake-1")
    await wait_for(lambda: len(ami.dialled) == 2, "the freed channel is refilled at once")
    assert fake.ledger.of("ended") == []  # within the grace: not concluded yet
    clock.advance(seconds=10)
    await d.tick()
    assert fake.ledger.of("ended") == [(ident, "hung-up")]
    await d.close()


async def test_a_hang_up_that_overtakes_the_answer_still_ends_the_call(
        clock: FakeClock) -> None:
    fake = FakeCampaign("fake")
    (ident,) = fake.ledger.add("13700000003")
    ami = FakeAmi(outcomes={"13700000003": "early-hangup"})
    d = dialer(ami, clock, fake)
    await d.tick()
    await wait_for(lambda: d.counts.answered == 1, "answered")
    assert d.active == 0
    await wait_for(lambda: fake.ledger.of("ended") == [(ident, "hung-up")], "settled")
    await d.close()


async def test_a_long_call_whose_hang_up_went_by_is_found_gone(clock: FakeClock) -> None:
    fake = FakeCampaign("fake")
    (ident,) = fake.ledger.add("13700000004")
    ami = FakeAmi()
    d = dialer(ami, clock, fake, watch_after=timedelta(minutes=10))
    await d.tick()
    await wait_for(lambda: d.counts.answered == 1, "answered")
    ami.live.pop("fake-1")  # hung up while the link was down: no event came
    await d.tick()
    assert d.active == 1  # young: not checked yet
    clock.advance(minutes=10)
    await d.tick()
    assert d.active == 0
    await d.tick()
    assert fake.ledger.of("ended") == [(ident, "hung-up")]
    await d.close()


async def test_a_claim_with_a_number_that_is_not_one_is_failed_never_dialled(
        clock: FakeClock) -> None:
    fake = FakeCampaign("fake")
    (ident,) = fake.ledger.add("138@evil/1")
    ami = FakeAmi()
    d = dialer(ami, clock, fake)
    await d.tick()
    await wait_for(lambda: d.counts.unanswered == 1, "reported")
    assert (ami.dialled, fake.ledger.of("unanswered")) == ([], [(ident, "failed")])
    await d.close()


@pytest.mark.parametrize("fields", [{"cap": 0}, {"dial": "Local/12345@sim-citizen"},
                                    {"dial": "Local/{number}@{trunk}"}, {"ring_timeout": 0}])
def test_a_configuration_the_dialer_cannot_use_is_refused_with_its_field(
        fields: dict[str, object]) -> None:
    with pytest.raises(OutboundConfigInvalid) as refused:
        OutboundConfig(**fields)  # type: ignore[arg-type]
    assert refused.value.error_id == "outbound-config-invalid"
    assert refused.value.details["field"] == next(iter(fields))


@pytest.mark.parametrize("names", [("fake", "fake"), ("call-back",), ("",), ("Fake",)])
def test_campaign_names_that_would_mix_up_keys_are_refused(names: tuple[str, ...]) -> None:
    with pytest.raises(CampaignInvalid) as refused:
        OutboundDialer([FakeCampaign(name) for name in names], FakeAmi(), CONFIG)
    assert refused.value.error_id == "outbound-campaign-invalid"


def test_keys_name_the_campaign_the_record_and_the_attempt() -> None:
    assert (call_key("revisit", 7), call_key("callback", 3, 2)) == ("revisit-7", "callback-3-2")
