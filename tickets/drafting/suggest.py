"""What the agent may want beside a draft: units to dispatch to, similar open tickets, answers.

Units come territory first (属地管理优先, changzhi 三(二)), then by duties that match the
draft's category and topic words (谁主管谁负责). Similar tickets are open ones of the same
category at the same place within a window (a repeat or a concentrated complaint). Answers
come from the knowledge base's BM25 search on the draft's summary.
"""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from kernel.clock import now as clock_now
from kernel.clock import require_aware
from tickets.accounts.models import Unit
from tickets.drafting.draft import Draft
from tickets.drafting.fields.category import DEPARTMENTS, TOPICS
from tickets.drafting.gazetteer import short_form
from tickets.enums import Category
from tickets.knowledge.errors import EmptyQuery
from tickets.knowledge.search import Hit, search
from tickets.workflow.models import Ticket

MIN_SHARED_PLACE = 3  # characters two places must share: a community or road name
MAX_CANDIDATES = 200


@dataclass(frozen=True)
class UnitSuggestion:
    """A unit worth dispatching to, and why."""

    unit: Unit
    territory: str | None
    duty_words: tuple[str, ...]


@dataclass(frozen=True)
class SimilarTicket:
    """An open ticket that looks like the same matter."""

    ticket: Ticket
    similarity: float
    shared_place: str


def _category_words(category: Category | None, summary: str) -> set[str]:
    """Words a unit's duties would use for the matter's category and topic."""
    words: set[str] = set()
    if category is not None:
        words.add(category.value)
        for lexicon in (TOPICS, DEPARTMENTS):
            words.update(word for word, cue in lexicon.literals.items()
                         if cue.label == category.value and len(word) >= 2)
    words.update(hit.cue.pattern for hit in TOPICS.find(summary)
                 if len(hit.cue.pattern) >= 2)
    return words


def _territory(unit: Unit, address: str) -> str | None:
    """The most specific of the unit's territories named in the address."""
    named = [area for area in unit.territory or []
             if area and (area in address or ((s := short_form(area)) is not None
                                              and s in address))]
    return max(named, key=len) if named else None


async def suggest_units(session: AsyncSession, draft: Draft, limit: int = 5
                        ) -> list[UnitSuggestion]:
    """Active units for the draft: territory matches first, then duty matches."""
    return await _suggest_units(session, draft.category, draft.summary, draft.address, limit)


async def suggest_units_for_ticket(session: AsyncSession, ticket: Ticket, limit: int = 5
                                   ) -> list[UnitSuggestion]:
    """The same suggestions for a registered ticket: its category, summary and place."""
    category = Category(ticket.category) if ticket.category else None
    address = " ".join(part for part in (ticket.district, ticket.place) if part)
    return await _suggest_units(session, category, ticket.summary, address, limit)


async def _suggest_units(session: AsyncSession, category: Category | None, summary: str,
                         address: str, limit: int) -> list[UnitSuggestion]:
    words = _category_words(category, summary)
    ranked: list[tuple[tuple[int, int, int], UnitSuggestion]] = []
    for unit in await session.scalars(select(Unit).where(Unit.active.is_(True))):
        territory = _territory(unit, address) if address else None
        duties = tuple(sorted(word for word in words if word in (unit.duties or "")))
        if territory is None and not duties:
            continue
        key = (territory is not None, len(duties), len(territory or ""))
        ranked.append((key, UnitSuggestion(unit, territory, duties)))
    ranked.sort(key=lambda item: (item[0], -item[1].unit.id), reverse=True)
    return [suggestion for _, suggestion in ranked[:limit]]


def _bigrams(text: str) -> set[str]:
    cleaned = "".join(ch for ch in text if ch.isalnum())
    return {cleaned[i:i + 2] for i in range(len(cleaned) - 1)}


def text_similarity(a: str, b: str) -> float:
    """Jaccard similarity of character bigrams (Chinese has no spaces to split words on)."""
    left, right = _bigrams(a), _bigrams(b)
    return len(left & right) / len(left | right) if left and right else 0.0


def shared_place(a: str, b: str) -> str:
    """The longest stretch two place texts share."""
    best = ""
    for i in range(len(a)):
        for j in range(i + len(best) + 1, len(a) + 1):
            if a[i:j] in b:
                best = a[i:j]
            else:
                break
    return best


async def similar_open_tickets(
    session: AsyncSession, draft: Draft, window_days: int = 30, now: datetime | None = None,
    limit: int = 5,
) -> list[SimilarTicket]:
    """Open tickets of the draft's category at its place, created within the window."""
    if draft.category is None or not draft.address:
        return []
    moment = require_aware(now) if now is not None else clock_now()
    rows = await session.scalars(
        select(Ticket)
        .where(Ticket.is_open.is_(True), Ticket.category == draft.category.value,
               Ticket.created_at >= moment - timedelta(days=window_days))
        .order_by(Ticket.created_at.desc()).limit(MAX_CANDIDATES))
    found = []
    mine = f"{draft.summary} {draft.address}"
    for ticket in rows:
        place = shared_place(draft.address, f"{ticket.place} {ticket.requester_address or ''}")
        if len(place) < MIN_SHARED_PLACE:
            continue
        theirs = f"{ticket.summary} {ticket.place} {ticket.content}"
        found.append(SimilarTicket(ticket, round(text_similarity(mine, theirs), 3), place))
    found.sort(key=lambda s: (s.similarity, s.ticket.id), reverse=True)
    return found[:limit]


async def knowledge_answers(session: AsyncSession, draft: Draft, at: datetime | None = None,
                            limit: int = 3) -> Sequence[Hit]:
    """Published knowledge-base articles that answer the draft's matter, best first."""
    query = " ".join(part for part in (draft.summary, draft.category or "") if part)
    try:
        return await search(session, query, at if at is not None else clock_now(), limit)
    except EmptyQuery:
        return []
