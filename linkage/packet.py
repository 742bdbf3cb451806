"""The data packet an emergency centre receives, its signature, and the receipt's check."""

import hashlib
import hmac
import json
from collections.abc import Sequence
from dataclasses import asdict, dataclass

SIGNATURE_HEADER = "X-Hotline-Signature"
IDEMPOTENCY_HEADER = "Idempotency-Key"
HANDOFF_HEADER = "X-Hotline-Handoff"
SCHEME = "sha256="
EXCERPT_CHARS = 300


@dataclass(frozen=True)
class Packet:
    """What the target is told; built once per hand-off, so every retry sends the same bytes."""

    handoff: str
    kind: str
    target: str
    ticket_number: str | None
    reported_at: str  # when the emergency was first detected, ISO 8601 with +08:00
    place: str
    summary: str
    transcript_excerpt: str
    callback_number: str | None  # only where the list passes the caller's identity on

    def body(self) -> bytes:
        """Canonical JSON: sorted keys, UTF-8, no spaces (the signature covers these bytes)."""
        return json.dumps(asdict(self), ensure_ascii=False, sort_keys=True,
                          separators=(",", ":")).encode()


def sign(secret: str, body: bytes) -> str:
    """The signature header's value: HMAC-SHA256 of the body with the target's secret."""
    return SCHEME + hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()


def verify(secret: str, body: bytes, signature: str) -> bool:
    """Whether ``signature`` is the target's signature of ``body`` (constant time)."""
    return hmac.compare_digest(sign(secret, body), signature.strip())


def digest(body: bytes) -> str:
    """SHA-256 of a body, hex: what the record keeps of a packet or a receipt."""
    return hashlib.sha256(body).hexdigest()


def excerpt(transcript: Sequence[tuple[str, str]], limit: int = EXCERPT_CHARS) -> str:
    """The caller's latest words (the part that named the emergency), at most ``limit``.

    ``transcript``: (speaker, text) in spoken order.
    """
    said = [text for speaker, text in transcript if speaker == "caller"]
    text = " ".join(said[-2:]).strip() or " ".join(text for _, text in transcript[-2:])
    return text.strip()[-limit:]
