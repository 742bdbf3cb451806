"""Live drafting: each call's transcript so far becomes a draft on the agents' screens.

The ASR hub hands out segments per stream (one per speaker); this module keeps each call's
final segments in the order they were spoken, re-drafts on every new one, and announces the
draft through the call controller, whose WebSocket the agents' screens already follow. When
the caller's stream ends (the caller hung up) the draft goes out marked ``final``.
"""

import asyncio
import logging
from collections.abc import Awaitable, Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol

from asr.events import AsrEvent, Segment, StreamEnded
from telephony.controller.line import Change

log = logging.getLogger(__name__)

Announce = Callable[[Change], Awaitable[None]]


class Drafting(Protocol):
    """Turns (speaker, text) in spoken order -> a draft; its JSON; what to suggest beside it."""

    def draft(self, turns: Sequence[tuple[str, str]]) -> Any: ...

    def to_json(self, draft: Any) -> Mapping[str, Any]: ...

    def same_matter(self, a: Any, b: Any) -> bool: ...

    async def suggest(self, draft: Any) -> Mapping[str, Any]: ...

    def readable(self, text: str) -> str: ...

CALLER, AGENT = "caller", "agent"


@dataclass
class CallTranscript:
    """One call's final segments, and which of its streams are still open."""

    segments: list[Segment] = field(default_factory=list)
    ended: set[str] = field(default_factory=set)  # speakers whose stream is over
    latest: Any = None  # the newest draft
    latest_json: dict[str, Any] = field(default_factory=dict)  # what was announced with it
    drafted: int = 0  # how many segments the newest draft saw
    suggested_for: Any = None  # the draft the last suggestions were made for
    suggesting: "asyncio.Task[None] | None" = None

    def turns(self) -> list[tuple[str, str]]:
        """Segments in spoken order, a speaker's consecutive segments joined into one turn."""
        ordered = sorted(self.segments, key=lambda s: (s.start, s.speaker))
        return join_turns((s.speaker, s.text) for s in ordered)


def join_turns(said: Iterable[tuple[str, str]]) -> list[tuple[str, str]]:
    """(speaker, text) in spoken order, a speaker's consecutive pieces joined into one turn."""
    turns: list[tuple[str, str]] = []
    for speaker, text in said:
        if turns and turns[-1][0] == speaker:
            turns[-1] = (speaker, f"{turns[-1][1]} {text}")
        else:
            turns.append((speaker, text))
    return turns


class LiveDrafts:
    """Subscribes to the ASR hub; announces ``draft`` changes per call."""

    def __init__(self, drafting: Drafting, announce: Announce, max_calls: int = 10_000) -> None:
        self.drafting = drafting
        self.announce = announce
        self.max_calls = max_calls
        self.calls: dict[str, CallTranscript] = {}

    def _call(self, call_id: str) -> CallTranscript:
        known = self.calls.get(call_id)
        if known is None:
            if len(self.calls) >= self.max_calls:  # streams that never ended: forget the oldest
                del self.calls[next(iter(self.calls))]
            known = self.calls[call_id] = CallTranscript()
        return known

    async def on_asr(self, event: AsrEvent) -> None:
        """A segment or the end of a stream."""
        if isinstance(event, Segment):
            await self._segment(event)
        elif isinstance(event, StreamEnded):
            await self._ended(event)

    async def _segment(self, segment: Segment) -> None:
        call = self._call(segment.call_id)
        if not segment.final:
            await self.announce(Change("transcript", segment.call_id, "partial", {
                "speaker": segment.speaker, "text": segment.text,
                "readable": self.drafting.readable(segment.text)}))
            return
        if not segment.text.strip():
            return
        call.segments.append(segment)
        await self._draft(segment.call_id, call, "final" if CALLER in call.ended else "updated")

    async def _ended(self, event: StreamEnded) -> None:
        call = self.calls.get(event.call_id)
        if call is None:
            return
        call.ended.add(event.speaker)
        if call.ended >= {CALLER, AGENT}:
            del self.calls[event.call_id]
        if event.speaker == CALLER and call.segments:
            await self._draft(event.call_id, call, "final")

    async def _draft(self, call_id: str, call: CallTranscript, state: str) -> None:
        if call.drafted == len(call.segments) and call.latest_json:
            # Nothing new since the last draft (the caller hung up after it): say it is final.
            await self.announce(Change("draft", call_id, state, call.latest_json))
            return
        turns = call.turns()
        try:
            # Drafting is pure CPU work of a few milliseconds: a thread keeps the loop free.
            draft = await asyncio.to_thread(self.drafting.draft, turns)
            data = self.drafting.to_json(draft)
        except Exception:  # a drafting bug must not cost the call its transcript
            log.exception("call %s: drafting failed", call_id)
            return
        call.latest, call.drafted = draft, len(call.segments)
        call.latest_json = {"draft": dict(data),
                            "transcript": transcript_json(self.drafting, turns)}
        await self.announce(Change("draft", call_id, state, call.latest_json))
        # In the background: the database must delay neither this draft nor the next one.
        if call.suggesting is None or call.suggesting.done():
            call.suggesting = asyncio.create_task(self._suggest(call_id, call))

    async def _suggest(self, call_id: str, call: CallTranscript) -> None:
        """Suggest for the newest draft until the suggestions match it (drafts move on)."""
        while call.suggested_for is None or not self.drafting.same_matter(call.suggested_for,
                                                                           call.latest):
            draft = call.suggested_for = call.latest
            try:
                suggestions = await self.drafting.suggest(draft)
            except Exception:  # the database may be down; the draft already went out
                log.exception("call %s: suggestions failed", call_id)
                return
            await self.announce(Change("suggestions", call_id, "updated", dict(suggestions)))


def transcript_json(drafting: Drafting,
                    turns: Sequence[tuple[str, str]]) -> list[dict[str, str]]:
    """The turns as the screen gets them: the recogniser's words and the readable text."""
    return [{"speaker": s, "text": t, "readable": drafting.readable(t)} for s, t in turns]
