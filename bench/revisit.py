"""Revisit benchmark: N revisits due in one calling window, placed by the real dialer under the
real scheduler (APScheduler, job store and lease on the database), answered by simulated
citizens, each answer recorded through the survey port and the workflow's evaluation.

The citizens are simulated by an in-process stand-in for the AMI link (no Asterisk): each
Originate is answered at once, the "call" lasts ``--call-seconds`` and then the survey records
满意 and the channel hangs up. So the figures are the platform's own cost (claims, answers,
evaluations, refills) at the channel cap, not Asterisk's. It prints: completed, duplicates
(an attempt dialled twice or a revisit needing two calls), misses, the most channels in use
at once, the dialer job's duration per run, database time per call, and the window's
duration against the ideal (calls ÷ cap × call length).

    .venv/bin/python bench/revisit.py                       # 10,000 revisits, cap 100
    .venv/bin/python bench/revisit.py --revisits 2000 --cap 50 --call-seconds 1
    .venv/bin/python bench/revisit.py --database postgresql://postgres@127.0.0.1/bench
"""

from __future__ import annotations

import argparse
import asyncio
import logging
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Callable
from datetime import datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from sqlalchemy import func, insert, select  # noqa: E402
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker  # noqa: E402

from hotline.db import create_schema, make_engine  # noqa: E402
from hotline.revisits.campaign import RevisitCampaign  # noqa: E402
from hotline.revisits.survey import RevisitSurveyRecords  # noqa: E402
from hotline.scheduler.running import JobSpec, scheduler_running  # noqa: E402
from hotline.settings import Settings  # noqa: E402
from kernel.clock import BEIJING  # noqa: E402
from telephony.ami.connection import ActionFields  # noqa: E402
from telephony.ami.dispatch import Subscriber  # noqa: E402
from telephony.ami.events import AmiEvent, Hangup  # noqa: E402
from telephony.ami.frames import AmiMessage  # noqa: E402
from telephony.ami.originate import (  # noqa: E402
    ORIGINATE_VARIABLE,
    OriginateRequest,
    OriginateResult,
)
from telephony.ami.pending import AmiResponse  # noqa: E402
from telephony.ami.snapshot import Channel  # noqa: E402
from telephony.callbacks.campaign import CallbackCampaign  # noqa: E402
from telephony.outbound.config import SIMULATED_CITIZEN, OutboundConfig  # noqa: E402
from telephony.outbound.service import OutboundDialer  # noqa: E402
from tickets.accounts.tokens import TokenSigner  # noqa: E402
from tickets.policy.registry import get_policy  # noqa: E402
from tickets.revisits.models import Revisit, RevisitAttempt  # noqa: E402
from tickets.revisits.schedule import RevisitRules, schedule_pending  # noqa: E402
from tickets.revisits.windows import CallingWindows  # noqa: E402
from tickets.runtime import Runtime  # noqa: E402
from tickets.workflow.models import Ticket  # noqa: E402

START = datetime(2026, 3, 2, 9, 0, tzinfo=BEIJING)  # the morning window opens


class Citizens:
    """The AMI link's stand-in: every citizen answers, talks ``length`` s, rates, hangs up."""

    def __init__(self, survey: RevisitSurveyRecords, length: float) -> None:
        self.survey, self.length = survey, length
        self.connected = True
        self.dialled: Counter[str] = Counter()
        self.live = 0
        self.most_live = 0
        self.subscribers: list[Subscriber] = []
        self.failures = 0
        self._tasks: set[asyncio.Task[None]] = set()

    async def originate(self, key: str, request: OriginateRequest) -> OriginateResult:
        self.dialled[key] += 1
        self.live += 1
        self.most_live = max(self.most_live, self.live)
        uniqueid = f"bench.{len(self.dialled)}"
        task = asyncio.create_task(self._talk(key, uniqueid, request))
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)
        return OriginateResult(key, key, f"Local/{key}@sim-citizen;1", uniqueid, 4)

    async def _talk(self, key: str, uniqueid: str, request: OriginateRequest) -> None:
        await asyncio.sleep(self.length)
        attempt = request.variables["HOTLINE_REVISIT_ID"]
        try:
            script = await self.survey.script(attempt)
            if script is not None:
                await self.survey.answered(attempt, script.scale[0], True, False)
        except Exception:
            self.failures += 1
            logging.getLogger("bench").exception("survey of %s failed", key)
        self.live -= 1
        gone = Channel(f"Local/{key};1", uniqueid, uniqueid, 6, "", "", "", "", "", "",
                       {ORIGINATE_VARIABLE: key})
        for subscriber in list(self.subscribers):
            await subscriber(Hangup(gone, 16, "Normal Clearing"))

    async def send_action(self, fields: ActionFields, *, within: float | None = None
                          ) -> AmiResponse:
        return AmiResponse(AmiMessage({"response": "Success"}), ())  # nothing is ever lost

    def subscribe(self, callback: Subscriber, *types: type[AmiEvent]) -> Callable[[], None]:
        self.subscribers.append(callback)
        return lambda: self.subscribers.remove(callback)


async def tickets_awaiting_revisit(maker: async_sessionmaker[AsyncSession], count: int) -> None:
    """``count`` tickets whose reply was approved, inserted in bulk."""
    rows = [dict(number=f"26030{i:07d}", profile="tonghua", state="revisit", is_open=True,
                 channel="phone", media="voice", request_type="投诉", urgency="一般",
                 requester_phone=f"13{i:09d}", summary="停水", created_at=START,
                 version=1) for i in range(count)]
    async with maker() as session:
        for chunk in range(0, count, 2000):
            await session.execute(insert(Ticket), rows[chunk:chunk + 2000])
        await session.commit()


async def run(args: argparse.Namespace) -> None:
    folder = Path(tempfile.mkdtemp(prefix="revisit-bench-"))
    url = args.database or f"sqlite+aiosqlite:///{folder / 'bench.db'}"
    engine = make_engine(url)
    await create_schema(engine)
    maker = async_sessionmaker(engine, expire_on_commit=False)
    began = time.monotonic()

    def clock() -> datetime:  # the window's clock: 09:00 plus the time the run has taken
        return START + timedelta(seconds=time.monotonic() - began)

    rules = RevisitRules(CallingWindows.parse(["09:00-12:00", "14:00-20:00"]))
    await tickets_awaiting_revisit(maker, args.revisits)
    t0 = time.perf_counter()
    async with maker() as session:
        await schedule_pending(session, rules, clock(), limit=args.revisits)
    scheduling = time.perf_counter() - t0

    citizens = Citizens(RevisitSurveyRecords(maker, rules, clock), args.call_seconds)
    # as the platform wires it: the callbacks (none are owed here) first, then the revisits
    campaigns = (CallbackCampaign(maker),
                 RevisitCampaign(maker, rules, settle_grace=timedelta(0)))
    dialer = OutboundDialer(campaigns, citizens, OutboundConfig(cap=args.cap,
                                                                dial=SIMULATED_CITIZEN), clock)
    settings = Settings(database_url=url, data_dir=folder, revisit_dial_seconds=args.tick,
                        scheduler_lease_seconds=30)
    runtime = Runtime(sessionmaker=maker, policy=get_policy("tonghua"),
                      tokens=TokenSigner(b"bench", timedelta(hours=1)), clock=clock)
    dial_only = (JobSpec("outbound-dial", "hotline.scheduler.jobs:dial_outbound",
                         lambda s: _interval(s.revisit_dial_seconds), 10),)
    window_start = time.perf_counter()
    async with scheduler_running(settings, maker, runtime, dialer, specs=dial_only):
        deadline = time.monotonic() + args.budget
        while time.monotonic() < deadline:
            await asyncio.sleep(0.5)
            if await _done(maker) >= args.revisits:
                break
    window = time.perf_counter() - window_start
    await asyncio.sleep(0.2)
    await report(args, maker, citizens, dialer, scheduling, window)
    await engine.dispose()


def _interval(seconds: float) -> object:
    from apscheduler.triggers.interval import IntervalTrigger

    return IntervalTrigger(seconds=seconds, timezone=BEIJING)


async def _done(maker: async_sessionmaker[AsyncSession]) -> int:
    async with maker() as session:
        return await session.scalar(select(func.count()).select_from(Revisit)
                                    .where(Revisit.state == "done")) or 0


async def report(args: argparse.Namespace, maker: async_sessionmaker[AsyncSession],
                 citizens: Citizens, dialer: OutboundDialer, scheduling: float,
                 window: float) -> None:
    async with maker() as session:
        done = await _done(maker)
        attempts = await session.scalar(select(func.count()).select_from(RevisitAttempt)) or 0
        closed = await session.scalar(select(func.count()).select_from(Ticket)
                                      .where(Ticket.state == "closed")) or 0
    twice = sum(1 for n in citizens.dialled.values() if n > 1)
    ideal = args.revisits / args.cap * args.call_seconds
    calls = sum(citizens.dialled.values())
    runs, busy = dialer.counts.ticks, dialer.counts.busy
    print(f"revisits due in one window   {args.revisits}, cap {args.cap} channels, "
          f"call length {args.call_seconds:g} s (simulated citizens)")
    print(f"scheduled (schedule_pending) {scheduling:.2f} s = "
          f"{scheduling / args.revisits * 1e3:.3f} ms per revisit")
    print(f"completed                    {done} revisits done, {closed} tickets closed")
    print(f"duplicates                   {twice} attempts dialled twice; "
          f"{attempts - args.revisits} extra attempts")
    print(f"misses                       {args.revisits - done}; survey failures "
          f"{citizens.failures}")
    print(f"channels at once             max {citizens.most_live} (cap {args.cap})")
    print(f"calls placed                 {calls}")
    print(f"dialer job                   {runs} runs (the 1 s job and refills on hang-up): "
          f"{busy / max(runs, 1) * 1e3:.1f} ms per run, {busy / max(calls, 1) * 1e3:.2f} ms "
          f"per call; {busy:.1f} s in all")
    print(f"window duration              {window:.1f} s; ideal {ideal:.1f} s "
          f"(calls / cap x call length): {ideal / window:.0%} of ideal")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--revisits", type=int, default=10_000)
    parser.add_argument("--cap", type=int, default=100)
    parser.add_argument("--call-seconds", type=float, default=2.0)
    parser.add_argument("--tick", type=float, default=1.0, help="the dial job's interval (s)")
    parser.add_argument("--budget", type=float, default=1800.0, help="give up after (s)")
    parser.add_argument("--database", help="an async URL; default a temporary SQLite file")
    args = parser.parse_args()
    logging.basicConfig(level=logging.WARNING)
    logging.getLogger("apscheduler").setLevel(logging.CRITICAL)  # its job cancelled at exit
    asyncio.run(run(args))


if __name__ == "__main__":
    main()
