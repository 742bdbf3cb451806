"""The live line over HTTP and a WebSocket: calls and agents as the controller sees them."""

import asyncio
import contextlib
from dataclasses import asdict
from typing import Any

import anyio
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
    try:
        # A client that goes away during a quiet spell is noticed at once, not at the next
        # send: whichever side ends first ends both (anyio, so the server's cancellation of
        # the connection is honoured as well).
        async with anyio.create_task_group() as group:
            group.start_soon(_forward, websocket, controller, queue, group.cancel_scope)
            group.start_soon(_until_closed, websocket, group.cancel_scope)
    finally:
        controller.unlisten(queue)
    with contextlib.suppress(RuntimeError, WebSocketDisconnect):
        await websocket.close()


async def _forward(websocket: WebSocket, controller: CallController,
                   queue: asyncio.Queue[Change], done: anyio.CancelScope) -> None:
    with contextlib.suppress(WebSocketDisconnect):
        await websocket.send_json({"kind": "snapshot", **controller.snapshot()})
        while True:
            await websocket.send_json(asdict(await queue.get()))
    done.cancel()


async def _until_closed(websocket: WebSocket, done: anyio.CancelScope) -> None:
    """Read (and ignore) what the client sends until it disconnects."""
    while (await websocket.receive())["type"] != "websocket.disconnect":
        pass
    done.cancel()
