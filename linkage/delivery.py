"""POSTs a signed packet to a target's endpoint: one idempotency key, bounded retries."""

import asyncio
import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from enum import StrEnum

import httpx

from linkage.packet import (
    HANDOFF_HEADER,
    IDEMPOTENCY_HEADER,
    SIGNATURE_HEADER,
    digest,
    sign,
    verify,
)

log = logging.getLogger(__name__)

# Worth another attempt: the target is busy or briefly away. Any other 4xx is a refusal of
# this packet, which sending it again would not change.
RETRYABLE_STATUS = frozenset({408, 425, 429})


class Outcome(StrEnum):
    DELIVERED = "delivered"
    REJECTED = "rejected"
    FAILED = "failed"


@dataclass(frozen=True)
class Receipt:
    """How a delivery ended: the target's answer, or why there was none."""

    outcome: Outcome
    attempts: int
    status: int | None = None
    body_hash: str | None = None
    verified: bool | None = None  # None: the target does not sign its receipts
    error: str | None = None


@dataclass(frozen=True)
class Shipment:
    """One packet on its way: where, signed with what, under which idempotency key."""

    url: str
    secret: str
    key: str
    body: bytes


Progress = Callable[[int], Awaitable[None]]


async def _nothing(_attempt: int) -> None:
    return None


class Delivery:
    """Sends shipments with ``attempts`` tries, pausing ``backoff`` seconds, doubling."""

    def __init__(self, client: httpx.AsyncClient, *, attempts: int = 5, backoff: float = 0.5,
                 max_backoff: float = 8.0) -> None:
        self.client = client
        self.attempts = max(1, attempts)
        self.backoff = backoff
        self.max_backoff = max_backoff

    async def send(self, shipment: Shipment, on_attempt: Progress = _nothing) -> Receipt:
        """Deliver once; the same body and key on every attempt, so the target sees one."""
        headers = {"Content-Type": "application/json; charset=utf-8",
                   SIGNATURE_HEADER: sign(shipment.secret, shipment.body),
                   IDEMPOTENCY_HEADER: shipment.key, HANDOFF_HEADER: shipment.key}
        error = "not attempted"
        for attempt in range(1, self.attempts + 1):
            await on_attempt(attempt)
            try:
                response = await self.client.post(shipment.url, content=shipment.body,
                                                  headers=headers)
            except httpx.HTTPError as exc:  # refused, reset, timed out: the target is away
                error = f"{type(exc).__name__}: {exc}" if str(exc) else type(exc).__name__
            else:
                if response.is_success:
                    return _receipt(shipment, response, attempt)
                error = f"HTTP {response.status_code}"
                if response.status_code < 500 and response.status_code not in RETRYABLE_STATUS:
                    log.warning("packet %s refused by %s: %s", shipment.key, shipment.url, error)
                    return Receipt(Outcome.REJECTED, attempt, response.status_code,
                                   digest(response.content), error=error)
            log.info("packet %s attempt %d/%d to %s failed: %s", shipment.key, attempt,
                     self.attempts, shipment.url, error)
            if attempt < self.attempts:
                await asyncio.sleep(min(self.backoff * 2 ** (attempt - 1), self.max_backoff))
        log.warning("packet %s not delivered to %s after %d attempts: %s", shipment.key,
                    shipment.url, self.attempts, error)
        return Receipt(Outcome.FAILED, self.attempts, error=error)


def _receipt(shipment: Shipment, response: httpx.Response, attempt: int) -> Receipt:
    body = response.content
    signature = response.headers.get(SIGNATURE_HEADER)
    verified = None if signature is None else verify(shipment.secret, body, signature)
    if verified is False:
        log.warning("packet %s: the receipt's signature does not verify", shipment.key)
    return Receipt(Outcome.DELIVERED, attempt, response.status_code, digest(body), verified)
