"""The starter streams each voice of a call once, and shrugs off an ASR server that is down."""

import uuid
from typing import Any

from telephony.ami.errors import OriginateFailed
from telephony.ami.events import Newchannel, VarSet
from telephony.ami.originate import OriginateRequest
from telephony.calls.machine import Call, CallState
from telephony.controller.service import CallController
from telephony.events import CallChanged, CallView
from telephony.transcription.service import TranscriptionStarter
from tests.telephony.controller.test_line import Clock, caller_and_agent, channel
from tests.waiting import wait_for


class FakeLink:
    def __init__(self, fail: bool = False) -> None:
        self.originated: list[tuple[str, OriginateRequest]] = []
        self.fail = fail

    async def originate(self, key: str, request: OriginateRequest) -> Any:
        self.originated.append((key, request))
        if self.fail:
            raise OriginateFailed("originate failed: failed", key=key)


class Registry:
    def __init__(self) -> None:
        self.expected: dict[uuid.UUID, tuple[str, str]] = {}

    def expect(self, stream_id: uuid.UUID, call_id: str, speaker: str) -> None:
        self.expected[stream_id] = (call_id, speaker)


def starter(fail: bool = False) -> tuple[TranscriptionStarter, FakeLink, Registry, CallController]:
    controller = CallController(None, Clock())  # type: ignore[arg-type]
    link, registry = FakeLink(fail), Registry()
    return (TranscriptionStarter(link, controller, registry, "127.0.0.1:9092"),  # type: ignore[arg-type]
            link, registry, controller)


async def settled(start: TranscriptionStarter) -> None:
    await wait_for(lambda: not start._tasks, "the originates settled")


async def test_an_answered_call_streams_caller_and_agent_once_each() -> None:
    start, link, registry, controller = starter()
    caller_and_agent(controller.line)
    call = controller.line.calls["100.1"]
    call.voices["agent"] = "PJSIP/8001-0002"  # the helper's events name both legs alike
    for _ in range(2):  # a repeated change (a resync) starts nothing new
        start.on_change(CallChanged(CallView.of(call)))
    await settled(start)
    assert sorted(registry.expected.values()) == [("100.1", "agent"), ("100.1", "caller")]
    spied = sorted(request.data for _, request in link.originated)
    assert spied == ["PJSIP/8001-0002,qoE", "PJSIP/trunk-0001,qoE"]
    request = link.originated[0][1]
    assert request.channel.startswith("AudioSocket/127.0.0.1:9092/")
    assert request.channel.endswith("/c(slin16)")
    assert controller.line.merged[request.channel_id] == "100.1"  # the spy joins the call


async def test_the_ivr_describe_step_starts_the_callers_stream_before_any_agent() -> None:
    start, _, registry, controller = starter()
    line = controller.line
    line.apply(Newchannel(channel("100.1")))
    [change] = line.apply(VarSet(channel("100.1"), "HOTLINE_DESCRIBE", "1"))
    start.on_change(change)
    await settled(start)
    assert list(registry.expected.values()) == [("100.1", "caller")]


async def test_an_asr_server_that_is_down_costs_the_call_nothing() -> None:
    start, link, _, controller = starter(fail=True)
    caller_and_agent(controller.line)
    call = controller.line.calls["100.1"]
    call.voices["agent"] = "PJSIP/8001-0002"  # the helper's events name both legs alike
    start.on_change(CallChanged(CallView.of(call)))
    await settled(start)
    assert len(link.originated) == 2
    assert call.state.value == "connected"


async def test_an_ended_call_is_forgotten() -> None:
    start, _, _, _ = starter()
    start.started["100.1"] = {"PJSIP/trunk-0001"}
    ended = Call("100.1", "13800138000", "", "12345", Clock()(), state=CallState.ENDED)
    start.on_change(CallChanged(CallView.of(ended)))
    assert start.started == {}
