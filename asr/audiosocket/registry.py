"""Streams the controller announced before Asterisk connects them: UUID → label."""

import time
from collections.abc import Callable
from uuid import UUID

from asr.events import StreamLabel


class Expectations:
    """Labels by stream UUID; an announcement nobody connects to expires."""

    def __init__(self, ttl: float = 300.0, clock: Callable[[], float] = time.monotonic) -> None:
        self.ttl = ttl
        self._clock = clock
        self._labels: dict[UUID, tuple[StreamLabel, float]] = {}

    def expect(self, stream_uuid: UUID, label: StreamLabel) -> None:
        """Label the stream that will arrive with ``stream_uuid``."""
        self._prune()
        self._labels[stream_uuid] = (label, self._clock() + self.ttl)

    def claim(self, stream_uuid: UUID) -> StreamLabel | None:
        """The label announced for ``stream_uuid``, once; None when nobody announced it."""
        entry = self._labels.pop(stream_uuid, None)
        return None if entry is None or entry[1] < self._clock() else entry[0]

    def forget(self, stream_uuid: UUID) -> None:
        """Withdraw an announcement (the originate failed)."""
        self._labels.pop(stream_uuid, None)

    def __len__(self) -> int:
        return len(self._labels)

    def _prune(self) -> None:
        now = self._clock()
        # Originates that never connected would otherwise pile up for the process's life.
        for key in [key for key, (_, until) in self._labels.items() if until < now]:
            del self._labels[key]
