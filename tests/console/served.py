"""The platform as ``hotline serve`` runs it, in a thread of the test process.

Migrated with the project's helper, the first administrator bootstrapped, every service
started by the app's own lifespan (AMI link, call controller, transcription, linkage...). No
Asterisk: the controller is fed the typed AMI events the link would deliver, and recognised
speech enters through the ASR server's hub, as the recogniser's segments do.
"""

import asyncio
import socket
import threading
import time
from collections.abc import Coroutine
from pathlib import Path
from types import MappingProxyType
from typing import Any, TypeVar

import httpx
import uvicorn
from fastapi import FastAPI

from asr.events import Segment
from hotline import migrate
from hotline.app import create_app
from hotline.cli.users import bootstrap_admin
from hotline.settings import Settings
from telephony.ami.events import (
    AgentComplete,
    AgentConnect,
    AmiEvent,
    Channel,
    Hangup,
    Newchannel,
    QueueCallerJoin,
    QueueMemberAdded,
    QueueMemberPause,
)
from telephony.controller.service import CallController

T = TypeVar("T")
AGENT_PASSWORD = "agent-password-1"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def channel(name: str, uniqueid: str, linkedid: str, caller: str) -> Channel:
    return Channel(name, uniqueid, linkedid, 6, caller, "", "", "", "hotline-inbound", "12345",
                   MappingProxyType({}))


def member(event: type[Any], seat: str, *, paused: bool = False, reason: str = "") -> Any:
    return event(queue="main", member_name=seat, interface=seat, state_interface=seat,
                 membership="dynamic", penalty=0, calls_taken=0, in_call=False, status=1,
                 paused=paused, paused_reason=reason)


class Platform:
    """One served platform: its URL, its app (for its services) and the loop it runs on."""

    def __init__(self, data_dir: Path) -> None:
        self.settings = Settings(
            data_dir=data_dir, database_url=None, policy="tonghua", log_level="WARNING",
            api_port=free_port(), ami_port=free_port(), agi_port=free_port(),
            audiosocket_port=free_port(), agent_count=100)
        self.base = f"http://127.0.0.1:{self.settings.api_port}"
        self.app: FastAPI = create_app(self.settings)
        self.loop = asyncio.new_event_loop()
        self.server = uvicorn.Server(uvicorn.Config(
            self.app, host="127.0.0.1", port=self.settings.api_port, log_level="warning"))
        self.thread = threading.Thread(target=self._serve, name="platform", daemon=True)
        self.admin_password = ""
        self.failure: BaseException | None = None
        self.tokens: dict[str, str] = {}

    def _serve(self) -> None:
        # In this thread: the test's own thread runs the browser's event loop.
        try:
            self.settings.data_dir.mkdir(parents=True, exist_ok=True)
            migrate.upgrade(self.settings.effective_database_url)
            password = self.loop.run_until_complete(bootstrap_admin(self.settings))
            self.admin_password = password or ""
            self.loop.run_until_complete(self.server.serve())
        except BaseException as exc:
            self.failure = exc
            raise

    def start(self, within: float = 60.0) -> None:
        """Migrate, bootstrap, serve; return once the API answers."""
        self.thread.start()
        deadline = time.monotonic() + within
        while not self.server.started:
            if not self.thread.is_alive() or time.monotonic() > deadline:
                raise AssertionError(f"the platform did not come up: {self.failure!r}")
            time.sleep(0.05)  # polling the server's own "started" flag
        self.tokens["admin"] = self.log_in("admin", self.admin_password)
        created = self.api("POST", "/users", json={
            "username": "agent1", "password": AGENT_PASSWORD, "role": "agent"})
        assert created.status_code == 201, created.text
        self.tokens["agent1"] = self.log_in("agent1", AGENT_PASSWORD)

    def stop(self) -> None:
        self.server.should_exit = True
        self.thread.join(timeout=60)
        self.loop.close()

    def log_in(self, username: str, password: str) -> str:
        response = httpx.post(f"{self.base}/auth/login",
                              json={"username": username, "password": password})
        assert response.status_code == 200, response.text
        token: str = response.json()["access_token"]
        return token

    def api(self, method: str, path: str, who: str = "admin", **kwargs: Any) -> httpx.Response:
        """A request as ``who``."""
        headers = {"Authorization": f"Bearer {self.tokens[who]}"}
        return httpx.request(method, f"{self.base}{path}", headers=headers, timeout=20, **kwargs)

    def run(self, coro: Coroutine[Any, Any, T]) -> T:
        """Run ``coro`` on the platform's loop and wait for its result."""
        return asyncio.run_coroutine_threadsafe(coro, self.loop).result(timeout=20)

    # -- what Asterisk and the recogniser would deliver ------------------------------------

    @property
    def controller(self) -> CallController:
        controller = self.app.state.telephony.controller
        assert isinstance(controller, CallController)
        return controller

    def events(self, *events: AmiEvent) -> None:
        """The controller applies these as if the AMI link had delivered them."""
        for event in events:
            self.run(self.controller.on_event(event))

    def seat_logs_in(self, seat: str) -> None:
        self.events(member(QueueMemberAdded, seat))

    def seat_pauses(self, seat: str, reason: str) -> None:
        self.events(member(QueueMemberPause, seat, paused=True, reason=reason))

    def call_answered(self, linkedid: str, caller: str, seat: str) -> None:
        """A call to 12345 queues and ``seat`` answers it."""
        ours = channel("PJSIP/carrier-0001", linkedid, linkedid, caller)
        theirs = channel(f"{seat}-0002", f"{linkedid}1", linkedid, seat.split("/")[-1])
        self.seat_logs_in(seat)  # a seat already in the queue stays as it is
        self.events(Newchannel(ours), QueueCallerJoin(ours, "main", 1, 1), Newchannel(theirs),
                    AgentConnect(ours, theirs, "main", seat, seat, 3, 2))

    def call_ends(self, linkedid: str, caller: str, seat: str) -> None:
        """The caller hangs up the call ``seat`` answered."""
        ours = channel("PJSIP/carrier-0001", linkedid, linkedid, caller)
        theirs = channel(f"{seat}-0002", f"{linkedid}1", linkedid, seat.split("/")[-1])
        self.events(AgentComplete(ours, theirs, "main", seat, seat, 3, 60, "caller"),
                    Hangup(theirs, 16, "Normal Clearing"), Hangup(ours, 16, "Normal Clearing"))

    def say(self, linkedid: str, speaker: str, text: str, start: float,
            final: bool = True) -> None:
        """A recognised segment, into the ASR server's hub (stored, then drafted live)."""
        hub = self.app.state.transcription.server.hub
        self.run(hub.publish(Segment(linkedid, speaker, text, start, start + 2, final)))
