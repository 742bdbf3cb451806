"""The linkage's test parts: a real local HTTP receiver, a PBX stand-in, a wired service."""

import asyncio
import socket
from collections.abc import AsyncIterator
from dataclasses import dataclass, field

import httpx
import pytest
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker

from hotline.feed_messages import FeedMessage, message_of
from linkage.data import DataSender
from linkage.delivery import Delivery
from linkage.events import EmergencyChanged
from linkage.packet import SIGNATURE_HEADER, sign
from linkage.service import LinkageService
from linkage.targets import Entries
from linkage.ticketing import Ticketing
from linkage.voice import CallPicture, LineUnanswered
from telephony.calls.machine import Call, CallState
from telephony.events import CallChanged, CallView
from tests.conftest import FakeClock, empty_tables
from tickets.calendar.workdays import WorkingCalendar
from tickets.drafting.draft import Draft, Emergency
from tickets.drafting.events import DraftUpdated, TranscriptTurn
from tickets.enums import RequestType, Urgency
from tickets.policy.registry import get_policy
from tickets.workflow.emergency import EmergencyDesk

CALL = "1700000000.1"
CALLER_CHANNEL = "PJSIP/carrier-00000001"
AGENT_CHANNEL = "PJSIP/8001-00000002"


@pytest.fixture
async def db(engine: AsyncEngine) -> async_sessionmaker[AsyncSession]:
    """A sessionmaker on emptied tables (SQLite and PostgreSQL)."""
    await empty_tables(engine)
    return async_sessionmaker(engine, expire_on_commit=False)


@dataclass
class Reply:
    """What the receiver answers one request with."""

    status: int = 200
    body: bytes = b'{"received": true}'
    signature: str | None = "good"  # "good", "bad" or None (an unsigned receipt)


@dataclass
class Received:
    path: str
    headers: dict[str, str]
    body: bytes


@dataclass
class Receiver:
    """An emergency centre's endpoint: a real HTTP server on loopback."""

    secret: str = ""
    replies: list[Reply] = field(default_factory=list)
    requests: list[Received] = field(default_factory=list)
    port: int = 0
    server: asyncio.Server | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/emergency"

    async def start(self) -> None:
        self.server = await asyncio.start_server(self._handle, "127.0.0.1", 0)
        self.port = self.server.sockets[0].getsockname()[1]

    async def stop(self) -> None:
        if self.server is not None:
            self.server.close()
            await self.server.wait_closed()

    async def _handle(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        head = (await reader.readuntil(b"\r\n\r\n")).decode("latin-1").split("\r\n")
        path = head[0].split(" ")[1]
        headers = {k.strip().lower(): v.strip()
                   for k, _, v in (line.partition(":") for line in head[1:] if line)}
        body = await reader.readexactly(int(headers.get("content-length", "0")))
        self.requests.append(Received(path, headers, body))
        reply = self.replies.pop(0) if self.replies else Reply()
        extra = ""
        if reply.signature == "good":
            extra = f"{SIGNATURE_HEADER}: {sign(self.secret, reply.body)}\r\n"
        elif reply.signature == "bad":
            extra = f"{SIGNATURE_HEADER}: {sign('not-the-secret', reply.body)}\r\n"
        writer.write((f"HTTP/1.1 {reply.status} X\r\nContent-Type: application/json\r\n"
                      f"Content-Length: {len(reply.body)}\r\n{extra}Connection: close\r\n\r\n"
                      ).encode() + reply.body)
        await writer.drain()
        writer.close()


@pytest.fixture
async def receiver() -> AsyncIterator[Receiver]:
    server = Receiver()
    await server.start()
    yield server
    await server.stop()


def closed_port_url() -> str:
    """A loopback URL nothing listens on: the centre's server is down."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    return f"http://127.0.0.1:{port}/emergency"


@dataclass
class FakeVoice:
    """The PBX as the hand-off sees it: the test decides how each line answers."""

    state: str = "connected"
    caller_number: str = "13800138000"
    gone: bool = False
    joins: list[tuple[str, int, str]] = field(default_factory=list)
    hung_up: list[tuple[str, int]] = field(default_factory=list)
    outcomes: dict[int, "asyncio.Future[str]"] = field(default_factory=dict)
    answer_at_once: bool = True

    def picture(self, linkedid: str) -> CallPicture | None:
        if self.gone:
            return None
        return CallPicture(self.state, self.caller_number, CALLER_CHANNEL, AGENT_CHANNEL)

    async def join(self, linkedid: str, number: str, attempt: int, caller_id: str) -> str:
        self.joins.append((number, attempt, caller_id))
        if self.answer_at_once:
            return linkedid
        outcome = self.outcomes[attempt] = asyncio.get_running_loop().create_future()
        return await outcome

    async def hang_up_line(self, linkedid: str, number: str, attempt: int) -> None:
        self.hung_up.append((number, attempt))

    def answer(self, attempt: int) -> None:
        self.outcomes[attempt].set_result(CALL)

    def no_answer(self, attempt: int, reason: str = "rang without answer") -> None:
        self.outcomes[attempt].set_exception(LineUnanswered(reason, "party-unreachable"))


@dataclass
class Wired:
    """A linkage service on the test database with its fakes and what it announced."""

    service: LinkageService
    voice: FakeVoice
    announced: list[EmergencyChanged]
    client: httpx.AsyncClient

    @property
    def told(self) -> list[FeedMessage]:
        """What the screens were told, as the feed's messages."""
        return [message_of(c) for c in self.announced]

    def states(self, state: str | None = None) -> list[str]:
        return [c.change for c in self.announced if state is None or c.change == state]


@pytest.fixture
async def wired(db: async_sessionmaker[AsyncSession], clock: FakeClock
                ) -> AsyncIterator[Wired]:
    announced: list[EmergencyChanged] = []

    async def announce(change: EmergencyChanged) -> None:
        announced.append(change)

    voice = FakeVoice()
    client = httpx.AsyncClient(timeout=2.0)
    service = LinkageService(
        entries=Entries(db), announce=announce, voice=voice,
        data=DataSender(Delivery(client, attempts=3, backoff=0.01), clock),
        ticketing=Ticketing(db, EmergencyDesk(db, lambda: get_policy("wuhai"), WorkingCalendar,
                                              clock), clock),
        clock=clock, caller_id="12345")
    yield Wired(service, voice, announced, client)
    await service.close()
    await client.aclose()


def draft(emergency: str | None, linkedid: str = CALL) -> DraftUpdated:
    """A live draft naming ``emergency`` (or none), with the caller's words."""
    made = Draft(RequestType.HELP, None, Urgency.NORMAL,
                 Emergency(emergency) if emergency else None, False, False, None,
                 "东昌区新华路18号", None, "居民楼起火")
    return DraftUpdated(linkedid, made, (TranscriptTurn("agent", "您好12345", "您好12345"),
                                         TranscriptTurn("caller", "新华路18号楼着火了 有烟",
                                                        "新华路18号楼着火了有烟")))


def call_is(state: CallState, linkedid: str = CALL) -> CallChanged:
    """The controller's word that call ``linkedid`` is now ``state``."""
    call = Call(linkedid, "13800138000", "", "12345", FakeClock()(), state=state)
    return CallChanged(CallView.of(call))
