"""Calls benchmark: concurrent simulated calls through the real Asterisk 22, the controller's
picture checked against Asterisk's at every step, and the routing latency.

Starts its own Asterisk instance from the cached root (free loopback ports, a temporary
directory; stopped at the end), an AmiLink with a CallController, N simulated agents, then
ramps concurrent simulated calls (no audio, no transcription) in steps. At each step every
call must be queued or connected in the controller's picture exactly as Asterisk's
CoreShowChannels says, with the same live linkedids. The ramp stops when the picture
diverges, a call fails, a step times out, the machine is overloaded or the time budget is
spent. Routing latency: the controller's clock at the call's first event (Newchannel of the
caller leg) to its QueueCallerJoin; the issue's goal is p95 <= 50 ms.

    .venv/bin/python bench/calls.py
    .venv/bin/python bench/calls.py --agents 150 --steps 10,50,100,200,300 --dwell 3
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import os
import shutil
import socket
import statistics
import sys
import tempfile
import time
from collections import Counter
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker  # noqa: E402

from hotline.db import create_schema, make_engine  # noqa: E402
from hotline.settings import Settings  # noqa: E402
from kernel.clock import BEIJING  # noqa: E402
from telephony.ami.errors import AmiError  # noqa: E402
from telephony.ami.events import CoreShowChannel  # noqa: E402
from telephony.ami.link import AmiLink  # noqa: E402
from telephony.calls.machine import CallState  # noqa: E402
from telephony.controller.service import CallController  # noqa: E402
from telephony.pbx import process  # noqa: E402
from telephony.simulator.service import CallSpec, login_agents, place_call  # noqa: E402

GOAL_P95_MS = 50.0
# Asterisk's and this process's CPU, as a share of all cores, during a step's dwell. The
# machine's total is printed too: other work on it lowers what the bench can reach.
OVERLOADED = 0.90
ASTERISK_ROOT = Path(os.environ.get("HOTLINE_ASTERISK_ROOT", "/var/cache/hotline/asterisk-root"))


@dataclass
class Step:
    """What one step of the ramp saw."""

    target: int
    live: int = 0
    failed: int = 0
    connected: int = 0
    queued: int = 0
    busy: float = 0.0  # Asterisk + this process, share of all cores
    machine: float = 0.0  # every process, share of all cores
    picture_ok: bool = False
    settled: bool = False
    problem: str = ""
    latencies: list[float] | None = None


def free_port(kind: socket.SocketKind = socket.SOCK_STREAM) -> int:
    with socket.socket(socket.AF_INET, kind) as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def cpu_times(pids: tuple[int, ...]) -> tuple[int, int, int]:
    """Jiffies: the pids' own (Asterisk, this process), the machine's busy, all cores' total."""
    fields = [int(x) for x in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]]
    idle = fields[3] + fields[4]
    ours = 0
    for pid in pids:
        stat = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        ours += int(stat[11]) + int(stat[12])  # utime + stime, all threads
    return ours, sum(fields) - idle, sum(fields)


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(share * len(ordered)) - 1))]


def now() -> datetime:
    return datetime.now(BEIJING)


async def asterisk_picture(link: AmiLink) -> dict[str, str]:
    """Each live linkedid as Asterisk has it: connected (bridged), queued (in Queue), other."""
    listing = await link.send_action({"Action": "CoreShowChannels"}, within=30)
    states: dict[str, str] = {}
    for e in listing.events:
        if not isinstance(e, CoreShowChannel):
            continue
        state = "connected" if e.bridge_id else "queued" if e.application == "Queue" else "other"
        known = states.get(e.channel.linkedid, "other")
        states[e.channel.linkedid] = state if known == "other" or state == "connected" else known
    return states


def controller_picture(controller: CallController) -> dict[str, str]:
    names = {CallState.CONNECTED: "connected", CallState.QUEUED: "queued"}
    return {c.linkedid: names.get(c.state, "other") for c in controller.line.calls.values()}


async def check_picture(controller: CallController, link: AmiLink) -> str:
    """'' if the pictures agree; events in flight get a few chances to land."""
    problem = ""
    for _ in range(5):
        theirs = await asterisk_picture(link)
        await asyncio.sleep(0.2)  # let the events sent before the listing be applied
        ours = controller_picture(controller)
        if ours == theirs:
            return ""
        wrong = {k for k in ours.keys() | theirs.keys() if ours.get(k) != theirs.get(k)}
        sample = [(k, ours.get(k), theirs.get(k)) for k in sorted(wrong)[:2]]
        problem = (f"{len(wrong)} calls differ (controller {len(ours)}, Asterisk "
                   f"{len(theirs)}; e.g. linkedid, ours, theirs: {sample})")
    return problem


async def place(link: AmiLink, count: int, first: int, limit: asyncio.Semaphore
                ) -> tuple[list[str], int]:
    """Originate ``count`` calls; their linkedids and how many failed."""
    async def one(i: int) -> str | None:
        spec = CallSpec("12345", f"1380000{i:04d}", hold=3600)
        async with limit:
            try:
                return (await place_call(link, spec, key=f"bench-{os.getpid()}-{i}")).uniqueid
            except AmiError:
                return None

    found = await asyncio.gather(*(one(first + i) for i in range(count)))
    ids = [x for x in found if x is not None]
    return ids, count - len(ids)


async def settle(controller: CallController, ids: list[str], agents: int, within: float) -> bool:
    """Wait until every call is queued or connected and min(calls, agents) are connected."""
    deadline = time.monotonic() + within
    want = min(len(ids), agents)
    while time.monotonic() < deadline:
        states = Counter(controller.line.calls[i].state if i in controller.line.calls else None
                         for i in ids)
        if states[CallState.CONNECTED] == want and \
                states[CallState.CONNECTED] + states[CallState.QUEUED] == len(ids):
            return True
        await asyncio.sleep(0.1)
    return False


def latencies(controller: CallController, ids: list[str]) -> list[float]:
    """Milliseconds from the first event to QueueCallerJoin, per call."""
    out = []
    for i in ids:
        call = controller.line.calls.get(i)
        if call is not None and CallState.QUEUED in call.entered:
            out.append((call.entered[CallState.QUEUED] - call.started_at).total_seconds() * 1000)
    return out


async def run_step(controller: CallController, link: AmiLink, step: Step, live: list[str],
                   args: argparse.Namespace, limit: asyncio.Semaphore) -> None:
    new, step.failed = await place(link, step.target - len(live), len(live), limit)
    live.extend(new)
    step.live = len(live)
    step.settled = await settle(controller, live, args.agents, args.step_timeout)
    ours0, busy0, total0 = cpu_times(args.pids)
    await asyncio.sleep(args.dwell)  # hold the calls; sample the machine meanwhile
    ours1, busy1, total1 = cpu_times(args.pids)
    step.busy = (ours1 - ours0) / max(1, total1 - total0)
    step.machine = (busy1 - busy0) / max(1, total1 - total0)
    step.problem = await check_picture(controller, link)
    step.picture_ok = not step.problem
    states = Counter(controller_picture(controller).values())
    step.connected, step.queued = states["connected"], states["queued"]
    step.latencies = latencies(controller, new)


def report(step: Step) -> None:
    lat = step.latencies or [0.0]
    print(f"{step.target:>6} {step.live:>5} {step.failed:>6} {step.connected:>9} "
          f"{step.queued:>6} {step.busy * 100:>5.0f}% {step.machine * 100:>7.0f}% "
          f"{'yes' if step.picture_ok else 'NO':>7} "
          f"{statistics.median(lat):>7.1f} {percentile(lat, 0.95):>7.1f} "
          f"{percentile(lat, 0.99):>7.1f}  {step.problem}", flush=True)


def verdict(step: Step) -> str:
    """Why the ramp stops after this step ('' to carry on)."""
    if not step.settled:
        return "calls did not all settle within the step timeout"
    if step.failed:
        return f"{step.failed} originates failed"
    if not step.picture_ok:
        return "the controller's picture diverged from Asterisk's"
    if step.busy >= OVERLOADED:
        return f"machine overloaded ({step.busy * 100:.0f}% CPU)"
    return ""


async def bench(config: Settings, args: argparse.Namespace, work: Path) -> None:
    engine = make_engine(f"sqlite+aiosqlite:///{work / 'bench.db'}")
    await create_schema(engine)
    controller = CallController(async_sessionmaker[AsyncSession](engine, expire_on_commit=False),
                                now)
    c = config.pbx_config()
    link = AmiLink(c.ami_host, c.ami_port, c.ami_username, c.ami_secret,
                   on_connected=controller.resync, action_timeout=30, ping_interval=30,
                   pong_timeout=20)
    controller.attach(link)
    link.start()
    try:
        await link.wait_connected(30)
        await login_agents(link, args.agents)
        await settle_agents(controller, args.agents)
        await paced(controller, link, args)
        await ramp(controller, link, args)
    finally:
        await link.close()
        await engine.dispose()


async def paced(controller: CallController, link: AmiLink, args: argparse.Namespace) -> None:
    """Routing latency as callers really arrive: one call every 1/rate s on a quiet line.

    The ramp below fires each step's calls at once, so its latencies are mostly Asterisk
    queueing a burst of originates; this phase measures the route itself.
    """
    ids: list[str] = []
    gap = 1.0 / args.paced_rate
    for i in range(args.paced_calls):
        started = time.monotonic()
        spec = CallSpec("12345", f"1390000{i:04d}", hold=args.paced_hold)
        with contextlib.suppress(AmiError):  # a failed originate shows as a missing latency
            ids.append((await place_call(link, spec, key=f"paced-{os.getpid()}-{i}")).uniqueid)
        await asyncio.sleep(max(0.0, gap - (time.monotonic() - started)))
    await settle(controller, ids, args.agents, within=10)
    lat = latencies(controller, ids)
    if lat:
        p95 = percentile(lat, 0.95)
        print(f"paced arrivals: {len(lat)} of {args.paced_calls} calls at {args.paced_rate:g}/s, "
              f"Newchannel -> QueueCallerJoin p50 {statistics.median(lat):.1f} ms, "
              f"p95 {p95:.1f} ms, p99 {percentile(lat, 0.99):.1f} ms "
              f"(goal p95 <= {GOAL_P95_MS:.0f} ms: {'PASS' if p95 <= GOAL_P95_MS else 'MISS'})")
    deadline = time.monotonic() + args.paced_hold + 15
    while any(i in controller.line.calls for i in ids):  # they hang up after their hold
        if time.monotonic() > deadline:
            break
        await asyncio.sleep(0.2)


async def settle_agents(controller: CallController, agents: int) -> None:
    for _ in range(300):  # 30 s
        if len(controller.line.agents) >= agents:
            return
        await asyncio.sleep(0.1)


async def ramp(controller: CallController, link: AmiLink, args: argparse.Namespace) -> None:
    print(f"{args.agents} simulated agents; calls held for the whole run; dwell {args.dwell}s "
          "per step;\ncpu = Asterisk + bench, machine = all processes; latency = Newchannel -> "
          "QueueCallerJoin (ms, this step's new calls)")
    print(f"{'calls':>6} {'live':>5} {'failed':>6} {'connected':>9} {'queued':>6} {'cpu':>6} "
          f"{'machine':>8} {'picture':>7} {'p50':>7} {'p95':>7} {'p99':>7}")
    started, live, passed = time.monotonic(), list[str](), list[Step]()
    limit = asyncio.Semaphore(args.concurrency)
    stop = "all steps done"
    for target in args.steps:
        if time.monotonic() - started > args.budget:
            stop = "time budget spent"
            break
        step = Step(target)
        await run_step(controller, link, step, live, args, limit)
        report(step)
        why = verdict(step)
        if why:
            stop = why
            break
        passed.append(step)
    summary(passed, stop, link)


def summary(passed: list[Step], stop: str, link: AmiLink) -> None:
    lat = [x for s in passed for x in (s.latencies or [])]
    print(f"stopped: {stop}")
    best = max((s.live for s in passed), default=0)
    print(f"most concurrent calls held with the picture correct, not overloaded: {best}")
    if lat:
        p95 = percentile(lat, 0.95)
        print(f"routing latency over {len(lat)} calls: p50 {statistics.median(lat):.1f} ms, "
              f"p95 {p95:.1f} ms, p99 {percentile(lat, 0.99):.1f} ms "
              f"(goal p95 <= {GOAL_P95_MS:.0f} ms: {'PASS' if p95 <= GOAL_P95_MS else 'MISS'})")
    counters = link.counters
    print(f"AMI events handled: {counters.events}, subscriber errors: "
          f"{counters.subscriber_errors}, reconnects: {counters.reconnects}")


def start_instance(work: Path) -> tuple[Settings, process.Instance]:
    """An Asterisk of its own, from the cached root, on free loopback ports."""
    config = Settings(data_dir=work / "data", asterisk_root=ASTERISK_ROOT, ami_port=free_port(),
                      sip_port=free_port(socket.SOCK_DGRAM), agi_port=free_port(),
                      rtp_port_start=31000, rtp_port_end=31999, agent_count=2)
    instance = process.Instance(ASTERISK_ROOT, config.effective_asterisk_instance_dir)
    process.start(instance, config.pbx_config(), timeout=60)
    return config, instance


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--agents", type=int, default=100)
    parser.add_argument("--steps", default="10,25,50,100,150,200,300,400",
                        type=lambda s: [int(x) for x in s.split(",")])
    parser.add_argument("--dwell", type=float, default=4.0, help="seconds each step holds")
    parser.add_argument("--step-timeout", type=float, default=30.0)
    parser.add_argument("--concurrency", type=int, default=20, help="originates in flight")
    parser.add_argument("--budget", type=float, default=150.0, help="seconds for the ramp")
    parser.add_argument("--paced-calls", type=int, default=60)
    parser.add_argument("--paced-rate", type=float, default=10.0, help="calls per second")
    parser.add_argument("--paced-hold", type=float, default=8.0, help="seconds each stays")
    args = parser.parse_args()
    if os.geteuid() != 0:
        sys.exit("the benchmark runs Asterisk with chroot: run it as root")
    work = Path(tempfile.mkdtemp(prefix="hotline-bench-calls-"))
    config, instance = start_instance(work)
    try:
        args.pids = (process.running_pid(instance) or os.getpid(), os.getpid())
        asyncio.run(bench(config, args, work))
    finally:
        process.stop(instance)
        shutil.rmtree(instance.run_dir, ignore_errors=True)
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
