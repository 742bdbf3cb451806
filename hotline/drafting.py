"""The ticket drafting as the live pipeline uses it: the deployment's places, suggestions."""

from collections.abc import Callable, Mapping, Sequence
from datetime import datetime
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from tickets.drafting.draft import Draft
from tickets.drafting.gazetteer import Gazetteer, builtin
from tickets.drafting.normalise import normalise
from tickets.drafting.places import load_gazetteer
from tickets.drafting.service import Turn, draft_from_turns
from tickets.drafting.suggest import knowledge_answers, similar_open_tickets, suggest_units
from tickets.drafting.transcript import SPEAKERS


class TicketDrafting:
    """Drafts from turns with the built-in and the deployment's places; suggests from the DB."""

    def __init__(self, sessionmaker: async_sessionmaker[AsyncSession],
                 clock: Callable[[], datetime]) -> None:
        self.sessionmaker = sessionmaker
        self.clock = clock
        self.gazetteer: Gazetteer = builtin()

    async def refresh(self) -> None:
        """Reload the deployment's places (an administrator may have imported more)."""
        async with self.sessionmaker() as session:
            self.gazetteer = await load_gazetteer(session)

    def draft(self, turns: Sequence[tuple[str, str]]) -> Draft:
        """The draft of the call so far; turns of other speakers are left out."""
        known = [Turn(speaker, text) for speaker, text in turns if speaker in SPEAKERS]
        return draft_from_turns(known, self.gazetteer)

    def to_json(self, draft: Draft) -> Mapping[str, Any]:
        return draft.to_json()

    def readable(self, text: str) -> str:
        """The recogniser's words as an agent reads them: joined, numbers in digits."""
        return normalise(text)

    def same_matter(self, a: Draft, b: Draft) -> bool:
        """Whether suggestions for ``a`` still hold for ``b`` (what they depend on is equal)."""
        return (a.category, a.address, a.request_type, a.summary) == \
            (b.category, b.address, b.request_type, b.summary)

    async def suggest(self, draft: Draft) -> Mapping[str, Any]:
        """Units to dispatch to, open tickets on the same matter, knowledge-base answers."""
        now = self.clock()
        async with self.sessionmaker() as session:
            units = await suggest_units(session, draft)
            similar = await similar_open_tickets(session, draft, now=now)
            answers = await knowledge_answers(session, draft, now)
        return {
            "units": [{"id": u.unit.id, "name": u.unit.name, "territory": u.territory,
                       "duty_words": list(u.duty_words)} for u in units],
            "similar_open_tickets": [
                {"number": s.ticket.number, "state": s.ticket.state, "summary": s.ticket.summary,
                 "similarity": s.similarity, "place": s.shared_place} for s in similar],
            "knowledge": [{"id": h.article.id, "title": h.article.title,
                           "score": round(h.score, 3)} for h in answers],
        }
