"""A fake AMI peer on 127.0.0.1, a recording subscriber and a link factory, for the tests."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, field

from telephony.ami.events import AmiEvent
from telephony.ami.link import AmiLink

BANNER = b"Asterisk Call Manager/9.0.0\r\n"


def frame(**fields: str) -> bytes:
    """One AMI message on the wire; keys with a dash are spelled with "__"."""
    text = "".join(f"{k.replace('__', '-')}: {v}\r\n" for k, v in fields.items())
    return (text + "\r\n").encode()


@dataclass
class Peer:
    """One client connection to the fake server."""

    writer: asyncio.StreamWriter
    silent: bool = False


@dataclass
class FakeAmi:
    """Speaks enough AMI: banner, Login, Ping/Pong, Originate, CoreShowChannels, raw injection."""

    username: str = "hotline"
    secret: str = "s3cret"
    originate_mode: str = "success"  # success | failure | error | hold
    mute_new: bool = False  # new connections answer nothing (a peer that hangs at login)
    actions: list[dict[str, list[str]]] = field(default_factory=list)
    peers: list[Peer] = field(default_factory=list)
    connections: int = 0
    port: int = 0
    _server: asyncio.Server | None = None

    async def start(self) -> int:
        self._server = await asyncio.start_server(self._client, "127.0.0.1", 0)
        self.port = self._server.sockets[0].getsockname()[1]
        return self.port

    async def stop(self) -> None:
        self.drop_all()
        if self._server is not None:
            self._server.close()
            await self._server.wait_closed()

    def named(self, action: str) -> list[dict[str, list[str]]]:
        return [a for a in self.actions if a["action"][0].lower() == action.lower()]

    @property
    def current(self) -> Peer:
        return self.peers[-1]

    def send(self, data: bytes) -> None:
        self.current.writer.write(data)

    def drop_all(self) -> None:
        for peer in self.peers:
            peer.writer.transport.abort()

    def go_silent(self) -> None:
        """Keep the TCP connection open but answer nothing: a half-open link."""
        self.current.silent = True

    async def _client(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        self.connections += 1
        peer = Peer(writer, silent=self.mute_new)
        self.peers.append(peer)
        writer.write(BANNER)
        try:
            while True:
                raw = await reader.readuntil(b"\r\n\r\n")
                action = parse_action(raw)
                self.actions.append(action)
                if not peer.silent:
                    self._answer(peer, action)
        except (asyncio.IncompleteReadError, ConnectionError):
            pass
        finally:
            writer.close()

    def _answer(self, peer: Peer, action: dict[str, list[str]]) -> None:
        name = action["action"][0].lower()
        action_id = action.get("actionid", [""])[0]
        handler = getattr(self, f"_on_{name}", None)
        if handler is None:
            peer.writer.write(
                frame(Response="Error", ActionID=action_id, Message="Invalid/unknown command")
            )
            return
        handler(peer, action, action_id)

    def _on_login(self, peer: Peer, action: dict[str, list[str]], action_id: str) -> None:
        ok = action["username"] == [self.username] and action["secret"] == [self.secret]
        if not ok:
            peer.writer.write(
                frame(Response="Error", ActionID=action_id, Message="Authentication failed")
            )
            peer.writer.close()  # Asterisk ends the session on a failed login
            return
        peer.writer.write(
            frame(Response="Success", ActionID=action_id, Message="Authentication accepted")
        )
        peer.writer.write(
            frame(
                Event="FullyBooted",
                Privilege="system,all",
                Status="Fully Booted",
                Uptime="12",
                LastReload="12",
            )
        )

    def _on_ping(self, peer: Peer, action: dict[str, list[str]], action_id: str) -> None:
        peer.writer.write(
            frame(
                Response="Success", ActionID=action_id, Ping="Pong", Timestamp="1700000000.000000"
            )
        )

    def _on_originate(self, peer: Peer, action: dict[str, list[str]], action_id: str) -> None:
        if self.originate_mode == "error":
            peer.writer.write(
                frame(Response="Error", ActionID=action_id, Message="Originate failed")
            )
            return
        peer.writer.write(
            frame(Response="Success", ActionID=action_id, Message="Originate successfully queued")
        )
        if self.originate_mode == "hold":
            return
        self.send_originate_response(action_id, success=self.originate_mode == "success")

    def send_originate_response(self, action_id: str, *, success: bool) -> None:
        self.send(
            frame(
                Event="OriginateResponse",
                Privilege="call,all",
                ActionID=action_id,
                Response="Success" if success else "Failure",
                Channel="PJSIP/unit-0001",
                Context="revisit",
                Exten="s",
                Application="",
                Data="",
                Reason="4" if success else "5",
                Uniqueid="1700000100.7",
                CallerIDNum="12345",
                CallerIDName="市民热线",
            )
        )

    def _on_coreshowchannels(
        self, peer: Peer, action: dict[str, list[str]], action_id: str
    ) -> None:
        peer.writer.write(
            frame(
                Response="Success",
                ActionID=action_id,
                EventList="start",
                Message="Channels will follow",
            )
        )
        for n in (1, 2):
            peer.writer.write(
                frame(
                    Event="CoreShowChannel",
                    ActionID=action_id,
                    Channel=f"PJSIP/trunk-000{n}",
                    ChannelState="6",
                    CallerIDNum="1380013800{n}",
                    CallerIDName="王小明",
                    Uniqueid=f"1700000000.{n}",
                    Linkedid="1700000000.1",
                    Application="Queue",
                    Duration="00:00:12",
                )
            )
        peer.writer.write(
            frame(
                Event="CoreShowChannelsComplete",
                ActionID=action_id,
                EventList="Complete",
                ListItems="2",
            )
        )


def parse_action(raw: bytes) -> dict[str, list[str]]:
    """An action as the fake peer reads it: lower-cased keys, every value kept."""
    action: dict[str, list[str]] = {}
    for line in raw.decode("utf-8").split("\r\n"):
        key, sep, value = line.partition(": ")
        if sep:
            action.setdefault(key.lower(), []).append(value)
    return action


class Recorder:
    """A subscriber that keeps what it got, and an on_connected hook that counts."""

    def __init__(self) -> None:
        self.events: list[AmiEvent] = []
        self.hooks = 0

    async def __call__(self, event: AmiEvent) -> None:
        self.events.append(event)

    async def hook(self, link: AmiLink) -> None:
        self.hooks += 1

    def of(self, kind: type[AmiEvent]) -> list[AmiEvent]:
        return [e for e in self.events if isinstance(e, kind)]


def make_link(peer: FakeAmi, rec: Recorder, **kw: object) -> AmiLink:
    """A link to the fake peer with test-sized intervals, rec subscribed to everything."""
    options: dict[str, object] = {
        "ping_interval": 0.2,
        "pong_timeout": 2.0,
        "backoff_initial": 0.02,
        "backoff_max": 0.1,
        "action_timeout": 2.0,
        "on_connected": rec.hook,
    }
    options.update(kw)
    link = AmiLink("127.0.0.1", peer.port, "hotline", "s3cret", **options)  # type: ignore[arg-type]
    link.subscribe(rec)
    return link
