"""What the drafting needs from outside the ticket domain, as small protocols."""

from collections.abc import Sequence
from typing import Protocol


class TranscriptSource(Protocol):
    """A call's stored transcript: (speaker, text) in spoken order (the recogniser's store)."""

    async def said(self, call_id: str) -> Sequence[tuple[str, str]]: ...

    async def caller_of(self, call_id: str) -> str | None:
        """The number the call came from (its caller ID), if known."""
        ...
