"""Call recordings over HTTP: every read is audited."""

from pathlib import Path
from typing import Annotated

from fastapi import APIRouter, Depends
from fastapi.responses import FileResponse
from starlette.requests import HTTPConnection

from telephony.deps import ActorDep, RuntimeDep, SessionDep
from telephony.recordings import service
from telephony.recordings.models import RecordingAction

router = APIRouter(prefix="/telephony", tags=["telephony: recordings"])


def recordings_root(request: HTTPConnection) -> Path:
    """The spool folder MixMonitor writes to, set by the composition root."""
    root: Path = request.app.state.recordings_root
    return root


RootDep = Annotated[Path, Depends(recordings_root)]


@router.get("/recordings/{linkedid}", response_class=FileResponse)
async def recording(linkedid: str, session: SessionDep, runtime: RuntimeDep, actor: ActorDep,
                    root: RootDep, download: bool = False) -> FileResponse:
    """The call's recording as WAV, to play in the page or (``download``) to save."""
    action = RecordingAction.DOWNLOAD if download else RecordingAction.LISTEN
    path = await service.open_for(session, root, linkedid, actor, action, runtime.clock())
    return FileResponse(path, media_type="audio/wav", filename=f"{linkedid}.wav",
                        content_disposition_type="attachment" if download else "inline")
