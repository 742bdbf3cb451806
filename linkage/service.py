"""The emergency hand-off: alert the agent, join the line to the call, send the data.

One :class:`LiveHandoff` per call and kind, steered by its state machine. It hears the live
drafts (:class:`DraftUpdated`) and the calls (:class:`CallChanged`) the composition root
passes on, and everything the agents' screens must know is published at once as an
:class:`EmergencyChanged`; the database is written after, and a database that is down costs
the timeline a delay, never the call.
"""

import asyncio
import contextlib
import logging
import uuid
from collections.abc import Awaitable, Callable
from datetime import datetime
from typing import Any

from linkage.data import DataSender
from linkage.detection import Detected, Drafts, ivr_choice
from linkage.errors import HandoffNotFound, KindAmbiguous, NoTargetListed
from linkage.events import EmergencyChanged, StepFacts
from linkage.handoff import LiveHandoff, Step
from linkage.machine import LIVE, DataState, HandoffEvent, HandoffState, next_state
from linkage.store import save
from linkage.targets import Entries
from linkage.ticketing import Ticketing
from linkage.voice import WITH_AGENT, LineUnanswered, Voice
from telephony.ami.events import AmiEvent, Hangup, VarSet
from telephony.calls.machine import CallState
from telephony.events import CallChanged
from tickets.drafting.events import DraftUpdated

log = logging.getLogger(__name__)

Announce = Callable[[EmergencyChanged], Awaitable[None]]
Owner = Callable[[str, str], str | None]  # (uniqueid, linkedid) -> the call's linkedid
E, S = HandoffEvent, HandoffState
SYSTEM = "linkage"


class LinkageService:
    """Every hand-off this node steers, by (linkedid, kind)."""

    def __init__(self, *, entries: Entries, announce: Announce, voice: Voice | None,
                 data: DataSender, ticketing: Ticketing, clock: Callable[[], datetime],
                 caller_id: str = "12345", owner: Owner | None = None,
                 keep: int = 1_000) -> None:
        self.entries = entries
        self.announce = announce
        self.voice = voice
        self.data = data
        self.ticketing = ticketing
        self.clock = clock
        self.caller_id = caller_id
        self.owner = owner or (lambda _uniqueid, linkedid: linkedid)
        self.keep = keep
        self.drafts = Drafts()
        self.handoffs: dict[tuple[str, str], LiveHandoff] = {}

    # -- detection -------------------------------------------------------------------------

    async def on_draft(self, event: DraftUpdated) -> None:
        """A live draft: remember it; the emergency it names is alerted (once)."""
        found = self.drafts.on_draft(event)
        if found is not None:
            await self.alert(found)

    async def on_call(self, event: CallChanged) -> None:
        """A call connecting (a confirmed hand-off dials now) or ending (hand-offs end)."""
        linkedid = event.call.linkedid
        if event.call.state is CallState.ENDED:
            self.drafts.forget(linkedid)
            await self._end_call(linkedid, "the call ended")
        elif event.call.state.value in WITH_AGENT:
            for h in self._of_call(linkedid):
                if h.state is S.CONFIRMED:  # confirmed before an agent had the call
                    await self._dial(h, SYSTEM)

    async def on_ami(self, event: AmiEvent) -> None:
        """The IVR's choice, and hang-ups of the callers and agents of live hand-offs."""
        if isinstance(event, VarSet) and event.channel is not None:
            found = ivr_choice(event, self.owner(event.channel.uniqueid, event.channel.linkedid))
            if found is not None:
                await self.alert(found)
        elif isinstance(event, Hangup):
            name = event.channel.name
            for h in [h for h in self.handoffs.values() if h.state in LIVE]:
                if name == h.caller_channel:
                    await self._end_call(h.linkedid, "the caller hung up")
                elif name == h.agent_channel and h.state is S.JOINED:
                    await self._move(h, E.AGENT_LEAVE, SYSTEM, channel=name)

    async def alert(self, found: Detected, actor: str = SYSTEM) -> LiveHandoff:
        """Tell the agent's screen at once; once per call and kind."""
        key = (found.linkedid, found.kind)
        known = self.handoffs.get(key)
        if known is not None:
            return known
        h = self.handoffs[key] = LiveHandoff(  # claimed before any await: once, whatever races
            uuid.uuid4().hex, found.linkedid, found.kind, found.source.value, found.excerpt,
            self.clock(), entry=None)
        self._forget_finished()
        h.entry = await self.entries.for_kind(found.kind)
        if h.entry is not None and h.entry.endpoint_url:
            h.data_state = DataState.PENDING
        self._watch(h)
        h.unsaved.append(Step(h.alerted_at, actor, "alert", None, h.state.value,
                              data={"source": h.source, "excerpt": h.excerpt}))
        await self.announce(EmergencyChanged(h.view(), h.state.value))
        log.info("call %s: %s emergency alerted from %s (%s)", h.linkedid, h.kind, h.source,
                 h.entry.numbers if h.entry else "not on the list")
        self._persist(h)
        if h.entry is not None and not h.entry.confirm_first:
            await self.confirm(h.linkedid, h.kind, f"{SYSTEM} (the list hands off at once)")
        return h

    # -- the agent's commands --------------------------------------------------------------

    async def confirm(self, linkedid: str, kind: str | None, actor: str,
                      ticket_number: str | None = None) -> LiveHandoff:
        """Hand off now: dial the line into the call, send the data; a second confirm is a no-op."""
        h = self.find(linkedid, kind)
        if h.confirmed_at is None:
            if h.entry is None:
                raise NoTargetListed(f"the emergency list has no entry for {h.kind!r}",
                                     kind=h.kind, linkedid=linkedid)
            await self._move(h, E.CONFIRM, actor, store=False)
            h.confirmed_at, h.confirmed_by = self.clock(), actor
            await self._dial(h, actor)
            h.spawn(self._send_data(h, ticket_number))
        elif ticket_number is not None:
            await self.attach_ticket(linkedid, h.kind, ticket_number, actor)
        await save(self.ticketing.sessionmaker, h, self.clock())
        return h

    async def retry(self, linkedid: str, kind: str | None, actor: str) -> LiveHandoff:
        """After an unanswered line: the next number on the list (round again after the last)."""
        h = self.find(linkedid, kind)
        if h.state is S.LINE_UNANSWERED:
            h.number_index += 1
            await self._dial(h, actor)
        elif h.state is S.CONFIRMED:  # still waiting for an agent: try the same number now
            await self._dial(h, actor)
        elif h.state is not S.DIALLING:  # a retry while it rings changes nothing
            self._refuse(h, E.DIAL)
        await save(self.ticketing.sessionmaker, h, self.clock())
        return h

    async def cancel(self, linkedid: str, kind: str | None, actor: str, reason: str
                     ) -> LiveHandoff:
        """A false alarm: called off before a line answered (data already sent stays sent)."""
        h = self.find(linkedid, kind)
        await self._move(h, E.CANCEL, actor, reason=reason)
        return h

    async def attach_ticket(self, linkedid: str, kind: str | None, number: str, actor: str
                            ) -> dict[str, Any]:
        """The call's ticket becomes an emergency ticket with the profile's urgent deadline."""
        try:
            h = self.find(linkedid, kind)
        except HandoffNotFound:  # steered elsewhere or before a restart: from the database
            stored = await self.ticketing.mark_stored(linkedid=linkedid, kind=kind,
                                                      number=number, actor=actor)
            return {"ticket": stored.number, "handle_due": stored.handle_due}
        marked = await self.ticketing.mark(
            linkedid=linkedid, kind=h.kind, handoff=h.key, target=h.target,
            at=h.confirmed_at or h.alerted_at, actor=actor, number=number)
        assert marked is not None  # a number that is not found raises
        h.took(marked)
        h.note(self.clock(), actor, "ticket", ticket=marked.number, handle_due=marked.handle_due)
        await save(self.ticketing.sessionmaker, h, self.clock())
        return {"ticket": marked.number, "handle_due": marked.handle_due}

    def find(self, linkedid: str, kind: str | None) -> LiveHandoff:
        """The call's hand-off of ``kind``; without a kind, its only live one."""
        if kind is not None:
            found = self.handoffs.get((linkedid, kind))
            if found is None:
                raise HandoffNotFound(f"call {linkedid} has no {kind} hand-off here",
                                      linkedid=linkedid, kind=kind)
            return found
        calls = self._of_call(linkedid)
        live = [h for h in calls if h.state in LIVE] or calls
        if not live:
            raise HandoffNotFound(f"call {linkedid} has no hand-off here", linkedid=linkedid)
        if len(live) > 1:
            raise KindAmbiguous(f"call {linkedid} has several hand-offs: say which kind",
                                linkedid=linkedid, kinds=sorted(h.kind for h in live))
        return live[0]

    # -- the voice side --------------------------------------------------------------------

    async def _dial(self, h: LiveHandoff, actor: str) -> None:
        picture = self.voice.picture(h.linkedid) if self.voice is not None else None
        if picture is None or picture.state not in WITH_AGENT or h.number is None:
            # IVR or queue: the line joins caller and agent, so it waits for the agent
            h.note(self.clock(), actor, "waiting-for-agent",
                   call=picture.state if picture else None)
            return
        h.caller_channel = picture.caller_channel or h.caller_channel
        h.agent_channel = picture.agent_channel or h.agent_channel
        h.caller_number = picture.caller_number
        h.dial_attempts += 1
        await self._move(h, E.DIAL, actor, store=False, number=h.number, attempt=h.dial_attempts)
        caller_id = picture.caller_number if h.entry and h.entry.pass_identity \
            else self.caller_id
        h.spawn(self._join(h, h.number, h.dial_attempts, caller_id))

    async def _join(self, h: LiveHandoff, number: str, attempt: int, caller_id: str) -> None:
        assert self.voice is not None
        try:
            room = await self.voice.join(h.linkedid, number, attempt, caller_id)
        except LineUnanswered as no:
            if h.state is S.DIALLING and attempt == h.dial_attempts:
                await self._move(h, E.NO_ANSWER, SYSTEM, number=number, reason=no.reason,
                                 error_id=no.error_id)
            else:
                h.note(self.clock(), SYSTEM, "line-unanswered", number=number, reason=no.reason)
                self._persist(h)
            return
        if h.state is not S.DIALLING or attempt != h.dial_attempts:
            # The caller hung up while it rang: nobody is left to hand over.
            h.note(self.clock(), SYSTEM, "line-dropped", number=number, room=room)
            self._persist(h)
            await self.voice.hang_up_line(h.linkedid, number, attempt)
            return
        picture = self.voice.picture(h.linkedid)
        if picture is not None:
            h.caller_channel = picture.caller_channel or h.caller_channel
            h.agent_channel = picture.agent_channel or h.agent_channel
        h.room, h.joined_at = room, self.clock()
        await self._move(h, E.ANSWER, SYSTEM, number=number, room=room)

    async def _end_call(self, linkedid: str, why: str) -> None:
        """The caller is gone: every live hand-off of the call ends, nothing is dialled after,
        and a line still ringing or still in the room is hung up (it would wait there alone,
        on hold music, keeping the call open)."""
        for h in self._of_call(linkedid):
            if h.state not in LIVE:
                continue
            on_the_line = h.state in (S.DIALLING, S.JOINED, S.AGENT_LEFT)
            h.ended_at = self.clock()
            await self._move(h, E.END, SYSTEM, reason=why)
            if on_the_line and self.voice is not None and h.number is not None:
                h.spawn(self.voice.hang_up_line(h.linkedid, h.number, h.dial_attempts))

    # -- the data side ---------------------------------------------------------------------

    async def _send_data(self, h: LiveHandoff, ticket_number: str | None) -> None:
        with contextlib.suppress(Exception):  # the ticket is a bonus; the packet goes anyway
            if h.ticket_id is None:
                marked = await self.ticketing.mark(
                    linkedid=h.linkedid, kind=h.kind, handoff=h.key,
                    target=h.target, at=h.confirmed_at or h.alerted_at,
                    actor=h.confirmed_by or SYSTEM, number=ticket_number)
                if marked is not None:
                    h.took(marked)
                    h.note(self.clock(), SYSTEM, "ticket", ticket=marked.number,
                           handle_due=marked.handle_due)
        for change in await self.data.send(h, self.drafts.notes(h.linkedid)):
            await self.announce(change)
        self._persist(h)

    # -- bookkeeping -----------------------------------------------------------------------

    async def _move(self, h: LiveHandoff, event: HandoffEvent, actor: str, *, store: bool = True,
                    **data: Any) -> None:
        h.move(event, self.clock(), actor, **data)
        await self.announce(EmergencyChanged(h.view(), h.state.value, StepFacts(by=actor, **data)))
        if store:
            self._persist(h)

    @staticmethod
    def _refuse(h: LiveHandoff, event: HandoffEvent) -> None:
        next_state(h.state, event, handoff=h.key)  # raises the domain error

    def _watch(self, h: LiveHandoff) -> None:
        picture = self.voice.picture(h.linkedid) if self.voice is not None else None
        if picture is not None:
            h.caller_channel, h.agent_channel = picture.caller_channel, picture.agent_channel
            h.caller_number = picture.caller_number

    def _of_call(self, linkedid: str) -> list[LiveHandoff]:
        return [h for (call, _), h in self.handoffs.items() if call == linkedid]

    def _persist(self, h: LiveHandoff) -> None:
        h.spawn(save(self.ticketing.sessionmaker, h, self.clock()))

    def _forget_finished(self) -> None:
        """Keep at most ``keep`` hand-offs in memory; finished ones go first."""
        finished = [k for k, h in self.handoffs.items() if h.state not in LIVE and not h.tasks]
        for k in finished[:max(0, len(self.handoffs) - self.keep)]:
            del self.handoffs[k]

    async def close(self, grace: float = 2.0) -> None:
        """Let timeline writes finish for ``grace`` seconds, then stop what still runs (a dial
        in flight is the PBX's to finish)."""
        tasks = [t for h in self.handoffs.values() for t in h.tasks]
        if tasks:
            await asyncio.wait(tasks, timeout=grace)
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)
