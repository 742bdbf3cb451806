"""The live line as the API and the screens' feed give it: calls and agents as JSON."""

from datetime import datetime

from pydantic import BaseModel

from telephony.events import AgentView, CallView, LineSnapshot


class CallOut(BaseModel):
    """A call in progress, as a screen lists it."""

    linkedid: str
    state: str
    caller: str
    caller_name: str
    dialed: str
    source_line: str | None
    queue: str | None
    agent: str | None
    legs: int
    started_at: datetime
    queued_at: datetime | None = None  # when it reached a queue
    callback_id: int | None = None  # a callback leg (漏接回拨): the caller is the citizen

    @classmethod
    def of(cls, call: CallView) -> "CallOut":
        return cls(linkedid=call.linkedid, state=call.state.value, caller=call.caller_number,
                   caller_name=call.caller_name, dialed=call.dialed,
                   source_line=call.source_line, queue=call.queue, agent=call.agent,
                   legs=call.legs, started_at=call.started_at, queued_at=call.queued_at,
                   callback_id=call.callback_id)


class AgentOut(BaseModel):
    """An agent's seat, as a screen lists it."""

    interface: str
    name: str
    state: str
    pause_reason: str
    since: datetime | None
    queues: list[str]

    @classmethod
    def of(cls, agent: AgentView) -> "AgentOut":
        return cls(interface=agent.interface, name=agent.name, state=agent.state.value,
                   pause_reason=agent.pause_reason, since=agent.since,
                   queues=sorted(agent.queues))


class LiveOut(BaseModel):
    """Every call in progress and every agent, now."""

    calls: list[CallOut]
    agents: list[AgentOut]

    @classmethod
    def of(cls, snapshot: LineSnapshot) -> "LiveOut":
        return cls(calls=[CallOut.of(c) for c in snapshot.calls],
                   agents=[AgentOut.of(a) for a in snapshot.agents])


class CallChangeData(BaseModel):
    """What a call change carries (the ``data`` of a ``call`` message)."""

    caller_number: str
    caller_name: str
    dialed: str
    source_line: str | None
    queue: str | None
    agent: str | None
    conference: str | None
    voices: dict[str, str]
    resync: bool = False
    queued_at: datetime | None = None
    callback_id: int | None = None

    @classmethod
    def of(cls, call: CallView, resync: bool = False) -> "CallChangeData":
        return cls(caller_number=call.caller_number, caller_name=call.caller_name,
                   dialed=call.dialed, source_line=call.source_line, queue=call.queue,
                   agent=call.agent, conference=call.conference, voices=dict(call.voices),
                   resync=resync, queued_at=call.queued_at, callback_id=call.callback_id)


class AgentChangeData(BaseModel):
    """What an agent change carries (the ``data`` of an ``agent`` message)."""

    pause_reason: str
    queues: list[str]
    since: datetime | None
    resync: bool = False

    @classmethod
    def of(cls, agent: AgentView, resync: bool = False) -> "AgentChangeData":
        return cls(pause_reason=agent.pause_reason, queues=sorted(agent.queues),
                   since=agent.since, resync=resync)
