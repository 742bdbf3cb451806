"""The hand-over webhook against a real local HTTP server: JSON posted, failures retried later
with a growing wait, an unreachable gateway logged and never raised."""

import json
import threading
from collections.abc import Iterator
from datetime import timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker

from hotline.scheduler.webhook import WebhookFailed, post_json, send_due
from tests.conftest import FakeClock
from tests.tickets.revisits.helpers import RULES, revisit_of, revisit_ticket
from tickets.revisits.schedule import schedule_pending


class Gateway(ThreadingHTTPServer):
    """Answers 503 to the first ``failures`` posts, then 200; keeps what it received."""

    def __init__(self, failures: int) -> None:
        super().__init__(("127.0.0.1", 0), Handler)
        self.failures = failures
        self.received: list[tuple[dict[str, object], str]] = []

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}/handover"


class Handler(BaseHTTPRequestHandler):
    server: Gateway

    def do_POST(self) -> None:
        body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
        self.server.received.append((body, self.headers["Idempotency-Key"]))
        failing = len(self.server.received) <= self.server.failures
        self.send_response(503 if failing else 200)
        self.end_headers()

    def log_message(self, *_: object) -> None:
        pass


@pytest.fixture
def gateway() -> Iterator[Gateway]:
    server = Gateway(failures=2)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server
    server.shutdown()
    server.server_close()


async def test_a_hand_over_is_posted_and_retried_with_a_growing_wait_until_taken(
        gateway: Gateway, engine: AsyncEngine, session: AsyncSession, clock: FakeClock) -> None:
    ticket = await revisit_ticket(session, phone=None, summary="路灯不亮")
    await schedule_pending(session, RULES, clock())  # no number: handed over at once
    maker = async_sessionmaker(engine, expire_on_commit=False)
    assert await send_due(maker, gateway.url, clock()) == (0, 1)
    assert await send_due(maker, gateway.url, clock()) == (0, 0)  # not before its wait
    clock.advance(seconds=30)
    assert await send_due(maker, gateway.url, clock()) == (0, 1)
    clock.advance(seconds=59)
    assert await send_due(maker, gateway.url, clock()) == (0, 0)  # the wait doubled
    clock.advance(seconds=1)
    assert await send_due(maker, gateway.url, clock()) == (1, 0)
    clock.advance(hours=2)
    assert await send_due(maker, gateway.url, clock()) == (0, 0)  # sent: never again
    body, key = gateway.received[-1]
    assert key == body["id"] == f"revisit-{(await revisit_of(session, ticket)).id}"
    assert (body["event"], body["ticket"], body["reason"]) == ("revisit-handed-over",
                                                               ticket.number, "no-phone")
    assert body["summary"] == "路灯不亮" and body["scale"] == ["满意", "比较满意", "不满意"]
    revisit = await revisit_of(session, ticket)
    assert (revisit.notify_state, revisit.notify_attempts) == ("sent", 3)


async def test_an_unreachable_gateway_is_a_logged_failure_not_an_error(
        engine: AsyncEngine, session: AsyncSession, clock: FakeClock,
        caplog: pytest.LogCaptureFixture) -> None:
    await revisit_ticket(session, phone=None)
    await schedule_pending(session, RULES, clock())
    maker = async_sessionmaker(engine, expire_on_commit=False)
    closed = Gateway(failures=0)
    url = closed.url
    closed.server_close()  # nothing listens there now
    assert await send_due(maker, url, clock()) == (0, 1)
    assert "webhook try 1 failed" in caplog.text
    assert await send_due(maker, None, clock() + timedelta(hours=1)) == (0, 0)  # no gateway


async def test_only_http_urls_are_posted_to() -> None:
    with pytest.raises(WebhookFailed):
        await post_json("file:///etc/passwd", {}, "k")
