"""A call's draft on demand: from its stored transcript, for a screen that opened late.

The live draft reaches the agents' screens over the events WebSocket; this endpoint rebuilds
it from the transcript in the database, so a reloaded screen or another node sees it too.
"""

from typing import Annotated, Any

from fastapi import APIRouter, Depends
from starlette.requests import HTTPConnection

from asr.store import TranscriptStore
from hotline.drafting import TicketDrafting
from hotline.live_drafts import join_turns, transcript_json
from tickets.audit.service import record_read
from tickets.deps import CurrentUser, RuntimeDep
from tickets.errors import DomainError

router = APIRouter(prefix="/calls", tags=["live drafting"])


class TranscriptNotFound(DomainError):
    status = 404
    error_id = "transcript-not-found"


def get_drafting(request: HTTPConnection, runtime: RuntimeDep) -> TicketDrafting:
    """The app's drafting (with the deployment's places), else one on the runtime's database."""
    known = getattr(request.app.state, "drafting", None)
    if isinstance(known, TicketDrafting):
        return known
    return TicketDrafting(runtime.sessionmaker, runtime.clock)


DraftingDep = Annotated[TicketDrafting, Depends(get_drafting)]


@router.get("/{linkedid}/draft")
async def call_draft(linkedid: str, user: CurrentUser, runtime: RuntimeDep,
                     drafting: DraftingDep) -> dict[str, Any]:
    """The transcript stored so far, the draft made from it and the suggestions beside it."""
    segments = await TranscriptStore(runtime.sessionmaker).transcript(linkedid)
    if not segments:
        raise TranscriptNotFound(f"no transcript of call {linkedid}", linkedid=linkedid)
    turns = join_turns((s.speaker, s.text) for s in segments)  # stored in spoken order
    draft = drafting.draft(turns)
    async with runtime.sessionmaker() as session:
        # The transcript and the draft hold the caller's words and number: personal data.
        record_read(session, user, None, runtime.clock(), "read-call-draft", linkedid)
        await session.commit()
    return {"linkedid": linkedid, "transcript": transcript_json(drafting, turns),
            "draft": drafting.to_json(draft), "suggestions": await drafting.suggest(draft)}
