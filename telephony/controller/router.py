"""The live line over HTTP and a WebSocket: calls and agents as the controller sees them."""

import asyncio
import contextlib
from dataclasses import asdict
from typing import Any

from fastapi import APIRouter, WebSocket, WebSocketDisconnect

from telephony.controller.service import CallController
from telephony.deps import RuntimeDep, TelephonyRuntime
from telephony.errors import TelephonyError

router = APIRouter(prefix="/telephony", tags=["telephony: live"])


class ControllerOff(TelephonyError):
    status = 503
    error_id = "call-controller-off"


def _controller(runtime: TelephonyRuntime) -> CallController:
    if runtime.controller is None:
        raise ControllerOff("the call controller is not running in this process")
    return runtime.controller


@router.get("/live")
async def live(runtime: RuntimeDep) -> dict[str, Any]:
    """Every call in progress and every agent, now."""
    return _controller(runtime).snapshot()


@router.websocket("/events")
async def events(websocket: WebSocket) -> None:
    """The picture on connect, then every change as it happens."""
    runtime: TelephonyRuntime = websocket.app.state.telephony
    controller = _controller(runtime)
    await websocket.accept()
    queue = controller.listen()
    try:
        await websocket.send_json({"kind": "snapshot", **controller.snapshot()})
        while True:
            change = await queue.get()
            await websocket.send_json(asdict(change))
    except (WebSocketDisconnect, asyncio.CancelledError):
        pass
    finally:
        controller.unlisten(queue)
        with contextlib.suppress(RuntimeError):
            await websocket.close()
