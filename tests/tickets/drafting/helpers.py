"""Building calls for the drafting tests as the recogniser writes them."""

from tickets.drafting.draft import Draft
from tickets.drafting.service import draft_from_turns
from tickets.drafting.transcript import Call, Turn


def turns(*lines: str) -> list[Turn]:
    """Turns from lines prefixed ``A:`` (agent) or ``C:`` (caller)."""
    out = []
    for line in lines:
        who, _, text = line.partition(":")
        out.append(Turn("agent" if who.strip() == "A" else "caller", text.strip()))
    return out


def call(*lines: str) -> Call:
    return Call(turns(*lines))


def draft(*lines: str) -> Draft:
    return draft_from_turns(turns(*lines))
