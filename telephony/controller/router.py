"""The live line over HTTP and a WebSocket: calls and agents as the controller sees them."""

import asyncio
import contextlib
from dataclasses import asdict
from typing import Any

from fastapi import APIRouter, WebSocket, WebSocketDisconnect

from telephony.controller.line import Change
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
    # A client that goes away during a quiet spell is noticed at once, not at the next send.
    tasks = [asyncio.create_task(_forward(websocket, controller, queue)),
             asyncio.create_task(_until_closed(websocket))]
    try:
        await asyncio.wait(tasks, return_when=asyncio.FIRST_COMPLETED)
    finally:
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)
        controller.unlisten(queue)
        with contextlib.suppress(RuntimeError, WebSocketDisconnect):
            await websocket.close()


async def _forward(websocket: WebSocket, controller: CallController,
                   queue: asyncio.Queue[Change]) -> None:
    with contextlib.suppress(WebSocketDisconnect):
        await websocket.send_json({"kind": "snapshot", **controller.snapshot()})
        while True:
            await websocket.send_json(asdict(await queue.get()))


async def _until_closed(websocket: WebSocket) -> None:
    """Read (and ignore) what the client sends until it disconnects."""
    while (await websocket.receive())["type"] != "websocket.disconnect":
        pass
