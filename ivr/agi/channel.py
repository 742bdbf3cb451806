"""Commands over one FastAGI connection: replies parsed, hang-ups told apart from failures.

panoramisk's ``Request.send_command`` is not used: it raises ``ValueError`` when Asterisk
closes the socket (``int('')``), returns the asynchronous ``HANGUP`` line as the reply and
then reads the real reply as the next command's, and reads one line of a multi-line 520.
"""

import asyncio
import logging
import re
from dataclasses import dataclass

from ivr.agi.request import AgiRequest
from ivr.errors import AgiCommandFailed, AgiProtocolError, CallerHungUp

log = logging.getLogger(__name__)

KEYS = "0123456789*#"
REPLY_TIMEOUT = 120.0  # beyond the command's own wait: Asterisk answers within it or is stuck
DEAD_CHANNEL = 511  # "Command Not Permitted on a dead channel or intercept routine"
_REPLY = re.compile(r"(\d{3})([ -])(.*)")
_RESULT = re.compile(r"result=(?P<result>\S*)(?: \((?P<data>.*)\))?(?: endpos=(?P<endpos>-?\d+))?")
_VARIABLE = re.compile(r"[A-Za-z_][A-Za-z0-9_]{0,63}(\([A-Za-z0-9_,]{0,64}\))?")
_UNSAFE = re.compile(r"[\r\n\x00]")


@dataclass(frozen=True)
class AgiReply:
    """A 200 reply: ``result=…``, the parenthesised data and ``endpos`` if any."""

    result: str
    data: str | None = None
    endpos: int | None = None


def parse_reply(line: str) -> AgiReply | None:
    """The 200 reply of ``line`` (without its code); None when it is not ``result=…``."""
    match = _RESULT.fullmatch(line.strip())
    if match is None:
        return None
    endpos = match.group("endpos")
    return AgiReply(match.group("result"), match.group("data"),
                    int(endpos) if endpos is not None else None)


def quote(argument: str) -> str:
    """One command argument as Asterisk's AGI parser reads it back."""
    if _UNSAFE.search(argument):
        raise ValueError(f"an AGI argument cannot hold a line break: {argument!r}")
    if argument and not re.search(r'[\s"\\]', argument):
        return argument
    return '"' + argument.replace("\\", "\\\\").replace('"', '\\"') + '"'


def key_of(result: str) -> str | None:
    """The key an ASCII code names (STREAM FILE, WAIT FOR DIGIT); None for 0 or garbage."""
    try:
        code = int(result)
    except ValueError:
        return None
    return chr(code) if 0 < code < 128 and chr(code) in KEYS else None


class AgiChannel:
    """One call's command channel; raises CallerHungUp once the channel is gone."""

    def __init__(self, request: AgiRequest, reader: asyncio.StreamReader,
                 writer: asyncio.StreamWriter, reply_timeout: float = REPLY_TIMEOUT) -> None:
        self.request = request
        self._reader = reader
        self._writer = writer
        self._reply_timeout = reply_timeout
        self._hung_up = False

    @property
    def hung_up(self) -> bool:
        """Whether Asterisk said the channel is gone."""
        return self._hung_up

    async def command(self, verb: str, *arguments: str, wait: float = 0.0,
                      dead_safe: bool = False) -> AgiReply:
        """Send ``verb`` with ``arguments``; its reply. ``wait``: seconds the command may take."""
        if self._hung_up and not dead_safe:
            raise CallerHungUp("the channel hung up", command=verb, channel=self.request.who)
        line = " ".join((verb, *(quote(a) for a in arguments)))
        try:
            self._writer.write(line.encode() + b"\n")
            await self._writer.drain()
        except ConnectionError as exc:
            raise self._gone(verb) from exc
        reply = await self._reply(verb, self._reply_timeout + wait)
        if reply.data == "hangup":
            self._hung_up = True
            raise self._gone(verb)
        if reply.result == "-1" and verb != "CHANNEL STATUS":
            await self._after_failure(verb, line)
        return reply

    async def set_variable(self, name: str, value: str) -> None:
        """Set a channel variable (allowed on a hung-up channel too)."""
        if not _VARIABLE.fullmatch(name):
            raise ValueError(f"not a variable name: {name!r}")
        await self.command("SET VARIABLE", name, value, dead_safe=True)

    async def get_variable(self, name: str) -> str | None:
        """A channel variable or function (``CHANNEL(linkedid)``); None when unset."""
        if not _VARIABLE.fullmatch(name):
            raise ValueError(f"not a variable name: {name!r}")
        reply = await self.command("GET VARIABLE", name)
        return reply.data if reply.result == "1" else None

    async def stream_file(self, path: str, escape: str = "") -> str | None:
        """Play a file (path without extension); the key that interrupted it, if any."""
        reply = await self.command("STREAM FILE", path, escape, wait=300.0)
        return key_of(reply.result)

    async def get_data(self, path: str, seconds: float, max_digits: int) -> str:
        """Keys up to ``max_digits`` or ``#`` (not included); "" when none within ``seconds``
        (Asterisk's timeout, for the first key and between keys)."""
        reply = await self.command("GET DATA", path, str(round(seconds * 1000)), str(max_digits),
                                   wait=300.0 + seconds * (max_digits + 1))
        return reply.result if set(reply.result) <= set(KEYS) else ""

    async def wait_for_digit(self, seconds: float) -> str | None:
        """One key within ``seconds``, or None."""
        reply = await self.command("WAIT FOR DIGIT", str(round(seconds * 1000)), wait=seconds)
        return key_of(reply.result)

    async def hangup(self) -> None:
        """Hang the channel up (the route ends after this)."""
        await self.command("HANGUP")
        self._hung_up = True

    async def _after_failure(self, verb: str, line: str) -> None:
        """``result=-1``: a hang-up, or a command that failed on a live channel."""
        # Asterisk answers -1 for a prompt it cannot open as for a hang-up (seen on 22):
        # CHANNEL STATUS tells them apart (a number: alive; 511: gone).
        if not self._hung_up:
            status = await self.command("CHANNEL STATUS")
            if status.result.isdigit():
                raise AgiCommandFailed(f"{verb} failed on a live channel", command=line,
                                       channel=self.request.who)
        self._hung_up = True
        raise self._gone(verb)

    async def _reply(self, verb: str, limit: float) -> AgiReply:
        """Read to the command's reply, noting a ``HANGUP`` line met on the way."""
        try:
            async with asyncio.timeout(limit):
                while True:
                    text = await self._line(verb)
                    if text == "HANGUP":  # sent once, whenever Asterisk notices the hang-up
                        self._hung_up = True
                        continue
                    match = _REPLY.fullmatch(text)
                    if match is None:
                        raise AgiProtocolError(f"not an AGI reply to {verb}: {text[:80]!r}",
                                               channel=self.request.who)
                    code, more, rest = int(match.group(1)), match.group(2), match.group(3)
                    if code == 100:  # "Trying...": the reply follows
                        continue
                    if code == 200:
                        reply = parse_reply(rest)
                        if reply is None:
                            raise AgiProtocolError(f"unreadable reply to {verb}: {text[:80]!r}",
                                                   channel=self.request.who)
                        return reply
                    if code == DEAD_CHANNEL:
                        self._hung_up = True
                        raise self._gone(verb)
                    if more == "-":  # 520-…: a usage text up to "520 End of proper usage."
                        while not (await self._line(verb)).startswith(f"{code} "):
                            pass
                    raise AgiCommandFailed(f"{verb}: Asterisk answered {code} {rest[:80]}",
                                           command=verb, code=code, channel=self.request.who)
        except TimeoutError as exc:
            raise AgiProtocolError(f"no reply to {verb} within {limit:.0f}s",
                                   channel=self.request.who) from exc

    async def _line(self, verb: str) -> str:
        try:
            raw = await self._reader.readline()
        except (ValueError, asyncio.LimitOverrunError) as exc:  # a line past the buffer limit
            raise AgiProtocolError(f"an overlong line in reply to {verb}",
                                   channel=self.request.who) from exc
        except ConnectionError as exc:
            raise self._gone(verb) from exc
        if not raw.endswith(b"\n"):  # closed: Asterisk is done with this channel
            self._hung_up = True
            raise self._gone(verb)
        return raw.decode("utf-8", errors="replace").rstrip("\r\n")

    def _gone(self, verb: str) -> CallerHungUp:
        return CallerHungUp("the channel hung up", command=verb, channel=self.request.who)
