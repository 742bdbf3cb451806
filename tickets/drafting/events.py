"""What the live drafting hears and what it tells: frozen, no raw dicts either way.

In: :class:`Spoken` (a recognised stretch of one speaker) and :class:`VoiceEnded` (a
speaker's stream is over), which the composition root adapts from the recogniser's segments.
Out: :class:`DraftUpdated`, :class:`TranscriptPartial`, :class:`SuggestionsUpdated`, which
the root passes on to the screens and to the emergency linkage.
"""

from dataclasses import dataclass

from tickets.drafting.draft import Draft
from tickets.drafting.turns import Alternative, RecognisedWord

CALLER, AGENT = "caller", "agent"


@dataclass(frozen=True, slots=True)
class Spoken:
    """Recognised text of one speaker, seconds from their stream's start; partial until final.

    A final stretch may carry the recogniser's words with their confidences and the other
    readings it weighed: the drafting hears those too (a fire in any reading is alerted).
    """

    call_id: str
    speaker: str
    text: str
    start: float
    end: float
    final: bool
    words: tuple[RecognisedWord, ...] = ()
    alternatives: tuple[Alternative, ...] = ()


@dataclass(frozen=True, slots=True)
class VoiceEnded:
    """A speaker's stream is over (the caller hung up, the agent left)."""

    call_id: str
    speaker: str


@dataclass(frozen=True, slots=True)
class TranscriptTurn:
    """One turn as the screen shows it: the recogniser's words and the readable text."""

    speaker: str
    text: str
    readable: str


@dataclass(frozen=True, slots=True)
class DraftUpdated:
    """The call's draft from its transcript so far; ``final`` once the caller has hung up."""

    call_id: str
    draft: Draft
    transcript: tuple[TranscriptTurn, ...]
    final: bool = False


@dataclass(frozen=True, slots=True)
class TranscriptPartial:
    """Words still being recognised (grey on the screen until final)."""

    call_id: str
    speaker: str
    text: str
    readable: str


@dataclass(frozen=True, slots=True)
class SuggestedUnit:
    """A unit to dispatch to: territory first, then duty."""

    id: int
    name: str
    territory: str | None
    duty_words: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class SuggestedTicket:
    """An open ticket on the same matter (a repeat or a duplicate to merge)."""

    number: str
    state: str
    summary: str
    similarity: float
    place: str


@dataclass(frozen=True, slots=True)
class SuggestedAnswer:
    """A knowledge-base article that may answer the call on the spot."""

    id: int
    title: str
    score: float


@dataclass(frozen=True, slots=True)
class Suggestions:
    """What the agent is offered beside the draft."""

    units: tuple[SuggestedUnit, ...] = ()
    similar_open_tickets: tuple[SuggestedTicket, ...] = ()
    knowledge: tuple[SuggestedAnswer, ...] = ()


@dataclass(frozen=True, slots=True)
class SuggestionsUpdated:
    """Suggestions for the call's newest draft."""

    call_id: str
    suggestions: Suggestions


DraftingEvent = DraftUpdated | TranscriptPartial | SuggestionsUpdated
