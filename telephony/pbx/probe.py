"""A bare AMI session on asyncio streams: login, a few actions, events; no reconnects.

The platform's AMI link is the controller's; this is for start-up checks, ``status`` and
tests of the dialplan, where nothing more than a short exchange is needed.
"""

import asyncio
import itertools
from collections import deque
from collections.abc import Callable
from types import TracebackType
from typing import Self

from telephony.errors import AmiLoginRefused, AmiUnreachable

Message = dict[str, str]
END = b"\r\n\r\n"


def parse_message(raw: bytes) -> Message:
    """``Key: Value`` lines of one AMI message; a whole message is decoded at once.

    Repeated ``ChanVariable: NAME=value`` lines become ``ChanVariable(NAME)`` keys.
    """
    message: Message = {}
    for line in raw.decode("utf-8", errors="replace").split("\r\n"):
        key, sep, value = line.partition(":")
        key, value = key.strip(), value.strip()
        if sep and key.endswith("ChanVariable") and "=" in value:
            name, _, value = value.partition("=")
            message[f"{key}({name})"] = value
        elif sep:
            message.setdefault(key, value)
    return message


class AmiSession:
    """One AMI connection: actions answered by ActionID, other messages kept as events."""

    def __init__(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter,
                 banner: str) -> None:
        self.reader, self.writer, self.banner = reader, writer, banner
        self.events: deque[Message] = deque(maxlen=10_000)
        self._ids = itertools.count(1)

    @classmethod
    async def connect(cls, host: str, port: int, seconds: float = 5.0,
                      local_host: str | None = None) -> Self:
        """Open a connection and read the ``Asterisk Call Manager/x.y`` banner."""
        local = (local_host, 0) if local_host else None
        try:
            async with asyncio.timeout(seconds):
                reader, writer = await asyncio.open_connection(
                    host, port, local_addr=local, limit=1 << 20)
                banner = (await reader.readline()).decode(errors="replace").strip()
        except (OSError, TimeoutError) as exc:
            raise AmiUnreachable(f"AMI at {host}:{port} unreachable: {exc}",
                                 host=host, port=port) from exc
        if not banner.startswith("Asterisk Call Manager"):
            writer.close()
            raise AmiUnreachable(f"not AMI at {host}:{port}: {banner[:60]!r}",
                                 host=host, port=port)
        return cls(reader, writer, banner)

    async def __aenter__(self) -> Self:
        return self

    async def __aexit__(self, kind: type[BaseException] | None, exc: BaseException | None,
                        tb: TracebackType | None) -> None:
        await self.close()

    async def read_message(self, seconds: float = 10.0) -> Message:
        """The next message from Asterisk."""
        try:
            async with asyncio.timeout(seconds):
                raw = await self.reader.readuntil(END)
        except asyncio.IncompleteReadError as exc:
            raise AmiUnreachable("AMI connection closed") from exc
        return parse_message(raw)

    async def action(self, name: str, seconds: float = 10.0, **fields: str) -> Message:
        """Send an action and return its response; events read meanwhile are kept."""
        action_id = f"probe-{next(self._ids)}"
        lines = [f"Action: {name}", f"ActionID: {action_id}"]
        lines += [f"{key}: {value}" for key, value in fields.items()]
        self.writer.write(("\r\n".join(lines) + "\r\n\r\n").encode())
        await self.writer.drain()
        async with asyncio.timeout(seconds):
            while True:
                message = await self.read_message(seconds)
                if message.get("ActionID") == action_id and "Response" in message:
                    return message
                if "Event" in message:
                    self.events.append(message)

    async def login(self, username: str, secret: str, events: str = "off") -> None:
        """Log in, or raise ``AmiLoginRefused``."""
        response = await self.action("Login", Username=username, Secret=secret, Events=events)
        if response.get("Response") != "Success":
            raise AmiLoginRefused(response.get("Message", "login refused"), username=username)

    async def wait_event(self, match: Callable[[Message], bool],
                         seconds: float = 10.0) -> Message:
        """The first event, kept or arriving, that ``match`` accepts."""
        for event in list(self.events):
            if match(event):
                self.events.remove(event)
                return event
        async with asyncio.timeout(seconds):
            while True:
                message = await self.read_message(seconds)
                if "Event" in message and match(message):
                    return message
                if "Event" in message:
                    self.events.append(message)

    async def close(self) -> None:
        """Log off (best effort) and close."""
        if not self.writer.is_closing():
            try:
                self.writer.write(b"Action: Logoff\r\n\r\n")
                self.writer.close()
                await asyncio.wait_for(self.writer.wait_closed(), 2)
            except (OSError, TimeoutError):
                pass


async def asterisk_version(host: str, port: int, username: str, secret: str,
                           seconds: float = 5.0) -> str:
    """The version Asterisk reports over AMI (``CoreSettings`` → ``AsteriskVersion``)."""
    async with await AmiSession.connect(host, port, seconds) as ami:
        await ami.login(username, secret)
        settings = await ami.action("CoreSettings", seconds)
    if settings.get("Response") != "Success":
        raise AmiUnreachable(settings.get("Message", "CoreSettings failed"))
    return settings.get("AsteriskVersion", "?")
