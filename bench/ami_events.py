"""AMI event benchmark: our AmiLink against bare panoramisk parsing, on the same stream.

The issue's goal: a recorded event stream of at least 2,000 calls, replayed from a local TCP
peer, handled at >= 20,000 events/s by the link (decode + typed parse + dispatch to a no-op
subscriber) and at >= 0.6 of the rate of panoramisk's own parsing (its
``AMIProtocol.data_received`` with a no-op dispatch) measured in the same run.

The stream is generated deterministically (seeded) in the shape Asterisk 22 sends with the
platform's manager.conf: full channel snapshots, ``ChanVariable`` lines for the platform's
tags, dialplan events (Newexten, foreign VarSets) and Chinese caller names. The peer runs in
its own process, so the measured process only reads and handles.

    .venv/bin/python bench/ami_events.py
    .venv/bin/python bench/ami_events.py --calls 5000 --rounds 5 --save
"""

from __future__ import annotations

import argparse
import asyncio
import multiprocessing
import socket
import statistics
import sys
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from panoramisk.ami_protocol import AMIProtocol  # noqa: E402

from bench.ami_stream import BANNER, generate  # noqa: E402
from telephony.ami.events import AmiEvent  # noqa: E402
from telephony.ami.link import AmiLink  # noqa: E402

GOAL_RATE = 20_000.0
GOAL_RATIO = 0.6
OUT = ROOT / "bench" / "out"


def serve(listener: socket.socket, stream: bytes, rounds: int) -> None:
    """The peer: per connection, banner, answer the login, send the whole stream, wait."""
    for _ in range(rounds):
        conn, _ = listener.accept()
        with conn:
            conn.sendall(BANNER)
            login = b""
            while b"\r\n\r\n" not in login:
                login += conn.recv(4096)
            action_id = _action_id(login)
            conn.sendall(
                f"Response: Success\r\nActionID: {action_id}\r\n"
                "Message: Authentication accepted\r\n\r\n".encode()
            )
            conn.sendall(stream)
            try:
                while conn.recv(65536):  # until the client hangs up
                    pass
            except OSError:
                pass  # the link aborts (RST) on close


def _action_id(action: bytes) -> str:
    for line in action.decode().split("\r\n"):
        if line.lower().startswith("actionid: "):
            return line[10:]
    return ""


@dataclass(frozen=True)
class Timing:
    """Wall-clock and CPU seconds of one run (CPU: this process only, the peer excluded)."""

    wall: float
    cpu: float


class _Done:
    """Counts deliveries and wakes the benchmark when the last one arrives."""

    def __init__(self, expected: int) -> None:
        self.expected = expected
        self.count = 0
        self.finished: asyncio.Future[Timing] = asyncio.get_running_loop().create_future()
        self.wall, self.cpu = time.perf_counter(), time.process_time()

    def hit(self) -> None:
        self.count += 1
        if self.count == self.expected and not self.finished.done():
            now = Timing(time.perf_counter() - self.wall, time.process_time() - self.cpu)
            self.finished.set_result(now)


async def run_link(port: int, dispatched: int) -> Timing:
    """AmiLink logs in and delivers the whole stream to a no-op subscriber."""
    link = AmiLink("127.0.0.1", port, "bench", "bench", ping_interval=3600.0)
    done = _Done(dispatched)

    async def no_op(event: AmiEvent) -> None:
        done.hit()

    link.subscribe(no_op)
    link.start()
    timing = await asyncio.wait_for(done.finished, 600)
    await link.close()
    return timing


async def run_panoramisk(port: int, events: int) -> Timing:
    """panoramisk's AMIProtocol.data_received parses and dispatches the stream."""
    done = _Done(events)

    class Factory:
        def dispatch(self, message: object) -> None:
            done.hit()

        def connection_lost(self, exc: object) -> None:
            pass

    class Bare(AMIProtocol):  # type: ignore[misc]
        def connection_made(self, transport: asyncio.BaseTransport) -> None:
            super().connection_made(transport)
            self.factory = Factory()
            self.encoding = "utf8"  # what panoramisk's Manager sets by default

    loop = asyncio.get_running_loop()
    transport, _ = await loop.create_connection(Bare, "127.0.0.1", port)
    transport.write(
        b"Action: Login\r\nActionID: bench-1\r\nUsername: bench\r\n"
        b"Secret: bench\r\nEvents: on\r\n\r\n"
    )
    timing = await asyncio.wait_for(done.finished, 600)
    transport.close()
    return timing


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--calls", type=int, default=2000)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--save", action="store_true", help="write the stream to bench/out/")
    args = parser.parse_args()
    recorded = generate(args.calls)
    if args.save:
        OUT.mkdir(parents=True, exist_ok=True)
        (OUT / "ami_stream.txt").write_bytes(recorded.data)
    size = len(recorded.data) / 1e6
    print(
        f"stream: {args.calls} calls, {recorded.events} events, {size:.1f} MB, "
        f"{recorded.dispatched} reach a catch-all subscriber"
    )
    listener = socket.create_server(("127.0.0.1", 0))
    port = listener.getsockname()[1]
    peer = multiprocessing.Process(
        target=serve, args=(listener, recorded.data, 2 * args.rounds), daemon=True
    )
    peer.start()
    ours, bare = asyncio.run(_measure(port, recorded.events, recorded.dispatched, args.rounds))
    peer.join(10)
    report(recorded.events, ours, bare)


async def _measure(
    port: int, events: int, dispatched: int, rounds: int
) -> tuple[list[Timing], list[Timing]]:
    ours: list[Timing] = []
    bare: list[Timing] = []
    for n in range(rounds):  # interleaved, so both see the same machine state
        ours.append(await run_link(port, dispatched))
        bare.append(await run_panoramisk(port, events))
        print(
            f"round {n + 1}: AmiLink {events / ours[-1].wall:,.0f} events/s "
            f"({events / ours[-1].cpu:,.0f} per CPU-second), panoramisk "
            f"{events / bare[-1].wall:,.0f} events/s ({events / bare[-1].cpu:,.0f})"
        )
    return ours, bare


def report(events: int, ours: list[Timing], bare: list[Timing]) -> None:
    rows = []
    pairs = (("AmiLink (decode+typed+dispatch)", ours), ("panoramisk bare parsing", bare))
    for label, runs in pairs:
        wall = statistics.median(t.wall for t in runs)
        cpu = statistics.median(t.cpu for t in runs)
        rows.append((label, wall, cpu))
    print(f"\nmedian of {len(ours)} rounds, {events} events each")
    print(f"{'':<34}{'seconds':>9}{'events/s':>11}{'CPU s':>8}{'events/CPU-s':>14}")
    for label, wall, cpu in rows:
        print(f"{label:<34}{wall:>9.3f}{events / wall:>11,.0f}{cpu:>8.3f}{events / cpu:>14,.0f}")
    rate = events / rows[0][1]
    ratio, cpu_ratio = rows[1][1] / rows[0][1], rows[1][2] / rows[0][2]
    print(
        f"ratio AmiLink / panoramisk: {ratio:.2f} wall-clock, {cpu_ratio:.2f} CPU "
        f"(goal >= {GOAL_RATIO})"
    )
    rate_ok = "met" if rate >= GOAL_RATE else "NOT met"
    ratio_ok = "met" if ratio >= GOAL_RATIO else "NOT met"
    print(
        f"goals: >= {GOAL_RATE:,.0f} events/s {rate_ok}; >= {GOAL_RATIO} of panoramisk {ratio_ok}"
    )


if __name__ == "__main__":
    main()
