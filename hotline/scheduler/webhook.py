"""The outbound webhook: each hand-over POSTed as JSON to the SMS/WeChat gateway, retried.

A try is bounded by a timeout and runs off the event loop; a failure is logged and retried by
the next runs with a growing wait (``tickets.revisits.notify``): it never blocks a call.
"""

import asyncio
import json
import logging
import urllib.error
import urllib.request
from collections.abc import Awaitable, Callable
from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from tickets.revisits.notify import due_handovers, handover_failed, handover_sent

log = logging.getLogger(__name__)

TIMEOUT = 5.0
Post = Callable[[str, dict[str, object], str], Awaitable[None]]


class WebhookFailed(Exception):
    """The gateway did not take the hand-over (no answer, or not a 2xx)."""


def _post_sync(url: str, payload: dict[str, object], key: str) -> None:
    if not url.lower().startswith(("http://", "https://")):  # urlopen would read file:// too
        raise WebhookFailed("the webhook URL must be http:// or https://")
    body = json.dumps(payload, ensure_ascii=False).encode()
    request = urllib.request.Request(url, data=body, method="POST", headers={
        "Content-Type": "application/json; charset=utf-8", "Idempotency-Key": key})
    try:
        with urllib.request.urlopen(request, timeout=TIMEOUT) as response:
            status = response.status
    except urllib.error.HTTPError as exc:
        raise WebhookFailed(f"HTTP {exc.code}") from exc
    except (urllib.error.URLError, OSError) as exc:
        raise WebhookFailed(str(getattr(exc, "reason", exc))) from exc
    if not 200 <= status < 300:
        raise WebhookFailed(f"HTTP {status}")


async def post_json(url: str, payload: dict[str, object], key: str) -> None:
    """POST ``payload``; :class:`WebhookFailed` unless the gateway answers 2xx in time."""
    await asyncio.to_thread(_post_sync, url, payload, key)


async def send_due(sessionmaker: async_sessionmaker[AsyncSession], url: str | None,
                   now: datetime, post: Post = post_json) -> tuple[int, int]:
    """Send every hand-over whose try is due; (sent, failed)."""
    if not url:
        return 0, 0
    sent = failed = 0
    async with sessionmaker() as session:
        for handover in await due_handovers(session, now):
            payload = handover.payload()
            try:
                await post(url, payload, str(payload["id"]))
            except WebhookFailed as exc:
                await handover_failed(session, handover.revisit_id, str(exc), now)
                failed += 1
            else:
                await handover_sent(session, handover.revisit_id, now)
                sent += 1
    return sent, failed
