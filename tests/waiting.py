"""Waiting on a condition, never on a fixed sleep."""

import asyncio
import time
from collections.abc import Callable


async def wait_for(predicate: Callable[[], object], what: str, within: float = 20.0) -> None:
    """Poll until ``predicate()`` is true; fail naming ``what`` after ``within`` seconds."""
    deadline = time.monotonic() + within
    while not predicate():
        if time.monotonic() > deadline:
            raise AssertionError(f"{what}: not within {within}s")
        await asyncio.sleep(0.02)
