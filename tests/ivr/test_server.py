"""The FastAGI server: connections, routes, malformed peers, many calls at once, stopping."""

import asyncio

import pytest

from ivr.agi.app import FastAgiApp
from ivr.outcome import RouteOutcome
from ivr.prompts.player import Prompts
from ivr.server import IvrServer
from tests.ivr.client import FakeAsterisk, encode, environment
from tests.ivr.fakes import FakeSurveys, FakeTickets
from tests.waiting import wait_for


async def raw(port: int, data: bytes, close: bool = True) -> bytes:
    """Send ``data``; whatever the server writes until it closes the connection."""
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    writer.write(data)
    await writer.drain()
    if close:
        writer.write_eof()
    try:
        async with asyncio.timeout(5):
            return await reader.read()
    finally:
        writer.close()


async def test_port_zero_binds_a_free_port(server: IvrServer) -> None:
    assert server.port > 0


async def test_an_unknown_route_closes_at_once_and_is_reported(
        server: IvrServer, finished: list[RouteOutcome]) -> None:
    asterisk = await FakeAsterisk(["1"]).run(server.port, environment("fax"))
    assert asterisk.commands == [] and asterisk.closed_by_server
    assert (finished[-1].result, finished[-1].route) == ("unrouted", "fax")


async def test_no_route_at_all(server: IvrServer, finished: list[RouteOutcome]) -> None:
    env = environment()
    del env["agi_network_script"]
    asterisk = await FakeAsterisk().run(server.port, env)
    assert asterisk.commands == []
    assert finished[-1] == RouteOutcome(None, "1700000000.1", None, "unrouted", None)


async def test_missing_channel_variables_still_run_the_menu(server: IvrServer) -> None:
    asterisk = await FakeAsterisk(["0"]).run(server.port, b"agi_network_script: ivr\n\n")
    assert asterisk.set["HOTLINE_IVR_RESULT"] == "agent"


@pytest.mark.parametrize("data", [
    b"", b"agi_network_script: ivr\n",  # closed before the blank line
    b"\xff\xfe\x00garbage\n" * 10,
])
async def test_a_peer_that_never_finishes_its_environment_is_let_go(
        server: IvrServer, data: bytes) -> None:
    assert await raw(server.port, data) == b""
    await wait_for(lambda: server.active_calls == 0, "connection dropped")


async def test_a_silent_peer_is_let_go_after_the_header_timeout(server: IvrServer) -> None:
    assert await raw(server.port, b"agi_network_script: ivr\n", close=False) == b""


async def test_an_oversized_environment_is_refused(server: IvrServer) -> None:
    assert await raw(server.port, b"agi_x: " + b"y" * 100_000 + b"\n\n") == b""


async def test_garbage_in_the_environment_does_not_stop_the_route(server: IvrServer) -> None:
    data = (b"agi_network_script: ivr\n\xff\xfe\nagi_calleridname: \xd5\xc5\n"
            b"agi_uniqueid: 9.9\n\n")
    asterisk = await FakeAsterisk(["3"]).run(server.port, data)
    assert asterisk.set["HOTLINE_QUEUE"] == "enterprise"


async def test_garbage_replies_end_the_route_and_the_call_goes_on(
        server: IvrServer, finished: list[RouteOutcome]) -> None:
    class Garbled(FakeAsterisk):
        def answer(self, command: str) -> list[str]:
            if command.startswith("STREAM FILE"):
                self.commands.append(command)
                return ["what?"]
            return list(super().answer(command))

    asterisk = await Garbled().run(server.port)
    assert asterisk.closed_by_server
    assert finished[-1].result == "agent"


async def test_many_calls_at_once(server: IvrServer, finished: list[RouteOutcome],
                                  tickets: FakeTickets) -> None:
    keys = ["0", "3", "1"] * 20
    calls = [FakeAsterisk([k, ""]).run(server.port, environment(agi_uniqueid=f"1.{i}"))
             for i, k in enumerate(keys)]
    done = await asyncio.gather(*calls)
    assert [a.set["HOTLINE_IVR_RESULT"] for a in done] == [
        {"0": "agent", "3": "enterprise", "1": "describe"}[k] for k in keys]
    assert sorted(o.uniqueid or "" for o in finished) == sorted(f"1.{i}" for i in range(60))


async def test_stop_lets_calls_go_and_refuses_new_ones(prompts: Prompts) -> None:
    server = IvrServer("127.0.0.1", 0, tickets=FakeTickets(), surveys=FakeSurveys(),
                       prompts=prompts)
    await server.start()
    reader, writer = await asyncio.open_connection("127.0.0.1", server.port)
    writer.write(encode(environment()))
    await writer.drain()
    assert (await reader.readline()).startswith(b"SET VARIABLE HOTLINE_STAGE")
    await server.stop(grace=0.1)  # the route waits for a reply that never comes
    assert await reader.read() == b""  # let go: Asterisk's dialplan goes on to the queue
    writer.close()
    with pytest.raises(OSError):
        await asyncio.open_connection("127.0.0.1", server.port)


def test_routes_must_be_async() -> None:
    app = FastAgiApp(asyncio.new_event_loop())

    def sync_route(channel: object) -> None:
        return None

    with pytest.raises(TypeError):
        app.add_route("x", sync_route)  # type: ignore[arg-type]
    app.loop.close()
