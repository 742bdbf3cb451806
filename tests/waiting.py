"""Waiting on a condition, never on a fixed sleep."""

import asyncio
import inspect
import time
from collections.abc import Awaitable, Callable


async def wait_for(condition: Callable[[], object | Awaitable[object]], what: str,
                   within: float = 20.0, every: float = 0.02) -> None:
    """Poll ``condition`` until it is true; fail naming ``what`` after ``within`` seconds.

    ``condition`` may be plain (the controller's picture) or async (a query to the database
    or to Asterisk): an awaitable result is awaited.
    """
    deadline = time.monotonic() + within
    while True:
        outcome = condition()
        if inspect.isawaitable(outcome):
            outcome = await outcome
        if outcome:
            return
        if time.monotonic() > deadline:
            raise AssertionError(f"{what}: not within {within}s")
        await asyncio.sleep(every)
