"""The live line over HTTP: calls and agents as the controller sees them.

The screens' live feed (the ``/telephony/events`` WebSocket) is the composition root's: it
carries telephony's changes beside the drafts and the emergencies (``hotline/feed.py``).
"""

from fastapi import APIRouter

from telephony.controller.schemas import LiveOut
from telephony.controller.service import CallController
from telephony.deps import RuntimeDep, TelephonyRuntime
from telephony.errors import TelephonyError

router = APIRouter(prefix="/telephony", tags=["telephony: live"])


class ControllerOff(TelephonyError):
    status = 503
    error_id = "call-controller-off"


def running_controller(runtime: TelephonyRuntime) -> CallController:
    """The controller of this process, or :class:`ControllerOff`."""
    if runtime.controller is None:
        raise ControllerOff("the call controller is not running in this process")
    return runtime.controller


@router.get("/live")
async def live(runtime: RuntimeDep) -> LiveOut:
    """Every call in progress and every agent, now."""
    return LiveOut.of(running_controller(runtime).snapshot())
