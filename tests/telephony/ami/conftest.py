"""The fake AMI peer, started fresh for each test."""

from collections.abc import AsyncIterator

import pytest

from .helpers import FakeAmi


@pytest.fixture
async def peer() -> AsyncIterator[FakeAmi]:
    """A fake AMI peer listening on 127.0.0.1."""
    fake = FakeAmi()
    await fake.start()
    yield fake
    await fake.stop()
