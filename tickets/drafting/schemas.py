"""The drafting as JSON: the draft, its transcript and suggestions, for the API and the feed."""

from typing import Any

from pydantic import BaseModel

from tickets.drafting.events import (
    DraftUpdated,
    SuggestedAnswer,
    SuggestedTicket,
    SuggestedUnit,
    Suggestions,
    TranscriptPartial,
    TranscriptTurn,
)


class TurnOut(BaseModel):
    speaker: str
    text: str
    readable: str

    @classmethod
    def of(cls, turn: TranscriptTurn) -> "TurnOut":
        return cls(speaker=turn.speaker, text=turn.text, readable=turn.readable)


class SuggestedUnitOut(BaseModel):
    id: int
    name: str
    territory: str | None
    duty_words: list[str]

    @classmethod
    def of(cls, unit: SuggestedUnit) -> "SuggestedUnitOut":
        return cls(id=unit.id, name=unit.name, territory=unit.territory,
                   duty_words=list(unit.duty_words))


class SuggestedTicketOut(BaseModel):
    number: str
    state: str
    summary: str
    similarity: float
    place: str

    @classmethod
    def of(cls, ticket: SuggestedTicket) -> "SuggestedTicketOut":
        return cls(number=ticket.number, state=ticket.state, summary=ticket.summary,
                   similarity=ticket.similarity, place=ticket.place)


class SuggestedAnswerOut(BaseModel):
    id: int
    title: str
    score: float

    @classmethod
    def of(cls, answer: SuggestedAnswer) -> "SuggestedAnswerOut":
        return cls(id=answer.id, title=answer.title, score=answer.score)


class SuggestionsOut(BaseModel):
    units: list[SuggestedUnitOut]
    similar_open_tickets: list[SuggestedTicketOut]
    knowledge: list[SuggestedAnswerOut]

    @classmethod
    def of(cls, found: Suggestions) -> "SuggestionsOut":
        return cls(units=[SuggestedUnitOut.of(u) for u in found.units],
                   similar_open_tickets=[SuggestedTicketOut.of(t)
                                         for t in found.similar_open_tickets],
                   knowledge=[SuggestedAnswerOut.of(a) for a in found.knowledge])


class DraftData(BaseModel):
    """The ``data`` of a ``draft`` message: the README's fields and the transcript."""

    draft: dict[str, Any]  # Draft.to_json(): the field names and value sets of the README
    transcript: list[TurnOut]

    @classmethod
    def of(cls, event: DraftUpdated) -> "DraftData":
        return cls(draft=event.draft.to_json(),
                   transcript=[TurnOut.of(t) for t in event.transcript])


class PartialData(BaseModel):
    """The ``data`` of a partial ``transcript`` message."""

    speaker: str
    text: str
    readable: str

    @classmethod
    def of(cls, event: TranscriptPartial) -> "PartialData":
        return cls(speaker=event.speaker, text=event.text, readable=event.readable)


class CallDraftOut(BaseModel):
    """GET /calls/{linkedid}/draft: the stored transcript, its draft, the suggestions."""

    linkedid: str
    transcript: list[TurnOut]
    draft: dict[str, Any]
    suggestions: SuggestionsOut
