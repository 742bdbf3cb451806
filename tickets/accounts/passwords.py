"""Password hashing with scrypt from the standard library, off the event loop."""

import asyncio
import hashlib
import hmac
import os
import secrets
import threading
from collections.abc import Callable
from concurrent.futures import Executor, ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import TypeVar

from tickets.accounts.errors import LoginBusy

_N, _R, _P = 2**14, 8, 1
T = TypeVar("T")

# What an unknown user's password is checked against: the same scrypt work as a real user's
# (no answer can tell the two apart by time), and no password matches an all-zero digest.
DUMMY_HASH = f"scrypt${secrets.token_hex(16)}${'0' * 128}"


def hash_password(password: str) -> str:
    """A salted scrypt hash in ``scrypt$salt$hash`` form (blocking: about 50 ms of CPU)."""
    salt = secrets.token_bytes(16)
    digest = hashlib.scrypt(password.encode(), salt=salt, n=_N, r=_R, p=_P)
    return f"scrypt${salt.hex()}${digest.hex()}"


def verify_password(password: str, stored: str) -> bool:
    """Whether ``password`` matches ``stored``; constant time (blocking)."""
    try:
        scheme, salt_hex, digest_hex = stored.split("$")
        salt = bytes.fromhex(salt_hex)
    except ValueError:
        salt, scheme, digest_hex = b"", "", ""
    if scheme != "scrypt":  # still do the work: a broken row must not answer faster
        verify_password(password, DUMMY_HASH)
        return False
    digest = hashlib.scrypt(password.encode(), salt=salt, n=_N, r=_R, p=_P)
    return hmac.compare_digest(digest.hex(), digest_hex)


def default_workers() -> int:
    """Half the cores, at least one: a flood of logins leaves the other half to the loop."""
    return max(1, (os.cpu_count() or 2) // 2)


@dataclass
class PasswordHasher:
    """Runs scrypt in a small pool of its own, never on the event loop.

    The pool is not the default executor, so a flood of logins cannot take the threads other
    work needs; and at most ``max_pending`` hashes wait or run at once: past that a login is
    refused at once with :class:`LoginBusy` instead of queueing without end.
    """

    workers: int = field(default_factory=default_workers)
    max_pending: int = 16
    executor: Executor | None = None
    pending: int = 0
    runs: int = 0  # scrypt computations so far: the same for a known and an unknown user
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    async def hash(self, password: str) -> str:
        """A new hash of ``password``."""
        return await self._run(hash_password, password)

    async def verify(self, password: str, stored: str | None) -> bool:
        """Whether ``password`` matches ``stored``; None (no such user) costs the same work."""
        matches = await self._run(verify_password, password, stored or DUMMY_HASH)
        return matches and stored is not None

    async def _run(self, work: Callable[..., T], *args: str) -> T:
        if self.pending >= self.max_pending:
            raise LoginBusy("too many logins are being checked right now; try again",
                            retry_after=1)
        self.pending += 1
        try:
            return await asyncio.get_running_loop().run_in_executor(
                self._executor(), self._counted, work, *args)
        finally:
            self.pending -= 1

    def _counted(self, work: Callable[..., T], *args: str) -> T:
        with self._lock:
            self.runs += 1
        return work(*args)

    def _executor(self) -> Executor:
        if self.executor is None:
            self.executor = ThreadPoolExecutor(self.workers, thread_name_prefix="scrypt")
        return self.executor
