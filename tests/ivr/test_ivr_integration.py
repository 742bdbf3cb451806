"""The IVR through the real Asterisk 22 (prompts built by espeak-ng, played from inside its
root): a simulated caller follows a ticket by its number, another hangs up mid-menu, and a
citizen answers a revisit survey by keypad. In CI a missing Asterisk fails, never skips."""

import asyncio
import logging
import shutil
from collections.abc import AsyncIterator, Callable

import pytest

from ivr.config import IvrConfig, MenuMode
from ivr.outcome import RouteOutcome
from ivr.ports import SurveyAnswer
from ivr.prompts.build import build
from ivr.prompts.player import PromptDir, Prompts
from ivr.server import IvrServer
from telephony.pbx import process
from telephony.pbx.probe import AmiSession, Message
from telephony.pbx.prompts import PROMPTS, install_prompts
from tests.ivr.fakes import TICKET, FakeSurveys, FakeTickets, token_of
from tests.required import unavailable
from tests.telephony.conftest import Running, ami, asterisk_root, pbx  # noqa: F401
from tests.waiting import wait_for


@pytest.fixture(scope="module")
def instance_prompts(pbx: Running) -> Prompts:  # noqa: F811
    """Every prompt built and installed into the running instance, as `prompts build` does."""
    for tool in ("espeak-ng", "sox"):
        if shutil.which(tool) is None:
            unavailable(f"{tool} is missing")
    asyncio.run(build(pbx.settings.effective_prompts_dir))
    target = pbx.instance.run_dir / PROMPTS
    install_prompts(target, pbx.settings.prompt_sources, process.instance_account(pbx.instance))
    return Prompts.in_instance(PromptDir(target, pbx.instance.inside / PROMPTS))


@pytest.fixture
def config() -> IvrConfig:
    return IvrConfig(describe_seconds=1)


@pytest.fixture
async def ivr(pbx: Running, instance_prompts: Prompts, tickets: FakeTickets,  # noqa: F811
              surveys: FakeSurveys, finished: list[RouteOutcome],
              config: IvrConfig) -> AsyncIterator[IvrServer]:
    server = IvrServer(pbx.settings.agi_host, pbx.settings.agi_port, tickets=tickets,
                       surveys=surveys, prompts=instance_prompts,
                       config=config, on_finished=finished.append)
    async with server:
        yield server


@pytest.fixture
def prompt_problems(caplog: pytest.LogCaptureFixture) -> Callable[[], list[str]]:
    """Warnings of a prompt missing or one Asterisk could not open (inside its root)."""
    caplog.set_level(logging.WARNING, logger="ivr")
    return lambda: [r.getMessage() for r in caplog.records
                    if "could not play" in r.getMessage() or "is missing" in r.getMessage()]


def on(channel: str, name: str, **fields: str) -> Callable[[Message], bool]:
    def match(event: Message) -> bool:
        return (event["Event"] == name and event.get("Channel") == channel
                and all(event.get(k) == v for k, v in fields.items()))
    return match


async def call(ami: AmiSession, caller: str, steps: str) -> Message:  # noqa: F811
    """A simulated call to 12345; the Newchannel of its leg that runs the dialplan (and AGI)."""
    response = await ami.action(
        "Originate", Channel="Local/12345@sim-dial", Context="sim-caller", Exten="s",
        Priority="1", Async="true", CallerID=caller,
        Variable=f"SIM_FROM={caller},SIM_STEPS={steps},SIM_HOLD=60")
    assert response["Response"] == "Success", response
    return await ami.wait_event(lambda e: e["Event"] == "Newchannel"
                                and e.get("Exten") == "12345" and e["Channel"].endswith(";2"))


async def test_a_caller_follows_a_ticket_by_its_number(
        ami: AmiSession, ivr: IvrServer, tickets: FakeTickets,  # noqa: F811
        finished: list[RouteOutcome], prompt_problems: Callable[[], list[str]]) -> None:
    leg = await call(ami, "13800138000", f"wait:1^dtmf:2^wait:2^dtmf:{TICKET}#")
    channel = leg["Channel"]
    stage = await ami.wait_event(on(channel, "VarSet", Variable="HOTLINE_STAGE"))
    assert stage["Value"] == "ivr"
    result = await ami.wait_event(on(channel, "VarSet", Variable="HOTLINE_IVR_RESULT"), 90)
    assert result["Value"] == "followed"
    assert tickets.asked == [TICKET]
    await ami.wait_event(on(channel, "Hangup"), 30)  # served: the IVR ends the call itself
    await wait_for(lambda: bool(finished), "the route ended")
    [outcome] = finished
    assert (outcome.result, outcome.detail) == ("followed", TICKET)
    assert (outcome.uniqueid, outcome.linkedid) == (leg["Uniqueid"], leg["Linkedid"])
    assert not [e for e in ami.events if e.get("Channel") == channel
                and e["Event"] == "QueueCallerJoin"]  # never queued: it asked for no agent
    assert prompt_problems() == []  # every prompt played from inside the root


@pytest.mark.parametrize("config", [IvrConfig(mode=MenuMode.GREETING)])
async def test_a_greeting_line_greets_and_queues_a_caller_who_keys_nothing(
        ami: AmiSession, ivr: IvrServer, finished: list[RouteOutcome],  # noqa: F811
        prompt_problems: Callable[[], list[str]]) -> None:
    leg = await call(ami, "13800138002", "wait:30")
    channel = leg["Channel"]
    result = await ami.wait_event(on(channel, "VarSet", Variable="HOTLINE_IVR_RESULT"), 60)
    assert result["Value"] == "agent"
    await ami.wait_event(lambda e: e["Event"] == "QueueCallerJoin"
                         and e.get("Channel") == channel and e.get("Queue") == "main", 30)
    await wait_for(lambda: bool(finished), "the route ended")
    assert finished[0].result == "agent"
    assert prompt_problems() == []  # the greeting was built and played
    await ami.action("Hangup", Channel=channel)


async def test_a_caller_hanging_up_mid_menu_ends_the_route_cleanly(
        ami: AmiSession, ivr: IvrServer, tickets: FakeTickets,  # noqa: F811
        finished: list[RouteOutcome]) -> None:
    leg = await call(ami, "13800138001", "wait:2^hangup")
    channel = leg["Channel"]
    await ami.wait_event(on(channel, "VarSet", Variable="HOTLINE_STAGE"))
    await ami.wait_event(on(channel, "Hangup"), 30)
    await wait_for(lambda: bool(finished), "the route ended")
    assert finished[0].result == "hungup" and finished[0].uniqueid == leg["Uniqueid"]
    assert tickets.asked == []
    assert not [e for e in ami.events if e.get("Channel") == channel
                and e["Event"] == "QueueCallerJoin"]
    await wait_for(lambda: ivr.active_calls == 0, "connection closed")


async def test_a_citizen_answers_the_revisit_survey_by_keypad(
        ami: AmiSession, ivr: IvrServer, surveys: FakeSurveys,  # noqa: F811
        finished: list[RouteOutcome], prompt_problems: Callable[[], list[str]]) -> None:
    # The citizen answers (Playback answers the channel), then keys 1 now and then: keys
    # during the introduction are not listened to; each question takes the next one.
    steps = "^".join(["play:silence/1", *["dtmf:1", "wait:1"] * 50])
    response = await ami.action(
        "Originate", Channel="Local/s@sim-caller", Context="revisit-survey", Exten="s",
        Priority="1", Async="true",
        Variable=f"HOTLINE_REVISIT_ID=att-1,HOTLINE_REVISIT_TOKEN={token_of('att-1')},"
                 f"SIM_STEPS={steps},SIM_HOLD=1")
    assert response["Response"] == "Success", response
    await wait_for(lambda: bool(finished), "the survey ended", within=120)
    assert finished[0].result == "answered"
    assert surveys.answers == [SurveyAnswer("att-1", "满意", True, False)]
    assert surveys.abandons == []
    assert prompt_problems() == []  # the summary, spoken at call time, played too
    cache = ivr.prompts.cache
    assert cache is not None and list(cache.host.iterdir()) == []  # and is gone
