"""A deterministic AMI event stream shaped like Asterisk 22's for 12345 hotline calls."""

from __future__ import annotations

import random
from dataclasses import dataclass

BANNER = b"Asterisk Call Manager/9.0.0\r\n"
SURNAMES = "王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗"
GIVEN = ["伟", "芳", "娜", "秀英", "敏", "静", "丽", "强", "磊", "军", "洋", "勇", "艳", "杰", "娟"]
QUEUES = ["general", "enterprise", "dialect"]
LINES = ["12345", "12319", "12315", "12369"]
STATES = {4: "Ring", 5: "Ringing", 6: "Up"}
# The channel variables manager.conf's channelvars= adds to every snapshot.
TAGS = ("HOTLINE_LINE", "HOTLINE_QUEUE", "HOTLINE_MODE", "HOTLINE_TICKET")


@dataclass(frozen=True)
class Recorded:
    """The stream, how many events it holds, and how many reach a catch-all subscriber."""

    data: bytes
    events: int
    dispatched: int


@dataclass
class Leg:
    """One channel of a call, as its snapshot lines are written."""

    name: str
    uniqueid: str
    linkedid: str
    num: str
    cid_name: str
    context: str
    exten: str
    tags: dict[str, str]
    state: int = 4

    def snapshot(self, prefix: str = "") -> str:
        p = prefix
        lines = [
            f"{p}Channel: {self.name}",
            f"{p}ChannelState: {self.state}",
            f"{p}ChannelStateDesc: {STATES[self.state]}",
            f"{p}CallerIDNum: {self.num}",
            f"{p}CallerIDName: {self.cid_name}",
            f"{p}ConnectedLineNum: <unknown>",
            f"{p}ConnectedLineName: <unknown>",
            f"{p}Language: zh",
            f"{p}AccountCode: ",
            f"{p}Context: {self.context}",
            f"{p}Exten: {self.exten}",
            f"{p}Priority: 1",
            f"{p}Uniqueid: {self.uniqueid}",
            f"{p}Linkedid: {self.linkedid}",
        ]
        lines += [f"{p}ChanVariable: {k}={self.tags.get(k, '')}" for k in TAGS]
        return "\r\n".join(lines)


class _Writer:
    def __init__(self) -> None:
        self.parts: list[str] = []
        self.events = 0
        self.filtered = 0

    def event(self, name: str, *body: str, privilege: str = "call,all") -> None:
        head = f"Event: {name}\r\nPrivilege: {privilege}\r\n"
        self.parts.append(head + "\r\n".join(b for b in body if b) + "\r\n\r\n")
        self.events += 1


def _call(w: _Writer, rng: random.Random, n: int, clock: float) -> None:
    line, queue = rng.choice(LINES), rng.choice(QUEUES)
    cid = rng.choice(SURNAMES) + rng.choice(GIVEN)
    tags = {"HOTLINE_LINE": line, "HOTLINE_QUEUE": queue, "HOTLINE_MODE": "forward"}
    uid = f"{clock:.0f}.{2 * n}"
    caller = Leg(
        f"PJSIP/trunk-{2 * n:08x}",
        uid,
        uid,
        f"1{rng.randrange(3, 9)}{rng.randrange(10**9):09d}",
        cid,
        "from-trunk",
        line,
        tags,
    )
    agent_no = f"10{rng.randrange(10, 60)}"
    agent = Leg(
        f"PJSIP/agent{agent_no}-{2 * n + 1:08x}",
        f"{clock:.0f}.{2 * n + 1}",
        uid,
        agent_no,
        f"坐席{agent_no}",
        "agents",
        agent_no,
        tags,
    )
    w.event("Newchannel", caller.snapshot())
    _dialplan(w, caller, line, queue)
    caller.state = 6
    w.event("Newstate", caller.snapshot())
    _dialplan(w, caller, line, queue)
    w.event("QueueCallerJoin", caller.snapshot(), f"Queue: {queue}", "Position: 1", "Count: 1")
    if rng.random() < 0.1:
        w.event(
            "QueueCallerAbandon",
            caller.snapshot(),
            f"Queue: {queue}",
            "Position: 1",
            "OriginalPosition: 1",
            f"HoldTime: {rng.randrange(5, 90)}",
        )
        w.event("Hangup", caller.snapshot(), "Cause: 16", "Cause-txt: Normal Clearing")
        return
    _answer(w, rng, caller, agent, queue)


def _dialplan(w: _Writer, leg: Leg, line: str, queue: str) -> None:
    for app, data in (("Set", f"HOTLINE_LINE={line}"), ("AGI", "agi://127.0.0.1:4573/ivr")):
        w.event(
            "Newexten",
            leg.snapshot(),
            "Extension: 12345",
            f"Application: {app}",
            f"AppData: {data}",
            privilege="dialplan,all",
        )
    w.event(
        "VarSet",
        leg.snapshot(),
        "Variable: HOTLINE_QUEUE",
        f"Value: {queue}",
        privilege="dialplan,all",
    )
    w.event(
        "VarSet", leg.snapshot(), "Variable: AGISTATUS", "Value: SUCCESS", privilege="dialplan,all"
    )
    w.filtered += 1  # not ours: the link drops it before any subscriber


def _answer(w: _Writer, rng: random.Random, caller: Leg, agent: Leg, queue: str) -> None:
    member = f"Queue: {queue}\r\nMemberName: 坐席{agent.num}\r\nInterface: PJSIP/agent{agent.num}"
    w.event("Newchannel", agent.snapshot())
    w.event("AgentCalled", caller.snapshot(), agent.snapshot("Dest"), member, privilege="agent,all")
    w.event("DialBegin", caller.snapshot(), agent.snapshot("Dest"), f"DialString: agent{agent.num}")
    agent.state = 5
    w.event("Newstate", agent.snapshot())
    agent.state = 6
    w.event("Newstate", agent.snapshot())
    w.event("DialEnd", caller.snapshot(), agent.snapshot("Dest"), "DialStatus: ANSWER")
    w.event("QueueCallerLeave", caller.snapshot(), f"Queue: {queue}", "Position: 1", "Count: 0")
    hold, talk = rng.randrange(2, 60), rng.randrange(30, 600)
    w.event(
        "AgentConnect",
        caller.snapshot(),
        agent.snapshot("Dest"),
        member,
        "RingTime: 3",
        f"HoldTime: {hold}",
        privilege="agent,all",
    )
    bridge = f"BridgeUniqueid: {caller.uniqueid}-b\r\nBridgeType: basic\r\nBridgeTechnology: simple_bridge"  # noqa: E501
    for n, leg in enumerate((caller, agent), start=1):
        w.event("BridgeEnter", bridge, f"BridgeNumChannels: {n}", leg.snapshot())
    for n, leg in enumerate((caller, agent)):
        w.event("BridgeLeave", bridge, f"BridgeNumChannels: {1 - n}", leg.snapshot())
    w.event(
        "AgentComplete",
        caller.snapshot(),
        agent.snapshot("Dest"),
        member,
        f"HoldTime: {hold}",
        f"TalkTime: {talk}",
        "Reason: caller",
        privilege="agent,all",
    )
    for leg in (caller, agent):
        w.event("Hangup", leg.snapshot(), "Cause: 16", "Cause-txt: Normal Clearing")


def generate(calls: int, seed: int = 12345) -> Recorded:
    """The events of `calls` calls to the hotline; the same bytes for the same arguments."""
    rng = random.Random(seed)
    w = _Writer()
    for n in range(calls):
        _call(w, rng, n, 1_767_225_600 + n * 7)
    data = "".join(w.parts).encode("utf-8")
    return Recorded(data, w.events, w.events - w.filtered)
