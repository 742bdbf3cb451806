"""Drafting a ticket from a call's turns, cheap enough to re-run on every new segment."""

from collections.abc import Sequence

from tickets.drafting import placenames, segment, sound, wordclass
from tickets.drafting.draft import Draft
from tickets.drafting.fields import category, emergency, flags, phone, place, refusal
from tickets.drafting.fields import request_type as request_types
from tickets.drafting.fields.place_words import SUFFIXES
from tickets.drafting.fields.summary import summarise
from tickets.drafting.fields.urgency import urgency
from tickets.drafting.gazetteer import Gazetteer, builtin
from tickets.drafting.transcript import Call, Turn
from tickets.drafting.vocabulary import hearing_for
from tickets.enums import RequestType, Urgency

__all__ = ["Turn", "draft_from_turns", "warm_up"]


def warm_up(gazetteer: Gazetteer | None = None) -> None:
    """Load the dictionaries and index the words and places by sound, so the first live draft
    is as fast as the rest (``gazetteer``: a deployment's, after its places were loaded)."""
    sound.load()
    wordclass.load()
    segment.load()
    places = gazetteer if gazetteer is not None else builtin()
    hearing_for(places)
    placenames.index_for(places, SUFFIXES)


def draft_from_turns(turns: Sequence[Turn], gazetteer: Gazetteer | None = None,
                     caller_id: str | None = None) -> Draft:
    """The draft of a ticket for the call so far (``gazetteer``: built-in plus deployment's;
    ``caller_id``: the number the call arrives from, the callback number unless the caller
    gives another)."""
    places = gazetteer if gazetteer is not None else builtin()
    call = Call(turns, hearing_for(places))
    found = emergency.detect_heard(call)
    secret, secret_confidence = flags.confidential(call)
    kind, kind_confidence = request_types.classify(call, found.emergency is not None, secret)
    if kind is RequestType.INVALID:
        return _invalid(call, kind_confidence, caller_id)
    subject, subject_confidence = category.classify(call, found.emergency)
    level, level_confidence = urgency(call, found.emergency, kind)
    business, business_confidence = flags.enterprise(call)
    number = phone.extract(call, caller_id)
    where = place.extract(call, places)
    reason, reason_confidence = refusal.classify(call, invalid=False)
    kind = request_types.given_refusal(call, kind, reason)
    doubt = 0.5 + 0.5 * call.confidence("caller")  # words the recogniser was unsure of
    summary, summary_confidence = summarise(call, kind, subject, where.parts)
    return Draft(
        request_type=kind, category=subject, urgency=level, emergency=found.emergency,
        enterprise=business, confidential=secret, phone=number.number, address=where.address,
        not_accepted=reason, summary=summary,
        confidence={
            "request_type": kind_confidence * doubt, "category": subject_confidence * doubt,
            "urgency": level_confidence, "emergency": found.confidence,
            "enterprise": business_confidence, "confidential": secret_confidence,
            "phone": number.confidence, "address": where.confidence,
            "not_accepted": reason_confidence, "summary": summary_confidence,
        },
        phone_source=number.source,
    )


def _invalid(call: Call, confidence: float, caller_id: str | None) -> Draft:
    """An invalid call (silence, wrong number, joke): nothing to hand off or dispatch."""
    number = phone.extract(call, caller_id)
    return Draft(
        request_type=RequestType.INVALID, category=None, urgency=Urgency.NORMAL, emergency=None,
        enterprise=False, confidential=False, phone=number.number, address="",
        not_accepted=None, summary=summarise(call, RequestType.INVALID, None, ())[0],
        confidence={name: confidence for name in (
            "request_type", "category", "urgency", "emergency", "enterprise", "confidential",
            "phone", "address", "not_accepted", "summary")},
        phone_source=number.source,
    )
