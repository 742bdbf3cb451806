"""A call's draft on demand: from its stored transcript, for a screen that opened late.

The live draft reaches the screens over the feed; this route rebuilds it from the
transcript the recogniser stored (through :class:`~tickets.drafting.ports.TranscriptSource`),
so a reloaded screen or another node sees it too. Reading it is audited: the transcript and
the draft hold the caller's words and number.
"""

from fastapi import APIRouter

from tickets.audit.service import record_read
from tickets.deps import CurrentUser, RuntimeDep
from tickets.drafting.errors import TranscriptNotFound, TranscriptsUnavailable
from tickets.drafting.live import LiveDrafting, transcript_of, turns_of
from tickets.drafting.schemas import CallDraftOut, SuggestionsOut, TurnOut

router = APIRouter(prefix="/calls", tags=["live drafting"])


@router.get("/{linkedid}/draft")
async def call_draft(linkedid: str, user: CurrentUser, runtime: RuntimeDep) -> CallDraftOut:
    """The transcript stored so far, the draft made from it and the suggestions beside it."""
    if runtime.transcripts is None:
        raise TranscriptsUnavailable("no transcript store in this process")
    turns = turns_of(await runtime.transcripts.said(linkedid))
    if not turns:
        raise TranscriptNotFound(f"no transcript of call {linkedid}", linkedid=linkedid)
    drafting = runtime.drafting or LiveDrafting(runtime.sessionmaker, runtime.clock)
    draft = drafting.draft(turns, await runtime.transcripts.caller_of(linkedid))
    async with runtime.sessionmaker() as session:
        record_read(session, user, None, runtime.clock(), "read-call-draft", linkedid)
        await session.commit()
    return CallDraftOut(
        linkedid=linkedid, transcript=[TurnOut.of(t) for t in transcript_of(drafting, turns)],
        draft=draft.to_json(), suggestions=SuggestionsOut.of(await drafting.suggest(draft)))
