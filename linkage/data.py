"""The data side of a hand-off: one packet per hand-off, its receipt, the supervisor's alerts."""

import logging
from collections.abc import Callable
from datetime import datetime
from typing import Any

from linkage.delivery import Delivery, Outcome, Shipment
from linkage.detection import Notes
from linkage.events import DataFacts, EmergencyChanged
from linkage.handoff import LiveHandoff
from linkage.machine import DataEvent, DataState
from linkage.packet import Packet, digest

log = logging.getLogger(__name__)


def packet_of(h: LiveHandoff, notes: Notes | None) -> Packet:
    """What the target is told; the callback number only where the list allows it."""
    assert h.entry is not None
    return Packet(
        handoff=h.key, kind=h.kind, target=h.entry.target, ticket_number=h.ticket_number,
        reported_at=h.alerted_at.isoformat(),
        place=h.place or (notes.place if notes else ""),  # the ticket's, then the draft's
        summary=h.summary or (notes.summary if notes else ""),
        transcript_excerpt=h.excerpt or (notes.excerpt if notes else ""),
        callback_number=h.caller_number if h.entry.pass_identity else None)


class DataSender:
    """Sends a hand-off's packet once, and says what the screens and supervisors must hear."""

    def __init__(self, delivery: Delivery, clock: Callable[[], datetime]) -> None:
        self.delivery = delivery
        self.clock = clock

    async def send(self, h: LiveHandoff, notes: Notes | None) -> list[EmergencyChanged]:
        """Deliver (with retries under one idempotency key); the changes to announce."""
        if h.entry is None or not h.entry.endpoint_url or h.data_state is not DataState.PENDING:
            return []  # no endpoint, or already sent: nothing is ever sent twice
        body = packet_of(h, notes).body()
        h.packet_hash = digest(body)
        h.move_data(DataEvent.SEND, self.clock(), url=h.entry.endpoint_url,
                    packet_hash=h.packet_hash)

        async def attempted(attempt: int) -> None:
            h.data_attempts = attempt

        receipt = await self.delivery.send(
            Shipment(h.entry.endpoint_url, h.entry.secret, h.key, body), attempted)
        h.receipt, h.data_error = receipt, receipt.error
        facts: dict[str, Any] = {"status": receipt.status, "attempts": receipt.attempts,
                                 "receipt_hash": receipt.body_hash, "verified": receipt.verified,
                                 "error": receipt.error}
        told = DataFacts(receipt.status, receipt.attempts, receipt.body_hash, receipt.verified,
                         receipt.error)
        at = self.clock()
        if receipt.outcome is Outcome.DELIVERED:
            h.move_data(DataEvent.DELIVER, at, **facts)
            changes = [EmergencyChanged(h.view(), "data-delivered", data=told)]
            if receipt.verified is False:  # delivered, but the proof does not hold
                h.note(at, "linkage", "receipt-unverified", supervisor=True, **facts)
                changes.append(EmergencyChanged(h.view(), "receipt-unverified", data=told))
            return changes
        event = DataEvent.REJECT if receipt.outcome is Outcome.REJECTED else DataEvent.FAIL
        h.move_data(event, at, supervisor=True, **facts)
        log.warning("call %s: the %s data packet was not delivered (%s); the voice hand-off "
                    "goes on, the supervisor is told", h.linkedid, h.kind, receipt.error)
        return [EmergencyChanged(h.view(), "data-failed",
                                 data=DataFacts(receipt.status, receipt.attempts,
                                                receipt.body_hash, receipt.verified,
                                                receipt.error, receipt.outcome.value))]
