"""Live drafting: each call's transcript so far becomes a draft, pushed as it grows.

The composition root hands in what the recogniser hears (:class:`Spoken`, :class:`VoiceEnded`);
each call's final stretches are kept in spoken order, drafted again on every new one, and a
:class:`DraftUpdated` is published (``final`` once the caller's stream ends). Suggestions
follow in the background, so the database delays neither this draft nor the next one.
"""

import asyncio
import logging
from collections.abc import Awaitable, Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Protocol

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from tickets.drafting.draft import Draft
from tickets.drafting.events import (
    AGENT,
    CALLER,
    DraftingEvent,
    DraftUpdated,
    Spoken,
    SuggestedAnswer,
    SuggestedTicket,
    SuggestedUnit,
    Suggestions,
    SuggestionsUpdated,
    TranscriptPartial,
    TranscriptTurn,
    VoiceEnded,
)
from tickets.drafting.gazetteer import Gazetteer, builtin
from tickets.drafting.normalise import normalise
from tickets.drafting.places import load_gazetteer
from tickets.drafting.service import draft_from_turns, warm_up
from tickets.drafting.suggest import knowledge_answers, similar_open_tickets, suggest_units
from tickets.drafting.turns import SPEAKERS, Alternative, Speaker, Turn

log = logging.getLogger(__name__)

Publish = Callable[[DraftingEvent], Awaitable[None]]


class Drafting(Protocol):
    """Turns in spoken order -> a draft; what to suggest beside it; readable text."""

    def draft(self, turns: Sequence[Turn], caller_id: str | None = None) -> Draft: ...

    def same_matter(self, a: Draft, b: Draft) -> bool: ...

    async def suggest(self, draft: Draft) -> Suggestions: ...

    def readable(self, text: str) -> str: ...


class LiveDrafting:
    """Drafts with the built-in and the deployment's places; suggests from the database."""

    def __init__(self, sessionmaker: async_sessionmaker[AsyncSession],
                 clock: Callable[[], datetime]) -> None:
        self.sessionmaker = sessionmaker
        self.clock = clock
        self.gazetteer: Gazetteer = builtin()

    async def refresh(self) -> None:
        """Reload the deployment's places (an administrator may have imported more) and index
        them by sound off the event loop (the same places reuse their indices)."""
        async with self.sessionmaker() as session:
            self.gazetteer = await load_gazetteer(session)
        await asyncio.to_thread(warm_up, self.gazetteer)

    def draft(self, turns: Sequence[Turn], caller_id: str | None = None) -> Draft:
        """The draft of the call so far; ``caller_id``: the number the call came from."""
        return draft_from_turns(turns, self.gazetteer, caller_id=caller_id)

    def readable(self, text: str) -> str:
        """The recogniser's words as an agent reads them: joined, numbers in digits."""
        return normalise(text)

    def same_matter(self, a: Draft, b: Draft) -> bool:
        """Whether suggestions for ``a`` still hold for ``b`` (what they depend on is equal)."""
        return (a.category, a.address, a.request_type, a.summary) == \
            (b.category, b.address, b.request_type, b.summary)

    async def suggest(self, draft: Draft) -> Suggestions:
        """Units to dispatch to, open tickets on the same matter, knowledge-base answers."""
        now = self.clock()
        async with self.sessionmaker() as session:
            units = await suggest_units(session, draft)
            similar = await similar_open_tickets(session, draft, now=now)
            answers = await knowledge_answers(session, draft, now)
        return Suggestions(
            units=tuple(SuggestedUnit(u.unit.id, u.unit.name, u.territory, tuple(u.duty_words))
                        for u in units),
            similar_open_tickets=tuple(
                SuggestedTicket(s.ticket.number or "", s.ticket.state, s.ticket.summary,
                                s.similarity, s.shared_place) for s in similar),
            knowledge=tuple(SuggestedAnswer(h.article.id, h.article.title, round(h.score, 3))
                            for h in answers))


@dataclass
class CallTranscript:
    """One call's final stretches, and which of its speakers' streams are over."""

    spoken: list[Spoken] = field(default_factory=list)
    ended: set[str] = field(default_factory=set)
    caller_id: str | None = None  # the number the call came from: the default callback number
    latest: DraftUpdated | None = None  # the newest draft published
    drafted: int = 0  # how many stretches the newest draft saw
    suggested_for: Draft | None = None  # the draft the last suggestions were made for
    suggesting: "asyncio.Task[None] | None" = None

    def turns(self) -> list[Turn]:
        """Stretches in spoken order, a speaker's consecutive ones joined into one turn."""
        ordered = sorted(self.spoken, key=lambda s: (s.start, s.speaker))
        return join_spoken(s for s in ordered if s.speaker in SPEAKERS)


def join_turns(said: Iterable[tuple[str, str]]) -> list[tuple[str, str]]:
    """(speaker, text) in spoken order, a speaker's consecutive pieces joined into one turn."""
    turns: list[tuple[str, str]] = []
    for speaker, text in said:
        if turns and turns[-1][0] == speaker:
            turns[-1] = (speaker, f"{turns[-1][1]} {text}")
        else:
            turns.append((speaker, text))
    return turns


def join_spoken(spoken: Iterable[Spoken]) -> list[Turn]:
    """A speaker's consecutive stretches as one turn: texts, words and readings joined."""
    runs: list[list[Spoken]] = []
    for piece in spoken:
        if runs and runs[-1][0].speaker == piece.speaker:
            runs[-1].append(piece)
        else:
            runs.append([piece])
    return [_turn(run) for run in runs]


def _turn(run: list[Spoken]) -> Turn:
    speaker: Speaker = "caller" if run[0].speaker == "caller" else "agent"
    text = " ".join(piece.text for piece in run)
    words = tuple(w for piece in run for w in piece.words)
    # the i-th reading of the turn: each stretch's i-th reading where it has one, else its best
    depth = max((len(piece.alternatives) for piece in run), default=0)
    readings = tuple(Alternative(
        " ".join(p.alternatives[i].text if i < len(p.alternatives) else p.text for p in run),
        sum(p.alternatives[min(i, len(p.alternatives) - 1)].confidence
            for p in run if p.alternatives)) for i in range(depth))
    return Turn(speaker, text, words, readings)


def turns_of(said: Iterable[tuple[str, str]]) -> list[Turn]:
    """(speaker, text) as stored, joined into turns (no words or readings kept)."""
    return [Turn("caller" if s == "caller" else "agent", t)
            for s, t in join_turns(x for x in said if x[0] in SPEAKERS)]


def transcript_of(drafting: Drafting, turns: Sequence[Turn]) -> tuple[TranscriptTurn, ...]:
    """The turns as the screen gets them: the recogniser's words and the readable text."""
    return tuple(TranscriptTurn(t.speaker, t.text, drafting.readable(t.text)) for t in turns)


class LiveDrafts:
    """Per call: drafts as the speakers talk, published through ``publish``."""

    def __init__(self, drafting: Drafting, publish: Publish, max_calls: int = 10_000) -> None:
        self.drafting = drafting
        self.publish = publish
        self.max_calls = max_calls
        self.calls: dict[str, CallTranscript] = {}

    def _call(self, call_id: str) -> CallTranscript:
        known = self.calls.get(call_id)
        if known is None:
            if len(self.calls) >= self.max_calls:  # streams that never ended: forget the oldest
                del self.calls[next(iter(self.calls))]
            known = self.calls[call_id] = CallTranscript()
        return known

    def knows_caller(self, call_id: str, number: str) -> None:
        """The number call ``call_id`` came from: the draft's callback number by default."""
        if number:
            self._call(call_id).caller_id = number

    def call_ended(self, call_id: str) -> None:
        """A call nobody's words were heard on is forgotten with it (its caller ID only)."""
        known = self.calls.get(call_id)
        if known is not None and not known.spoken:
            del self.calls[call_id]

    async def heard(self, event: Spoken | VoiceEnded) -> None:
        """A stretch of speech or the end of a speaker's stream."""
        if isinstance(event, Spoken):
            await self._spoken(event)
        else:
            await self._ended(event)

    async def _spoken(self, spoken: Spoken) -> None:
        call = self._call(spoken.call_id)
        if not spoken.final:
            await self.publish(TranscriptPartial(spoken.call_id, spoken.speaker, spoken.text,
                                                 self.drafting.readable(spoken.text)))
            return
        if not spoken.text.strip():
            return
        call.spoken.append(spoken)
        await self._draft(spoken.call_id, call, final=CALLER in call.ended)

    async def _ended(self, event: VoiceEnded) -> None:
        call = self.calls.get(event.call_id)
        if call is None:
            return
        call.ended.add(event.speaker)
        if call.ended >= {CALLER, AGENT}:
            del self.calls[event.call_id]
        if event.speaker == CALLER and call.spoken:
            await self._draft(event.call_id, call, final=True)

    async def _draft(self, call_id: str, call: CallTranscript, *, final: bool) -> None:
        if call.drafted == len(call.spoken) and call.latest is not None:
            # Nothing new since the last draft (the caller hung up after it): say it is final.
            await self.publish(DraftUpdated(call_id, call.latest.draft,
                                            call.latest.transcript, final))
            return
        turns = call.turns()
        try:
            # Drafting is pure CPU work of a few milliseconds: a thread keeps the loop free.
            draft = await asyncio.to_thread(self.drafting.draft, turns, call.caller_id)
        except Exception:  # a drafting bug must not cost the call its transcript
            log.exception("call %s: drafting failed", call_id)
            return
        call.latest = DraftUpdated(call_id, draft, transcript_of(self.drafting, turns), final)
        call.drafted = len(call.spoken)
        await self.publish(call.latest)
        if call.suggesting is None or call.suggesting.done():
            call.suggesting = asyncio.create_task(self._suggest(call_id, call))

    async def _suggest(self, call_id: str, call: CallTranscript) -> None:
        """Suggest for the newest draft until the suggestions match it (drafts move on)."""
        while call.latest is not None and (
                call.suggested_for is None
                or not self.drafting.same_matter(call.suggested_for, call.latest.draft)):
            draft = call.suggested_for = call.latest.draft
            try:
                suggestions = await self.drafting.suggest(draft)
            except Exception:  # the database may be down; the draft already went out
                log.exception("call %s: suggestions failed", call_id)
                return
            await self.publish(SuggestionsUpdated(call_id, suggestions))
