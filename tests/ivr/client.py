"""A FastAGI client that plays Asterisk: sends an ``agi_*`` environment, answers commands.

The caller's keys are ``inputs``, consumed when the route listens (GET DATA, WAIT FOR DIGIT):
``"2"``, ``"2603020000017#"``, ``""`` (nothing in time) or ``HANGUP``. An input starting with
``!`` is keyed during the prompt (STREAM FILE with escape keys takes its first key). Replies
follow Asterisk 22 as observed: a hang-up answers the pending command ``200 result=-1``, then
sends ``HANGUP``; later commands get 511, except SET VARIABLE, still allowed.
"""

import asyncio
import re
import shlex
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

HANGUP = "HANGUP"
DEAD = "511 Command Not Permitted on a dead channel or intercept routine"


def environment(route: str = "ivr", **extra: str) -> dict[str, str]:
    """What Asterisk 22 sends for ``AGI(agi://127.0.0.1:4573/<route>)``."""
    env = {
        "agi_network": "yes", "agi_network_script": route,
        "agi_request": f"agi://127.0.0.1:4573/{route}",
        "agi_channel": "PJSIP/carrier-00000001", "agi_language": "en", "agi_type": "PJSIP",
        "agi_uniqueid": "1700000000.1", "agi_version": "22.5.0",
        "agi_callerid": "13800138000", "agi_calleridname": "unknown",
        "agi_callingpres": "0", "agi_callingani2": "0", "agi_callington": "0",
        "agi_callingtns": "0", "agi_dnid": "12345", "agi_rdnis": "unknown",
        "agi_context": "hotline-inbound", "agi_extension": "s", "agi_priority": "4",
        "agi_enhanced": "0.0", "agi_accountcode": "", "agi_threadid": "140000000000",
    }
    return env | extra


def encode(env: dict[str, str]) -> bytes:
    return "".join(f"{k}: {v}\n" for k, v in env.items()).encode() + b"\n"


@dataclass
class FakeAsterisk:
    """One AGI session as Asterisk runs it, scripted by the test."""

    inputs: list[str] = field(default_factory=list)
    variables: dict[str, str] = field(default_factory=lambda: {
        "CHANNEL(linkedid)": "1700000000.0"})
    unplayable: set[str] = field(default_factory=set)  # prompt names Asterisk cannot open
    hang_up_when: Callable[[str], bool] | None = None  # hang up as this command arrives
    commands: list[str] = field(default_factory=list)
    set: dict[str, str] = field(default_factory=dict)  # SET VARIABLE, in order
    hung_up: bool = False
    hung_up_at: int | None = None  # index in ``commands`` of the command it hung up during
    closed_by_server: bool = False
    _pending: str = ""

    async def run(self, port: int, env: dict[str, str] | bytes | None = None,
                  within: float = 10.0) -> "FakeAsterisk":
        """Connect, send the environment, answer until the server closes the connection."""
        reader, writer = await asyncio.open_connection("127.0.0.1", port)
        writer.write(env if isinstance(env, bytes) else encode(env or environment()))
        await writer.drain()
        try:
            async with asyncio.timeout(within):
                while line := await reader.readline():
                    for reply in self.answer(line.decode().rstrip("\n")):
                        writer.write(reply.encode() + b"\n")
                    await writer.drain()
            self.closed_by_server = True
        finally:
            writer.close()
        return self

    def answer(self, command: str) -> Iterable[str]:
        """The lines Asterisk would write for ``command``."""
        self.commands.append(command)
        words = shlex.split(command)
        verb = " ".join(words[:2]).upper()
        if not self.hung_up and self.hang_up_when is not None and self.hang_up_when(command):
            return self._hang_up()
        if verb == "SET VARIABLE":
            self.set[words[2]] = words[3]
            return ["200 result=1"]
        if self.hung_up:
            return [DEAD]
        if verb == "GET VARIABLE":
            value = self.variables.get(words[2])
            return ["200 result=0"] if value is None else [f"200 result=1 ({value})"]
        if verb == "CHANNEL STATUS":
            return ["200 result=6"]
        if verb == "STREAM FILE":
            name = words[2].rsplit("/", 1)[-1]
            if name in self.unplayable:
                return ["200 result=-1 endpos=0"]
            escape = words[3] if len(words) > 3 else ""
            if escape and self.inputs and self.inputs[0].startswith("!"):
                keys = self.inputs.pop(0)[1:]
                self._pending = keys[1:]
                return [f"200 result={ord(keys[0])} endpos=800"]
            return ["200 result=0 endpos=8000"]
        if verb == "GET DATA":
            keys = self._pending or self._next()
            self._pending = ""
            if keys == HANGUP:
                return self._hang_up()
            digits = keys.split("#")[0][:int(words[4])]
            return [f"200 result={digits}" if digits else "200 result= (timeout)"]
        if verb == "WAIT FOR":
            keys = self._next()
            if keys == HANGUP:
                return self._hang_up()
            return [f"200 result={ord(keys[0]) if keys else 0}"]
        if verb == "HANGUP":
            self.hung_up = True
            self.hung_up_at = len(self.commands) - 1
            return ["200 result=1"]
        return ["510 Invalid or unknown command"]

    def _next(self) -> str:
        return self.inputs.pop(0).lstrip("!") if self.inputs else ""

    def _hang_up(self) -> list[str]:
        self.hung_up = True
        self.hung_up_at = len(self.commands) - 1
        return ["200 result=-1", HANGUP]

    def after_hang_up(self) -> list[str]:
        """The commands sent after the hang-up."""
        assert self.hung_up_at is not None, "the call never hung up"
        return self.commands[self.hung_up_at + 1:]

    def played(self) -> list[str]:
        """The prompt names streamed, in order."""
        return [shlex.split(c)[2].rsplit("/", 1)[-1] for c in self.commands
                if c.upper().startswith("STREAM FILE")]

    def after(self, name: str) -> list[str]:
        """The prompts streamed after the first ``name``."""
        played = self.played()
        return played[played.index(name) + 1:]


def said_digits(played: list[str]) -> str:
    """The digits read out (digit-N prompts), joined."""
    return "".join(m.group(1) for p in played if (m := re.fullmatch(r"digit-(\d)", p)))
