"""The dispatcher: in order, filtered by type, isolated from failing subscribers, back-pressure."""

import asyncio

from telephony.ami import events as ev
from telephony.ami.dispatch import Dispatcher
from telephony.ami.snapshot import NO_VARIABLES, Channel
from tests.waiting import wait_for


def hangup(n: int) -> ev.Hangup:
    leg = Channel(f"PJSIP/{n}", f"{n}.1", f"{n}.1", 6, "", "", "", "", "", "", NO_VARIABLES)
    return ev.Hangup(leg, 16, "Normal Clearing")


async def test_events_arrive_in_order_to_the_types_asked_for() -> None:
    dispatcher = Dispatcher(lambda paused: None)
    hangups: list[ev.AmiEvent] = []
    everything: list[ev.AmiEvent] = []

    async def on_hangup(event: ev.AmiEvent) -> None:
        hangups.append(event)

    async def on_any(event: ev.AmiEvent) -> None:
        everything.append(event)

    dispatcher.subscribe(on_hangup, ev.Hangup)
    stop = dispatcher.subscribe(on_any)
    task = asyncio.create_task(dispatcher.run())
    booted = ev.FullyBooted("Fully Booted", 1, 1)
    dispatcher.push([hangup(1), booted, hangup(2)])
    await dispatcher.drain()
    stop()
    dispatcher.push([hangup(3)])
    await dispatcher.drain()
    task.cancel()
    assert [e.channel.name for e in hangups] == ["PJSIP/1", "PJSIP/2", "PJSIP/3"]  # type: ignore[attr-defined]
    assert everything == [hangup(1), booted, hangup(2)]


async def test_a_slow_subscriber_pauses_reading_and_resumes_it() -> None:
    signals: list[bool] = []
    dispatcher = Dispatcher(signals.append, high_water=4, low_water=1)
    release = asyncio.Event()
    seen: list[ev.AmiEvent] = []

    async def slow(event: ev.AmiEvent) -> None:
        await release.wait()
        seen.append(event)

    dispatcher.subscribe(slow)
    task = asyncio.create_task(dispatcher.run())
    for n in range(6):
        dispatcher.push([hangup(n)])
    assert signals == [True]  # past the high-water mark: stop reading
    release.set()
    await wait_for(lambda: len(seen) == 6, "all six delivered", within=5)
    task.cancel()
    assert signals == [True, False]
    assert [e.channel.name for e in seen] == [f"PJSIP/{n}" for n in range(6)]  # type: ignore[attr-defined]
