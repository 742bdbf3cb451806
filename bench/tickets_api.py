"""Ticket API benchmark: the lists a unit and a supervisor open, and ticket creation.

The issue's goals, with 1,000,000 tickets in PostgreSQL:

* the list a unit handler opens (own unit, open, ordered by due date): p95 <= 50 ms;
* the supervisor's overdue list: p95 <= 50 ms;
* ticket creation through the HTTP API: >= 500 tickets per second on a 2-core machine;

and the same figures printed for SQLite at 100,000 tickets.

The script makes a fresh database (PostgreSQL: ``hotline_bench_<random>`` next to the admin
database of ``HOTLINE_BENCH_POSTGRES_URL``; SQLite: a file in a temporary directory), migrates
it with ``hotline.migrate.upgrade``, bulk-loads a realistic ticket history, starts the real
API (``uvicorn --factory hotline.app:create_app``, what ``hotline serve`` runs) as a separate
process and measures it over HTTP with a small keep-alive client on raw asyncio streams: it
shares the two cores with the API and the database, and an ``httpx.AsyncClient`` costs about
2 ms of CPU per request here against 0.1 ms for this client. Each figure is printed with the
CPU the client, the API processes and the database backends spent per request, and the CPU
other processes on the machine took meanwhile.

    .venv/bin/python bench/tickets_api.py                      # both backends, full sizes
    .venv/bin/python bench/tickets_api.py --backend sqlite --tickets 20000
"""

from __future__ import annotations

import argparse
import asyncio
import bisect
import contextlib
import itertools
import json
import os
import random
import secrets
import shutil
import socket
import sqlite3
import subprocess
import sys
import tempfile
import time
from collections.abc import Awaitable, Callable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

import asyncpg  # type: ignore[import-untyped]  # noqa: E402

from hotline.migrate import upgrade  # noqa: E402
from kernel.clock import BEIJING  # noqa: E402
from tickets.accounts.passwords import hash_password  # noqa: E402
from tickets.workflow.numbers import ticket_number  # noqa: E402

DEFAULT_ADMIN_URL = "postgresql://postgres@127.0.0.1:5432/test"
PASSWORD = "bench-password-1"
GOAL_LIST_P95_MS = 50.0
GOAL_CREATE_PER_S = 500.0
DAY = 86_400.0
CHUNK = 50_000
AGENT_ID, SUPERVISOR_ID = 1, 2  # the users table's ids of the two staff users

# --- the seed ------------------------------------------------------------------------------

DISTRICTS = ("东城区", "西城区", "南湖区", "北湖区", "高新区", "经开区", "新港区", "山阳县",
             "河西县", "青石县")
DEPARTMENTS = ("住房和城乡建设局", "城市管理局", "生态环境分局", "市场监督管理局", "交通运输局",
               "教育局", "卫生健康局", "人力资源和社会保障局", "自然资源分局", "水务局",
               "公安分局", "民政局", "应急管理局", "农业农村局", "文化和旅游局", "商务局",
               "供电公司", "供水公司", "燃气公司", "街道办事处")
SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘"
ROADS = ("人民路", "解放路", "建设路", "和平路", "新华路", "中山路", "文化路", "长江路",
         "黄河路", "滨江大道", "青年路", "光明街")
SUBJECTS = (
    ("城乡建设", "小区楼道灯长期不亮，夜间出行不便，请尽快维修。"),
    ("环境保护", "附近工地夜间施工噪音扰民，影响休息，请相关部门查处。"),
    ("交通出行", "路口红绿灯配时不合理，早高峰车辆排队过长。"),
    ("住房保障", "公租房申请提交已满三个月仍未收到审核结果，请告知进度。"),
    ("公共服务", "小区停水两天未见通知，请供水部门说明原因及恢复时间。"),
    ("民生保障", "养老保险转移接续手续办理缓慢，请协调加快办理。"),
    ("医疗卫生", "社区卫生服务中心周末无人值班，老人就医困难。"),
    ("科教文旅", "学校周边流动摊贩占道经营，存在食品安全隐患。"),
    ("经济综合", "商户拒绝开具发票，消费者权益受损。"),
    ("公共安全", "小区消防通道被私家车长期占用，存在安全隐患。"),
    ("农林水土", "村道两侧树木倒伏未清理，影响通行。"),
)
UNIT_TYPES = ("投诉", "求助", "建议", "举报", "咨询", "表扬")
UNIT_TYPE_WEIGHTS = (40, 28, 10, 6, 14, 2)
CHANNELS = ("phone", "phone", "phone", "phone", "web", "app", "wechat", "mini_program")
EVALUATIONS = ("满意", "满意", "满意", "基本满意", "不满意")
URGENCIES = ("一般",) * 18 + ("紧急",)
# Precomputed so that generating a million rows takes seconds, not minutes.
NAMES = tuple(surname + title for surname in SURNAMES for title in ("先生", "女士"))
PLACES = tuple((district, f"{district}{road}{number}号")
               for district in DISTRICTS for road in ROADS for number in range(1, 400))
UNIT_TYPE_POOL = tuple(t for t, w in zip(UNIT_TYPES, UNIT_TYPE_WEIGHTS, strict=True)
                       for _ in range(w))
REFUSALS = ("out_of_jurisdiction", "litigation", "harassment")
# state -> (event, previous state, the moment it happened): the step that led to the state
LAST_STEP = {
    "closed": ("close", "revisit", "closed_at"),
    "refused": ("refuse", "accepted", "closed_at"),
    "linked": ("link-repeat", "accepted", "closed_at"),
    "evaluated": ("evaluate", "revisit", "replied_at"),
    "revisit": ("approve-reply", "replied", "replied_at"),
    "replied": ("reply", "handling", "replied_at"),
    "handling": ("receive", "dispatched", "first_received_at"),
    "dispatched": ("dispatch", "accepted", "dispatched_at"),
    "returned": ("return", "handling", "first_received_at"),
    "suspended": ("suspend", "handling", "suspended_at"),
    "draft": ("create", None, "created_at"),
    "accepted": ("accept", "draft", "accepted_at"),
    "reviewed": ("review", "accepted", "accepted_at"),
}


@dataclass(frozen=True)
class Kind:
    """One kind of ticket in the mix: its state, share, and whether a unit holds it."""

    name: str
    state: str
    share: float
    with_unit: bool
    is_open: bool


KINDS = (
    Kind("closed-after-handling", "closed", 0.505, True, False),
    Kind("closed-answered-directly", "closed", 0.280, False, False),
    Kind("refused", "refused", 0.025, False, False),
    Kind("linked-repeat", "linked", 0.015, False, False),
    Kind("evaluated", "evaluated", 0.010, True, True),
    Kind("revisit", "revisit", 0.015, True, True),
    Kind("replied", "replied", 0.020, True, True),
    Kind("handling", "handling", 0.085, True, True),
    Kind("dispatched", "dispatched", 0.030, True, True),
    Kind("returned", "returned", 0.003, True, True),
    Kind("suspended", "suspended", 0.004, True, True),
    Kind("draft", "draft", 0.002, False, True),
    Kind("accepted", "accepted", 0.004, False, True),
    Kind("reviewed", "reviewed", 0.002, False, True),
)
UNREPLIED = frozenset({"dispatched", "handling", "returned"})
OVERDUE_SHARE = 0.12  # of the open tickets a unit holds and has not replied to
CO_UNIT_SHARE = 0.10  # tickets with a co-handling unit (协办)
REDISPATCH_SHARE = 0.02  # tickets first sent to a wrong unit (an ended assignment)

TICKET_COLUMNS = (
    "id", "number", "version", "profile", "state", "is_open", "awaiting_reply", "channel", "media",
    "source_line", "requester_name", "requester_phone", "requester_address", "requester_kind",
    "enterprise_name", "identity_disclosable", "request_type", "category", "urgency",
    "district", "place", "content", "summary", "calls", "transcript_ref", "refusal_reason",
    "answer", "knowledge_article_id", "reply", "linked_ticket_id", "matter_id", "lead_unit_id",
    "created_by", "created_at", "accepted_at", "dispatched_at", "first_received_at",
    "clock_started_at", "replied_at", "closed_at", "review_due", "return_due", "handle_due",
    "due_provisional", "period_amount", "period_unit", "replied_late", "returned_late",
    "extension_count", "rehandle_count", "phone_reminders", "suspended_at", "suspended_until",
    "under_supervision", "investigation_flag", "accountability_flag", "final_evaluation",
)
ASSIGNMENT_COLUMNS = ("id", "ticket_id", "unit_id", "role", "active", "assigned_at", "ended_at",
                      "ticket_open", "handle_due")
TRANSITION_COLUMNS = ("id", "ticket_id", "at", "actor_id", "actor", "event", "from_state",
                      "to_state", "reason", "data")
UNIT_COLUMNS = ("id", "code", "name", "duties", "territory", "contact_phone", "duty_phone",
                "parent_id", "active", "created_at")
USER_COLUMNS = ("id", "username", "display_name", "password_hash", "role", "unit_id", "active",
                "created_at")
_COL = {name: index for index, name in enumerate(TICKET_COLUMNS)}
# What every seeded ticket starts from; the generator fills in the rest.
_TEMPLATE: list[Any] = [None] * len(TICKET_COLUMNS)
for _name, _value in {
    "media": "voice", "requester_kind": "citizen", "created_by": AGENT_ID, "due_provisional": False,
    "replied_late": False, "returned_late": False, "under_supervision": False,
    "investigation_flag": False, "accountability_flag": False, "extension_count": 0,
    "rehandle_count": 0, "phone_reminders": 0,
}.items():
    _TEMPLATE[_COL[_name]] = _value

Row = tuple[Any, ...]


# The units whose handler opens the list, by rank of ticket volume: the busiest (a city-wide
# 住建局-like unit), the 10th (about 1.5% of the tickets: where the unit's history is too big
# to probe and its open tickets too few to find by scanning all open tickets), the median.
HANDLER_RANKS = {"busiest": 1, "10th": 10, "median": 100}


@dataclass
class Seed:
    """What was loaded, for the report."""

    tickets: int
    units: int
    handler_units: dict[str, int]  # label -> unit id
    counts: dict[str, int] = field(default_factory=dict)
    unit_tickets: dict[int, list[int]] = field(default_factory=dict)  # unit -> [led, open]

    def describe(self) -> str:
        c = self.counts
        open_ = c["open"]
        units = "; ".join(
            f"{label} unit #{unit}: leads {self.unit_tickets[unit][0]:,} tickets, "
            f"{self.unit_tickets[unit][1]:,} open"
            for label, unit in self.handler_units.items())
        return (
            f"{self.tickets:,} tickets created over 730 days, {self.units} units; "
            f"open {open_:,} ({open_ / self.tickets:.1%}), overdue {c['overdue']:,}, "
            f"dispatched to a unit {c['with_unit']:,}; assignments {c['assignments']:,} "
            f"(co-unit {c['co']:,}, ended by redispatch {c['ended']:,}); transitions "
            f"{c['transitions']:,}; {units}"
        )


@dataclass(frozen=True)
class Plan:
    """Pass one: each ticket's kind and its defining moments, sorted so ids follow time."""

    created: list[float]
    kinds: list[int]
    anchors: list[float]  # handle_due for open tickets a unit holds, else unused
    overdue: list[bool]


def unit_rows(now: datetime) -> list[Row]:
    """200 units: every department in every district."""
    rows = []
    for index, (district, dept) in enumerate(itertools.product(DISTRICTS, DEPARTMENTS), 1):
        rows.append((
            index, f"U{index:04d}", f"{district}{dept}", f"{dept}职责范围内的事项",
            json.dumps([district], ensure_ascii=False), f"0571-8{index:07d}",
            f"0571-9{index:07d}", None, True, now - timedelta(days=800),
        ))
    return rows


def user_rows(now: datetime, handler_units: dict[str, int]) -> list[Row]:
    """An agent, a supervisor, and a unit handler of each unit in ``handler_units``."""
    hashed = hash_password(PASSWORD)
    made = now - timedelta(days=700)
    rows: list[Row] = [
        (AGENT_ID, "bench-agent", "话务员", hashed, "agent", None, True, made),
        (SUPERVISOR_ID, "bench-supervisor", "督办员", hashed, "supervisor", None, True, made),
    ]
    for index, (label, unit) in enumerate(handler_units.items(), SUPERVISOR_ID + 1):
        rows.append((index, f"bench-handler-{label}", "承办员", hashed, "unit_handler", unit,
                     True, made))
    return rows


def unit_weights(units: int, rng: random.Random) -> tuple[list[int], list[float]]:
    """Units in a random order with Zipf-like (s = 0.7) cumulative weights: a few are busy."""
    order = list(range(1, units + 1))
    rng.shuffle(order)
    weights = [1.0 / (rank ** 0.7) for rank in range(1, units + 1)]
    return order, list(itertools.accumulate(weights))


def plan_tickets(n: int, now: float, rng: random.Random) -> Plan:
    """Pick every ticket's kind and times, then order them by creation (ids grow with time)."""
    cumulative = list(itertools.accumulate(kind.share for kind in KINDS))
    total = cumulative[-1]
    rows: list[tuple[float, int, float, bool]] = []
    for _ in range(n):
        k = bisect.bisect(cumulative, rng.random() * total)
        k = min(k, len(KINDS) - 1)
        kind = KINDS[k]
        anchor, overdue = 0.0, False
        if not kind.is_open:
            created = now - rng.uniform(3 * DAY, 730 * DAY)
        elif not kind.with_unit:
            created = now - rng.uniform(0, 2 * DAY)
        else:
            overdue = kind.state in UNREPLIED and rng.random() < OVERDUE_SHARE
            # deadlines end at 23:59:59 Beijing time (民法典 第二百零三条)
            if overdue:  # most a few days late, a few long forgotten
                anchor = _end_of_day(now - DAY - DAY * 40 * rng.random() ** 2.5)
            elif kind.state == "suspended":
                anchor = _end_of_day(now + rng.uniform(10 * DAY, 60 * DAY))
            elif kind.state in UNREPLIED:
                anchor = _end_of_day(now + rng.uniform(0, 21 * DAY))
            else:  # replied, revisit, evaluated: due around now either way
                anchor = _end_of_day(now + rng.uniform(-10 * DAY, 10 * DAY))
            created = min(anchor - rng.uniform(7 * DAY, 21 * DAY), now - 3600)
            if kind.state == "suspended":
                created = now - rng.uniform(20 * DAY, 80 * DAY)
        rows.append((created, k, anchor, overdue))
    rows.sort()
    return Plan([r[0] for r in rows], [r[1] for r in rows], [r[2] for r in rows],
                [r[3] for r in rows])


def _dt(ts: float) -> datetime:
    return datetime.fromtimestamp(ts, UTC)


def _end_of_day(ts: float) -> float:
    """23:59:59 Beijing time of the day ``ts`` falls on."""
    local = datetime.fromtimestamp(ts, BEIJING)
    return local.replace(hour=23, minute=59, second=59, microsecond=0).timestamp()


@dataclass
class Generator:
    """Pass two: full rows in id order, a chunk at a time."""

    plan: Plan
    now: float
    rng: random.Random
    units: list[int]
    unit_cumulative: list[float]
    profile: str
    counts: dict[str, int] = field(default_factory=lambda: dict.fromkeys(
        ("open", "overdue", "with_unit", "assignments", "co", "ended", "transitions"), 0))
    unit_tickets: dict[int, list[int]] = field(default_factory=dict)
    _assignment_id: int = 0
    _transition_id: int = 0

    def pick_unit(self) -> int:
        total = self.unit_cumulative[-1]
        return self.units[bisect.bisect(self.unit_cumulative, self.rng.random() * total)]

    def chunks(self) -> Iterator[tuple[list[Row], list[Row], list[Row]]]:
        """(tickets, assignments, transitions) in chunks of :data:`CHUNK` tickets."""
        n = len(self.plan.created)
        per_unit = self.unit_tickets = {unit: [0, 0] for unit in self.units}
        lead_at, open_at = _COL["lead_unit_id"], _COL["is_open"]
        for start in range(0, n, CHUNK):
            tickets: list[Row] = []
            assignments: list[Row] = []
            transitions: list[Row] = []
            for index in range(start, min(start + CHUNK, n)):
                ticket = self.ticket(index + 1, index, assignments, transitions)
                tickets.append(ticket)
                if ticket[lead_at] is not None:
                    counts = per_unit[ticket[lead_at]]
                    counts[0] += 1
                    counts[1] += ticket[open_at]
            yield tickets, assignments, transitions

    def pick(self, choices: Sequence[Any]) -> Any:
        """``random.choice`` without its overhead (it runs ~10 million times)."""
        return choices[int(self.rng.random() * len(choices))]

    def ticket(self, ticket_id: int, index: int, assignments: list[Row],
               transitions: list[Row]) -> Row:
        """One ticket row (in :data:`TICKET_COLUMNS` order) and its assignments, transition."""
        rng, pick, plan = self.rng, self.pick, self.plan
        kind = KINDS[plan.kinds[index]]
        created = plan.created[index]
        category, content = pick(SUBJECTS)
        district, place = pick(PLACES)
        if kind.name == "closed-answered-directly":
            request_type = "咨询"
        elif kind.name == "refused" and rng.random() < 0.3:
            request_type = "无效"
        else:
            request_type = pick(UNIT_TYPE_POOL)
        row = _TEMPLATE.copy()
        row[_COL["id"]] = ticket_id
        row[_COL["number"]] = ticket_number(ticket_id, _dt(created))
        row[_COL["version"]] = 1 + (3 + int(rng.random() * 6)) * kind.with_unit
        row[_COL["profile"]] = self.profile
        row[_COL["state"]] = kind.state
        row[_COL["is_open"]] = kind.is_open
        row[_COL["awaiting_reply"]] = kind.state in UNREPLIED  # as the app derives it
        row[_COL["channel"]] = pick(CHANNELS)
        row[_COL["requester_name"]] = pick(NAMES)
        row[_COL["requester_phone"]] = f"1{pick('3589')}{int(rng.random() * 1e9):09d}"
        row[_COL["requester_address"]] = pick(PLACES)[1]
        row[_COL["identity_disclosable"]] = rng.random() < 0.95
        row[_COL["request_type"]] = request_type
        row[_COL["category"]] = category
        row[_COL["urgency"]] = pick(URGENCIES)
        row[_COL["district"]] = district
        row[_COL["place"]] = place
        row[_COL["content"]] = f"市民反映：{place}，{content}"
        row[_COL["summary"]] = content[:24]
        row[_COL["calls"]] = f'["call-{ticket_id}"]'
        row[_COL["created_at"]] = _dt(created)
        if kind.state != "draft":
            row[_COL["accepted_at"]] = _dt(created + 30 + 570 * rng.random())
        if kind.with_unit:
            self._handled(row, kind, created, index)
            self._assign(row, kind, ticket_id, assignments)
        else:
            self._unhandled(row, kind, created)
        self.counts["open"] += kind.is_open
        self._transition(row, kind, transitions)
        return tuple(row)

    def _handled(self, row: list[Any], kind: Kind, created: float, index: int) -> None:
        rng = self.rng
        amount = self.pick((5, 10, 10, 15))
        calendar_days = amount * 7 / 5
        if kind.is_open:
            due = self.plan.anchors[index]
            dispatched = max(created + rng.uniform(600, DAY), due - calendar_days * DAY)
            dispatched = min(dispatched, self.now - 60)
        else:
            dispatched = created + rng.uniform(600, 2 * DAY)
            due = _end_of_day(dispatched + calendar_days * DAY)
        received = min(dispatched + rng.uniform(300, 0.5 * DAY), self.now - 30)
        row[_COL["dispatched_at"]] = _dt(dispatched)
        row[_COL["clock_started_at"]] = _dt(dispatched)
        if kind.state != "dispatched":
            row[_COL["first_received_at"]] = _dt(received)
        row[_COL["return_due"]] = _dt(dispatched + DAY)
        row[_COL["handle_due"]] = _dt(due)
        row[_COL["period_amount"]] = amount
        row[_COL["period_unit"]] = "working_days"
        self.counts["with_unit"] += 1
        if kind.is_open and self.plan.overdue[index]:
            self.counts["overdue"] += 1
            row[_COL["phone_reminders"]] = rng.randint(0, 2)
            row[_COL["under_supervision"]] = rng.random() < 0.2
        if kind.state == "suspended":
            row[_COL["suspended_at"]] = _dt(received + DAY)
            row[_COL["suspended_until"]] = _dt(due - 2 * DAY)
        if kind.state in ("replied", "revisit", "evaluated", "closed"):
            replied = received + rng.uniform(0.2, calendar_days * 1.3) * DAY
            replied = min(replied, self.now - 60)
            row[_COL["replied_at"]] = _dt(replied)
            row[_COL["replied_late"]] = replied > due
            row[_COL["reply"]] = "经核查，已安排工作人员现场处理，问题已解决。"
            if kind.state in ("evaluated", "closed"):
                row[_COL["final_evaluation"]] = self.pick(EVALUATIONS)
            if kind.state == "closed":
                row[_COL["closed_at"]] = _dt(min(replied + rng.uniform(DAY, 5 * DAY),
                                                 self.now - 60))

    def _unhandled(self, row: list[Any], kind: Kind, created: float) -> None:
        rng = self.rng
        if kind.state in ("accepted", "reviewed"):
            row[_COL["review_due"]] = _dt(created + DAY)
        if kind.state == "closed":
            row[_COL["answer"]] = "已根据知识库答复来电人。"
            row[_COL["closed_at"]] = _dt(created + rng.uniform(60, 1200))
        elif kind.state == "refused":
            row[_COL["refusal_reason"]] = self.pick(REFUSALS)
            row[_COL["closed_at"]] = _dt(created + rng.uniform(60, 1200))
        elif kind.state == "linked":
            earlier = rng.randint(1, max(1, row[_COL["id"]] - 1))
            row[_COL["linked_ticket_id"]] = earlier if earlier < row[_COL["id"]] else None
            row[_COL["matter_id"]] = row[_COL["linked_ticket_id"]]
            row[_COL["closed_at"]] = _dt(created + rng.uniform(60, 1200))

    def _assign(self, row: list[Any], kind: Kind, ticket_id: int,
                assignments: list[Row]) -> None:
        rng = self.rng
        dispatched = row[_COL["dispatched_at"]]
        copied = (row[_COL["is_open"]], row[_COL["handle_due"]])  # the ticket's, as the app keeps
        lead = self.pick_unit()
        if rng.random() < REDISPATCH_SHARE:
            wrong = self.pick_unit()
            if wrong != lead:
                self._assignment_id += 1
                self.counts["ended"] += 1
                assignments.append((self._assignment_id, ticket_id, wrong, "lead", False,
                                    dispatched - timedelta(hours=20),
                                    dispatched - timedelta(hours=2), *copied))
        row[_COL["lead_unit_id"]] = lead
        self._assignment_id += 1
        assignments.append((self._assignment_id, ticket_id, lead, "lead", True, dispatched,
                            None, *copied))
        if rng.random() < CO_UNIT_SHARE:
            co = self.pick_unit()
            if co != lead:
                self._assignment_id += 1
                self.counts["co"] += 1
                assignments.append((self._assignment_id, ticket_id, co, "co", True,
                                    dispatched, None, *copied))
        self.counts["assignments"] = self._assignment_id

    def _transition(self, row: list[Any], kind: Kind, transitions: list[Row]) -> None:
        """The step that brought the ticket to its state (the full history is not seeded)."""
        event, before, moment = LAST_STEP[kind.state]
        if kind.name == "closed-answered-directly":
            event, before = "answer-directly", "accepted"
        self._transition_id += 1
        self.counts["transitions"] = self._transition_id
        transitions.append((
            self._transition_id, row[_COL["id"]], row[_COL[moment]] or row[_COL["created_at"]],
            SUPERVISOR_ID, "bench-supervisor", event, before, kind.state, "", "{}",
        ))


def make_generator(n: int, seed: int, profile: str) -> tuple[Generator, Seed]:
    """The row generator and the seed's description (counts fill in as rows are made)."""
    rng = random.Random(seed)
    now = time.time()
    units, cumulative = unit_weights(len(DISTRICTS) * len(DEPARTMENTS), rng)
    plan = plan_tickets(n, now, rng)
    generator = Generator(plan, now, rng, units, cumulative, profile)
    handler_units = {label: units[rank - 1] for label, rank in HANDLER_RANKS.items()}
    info = Seed(n, len(units), handler_units, generator.counts)
    return generator, info


# --- loading -------------------------------------------------------------------------------


def pg_database_url(admin_url: str, name: str) -> str:
    """The admin URL with its database replaced by ``name``."""
    parts = urlsplit(admin_url)
    return urlunsplit((parts.scheme, parts.netloc, f"/{name}", parts.query, parts.fragment))


def _asyncpg_dsn(url: str) -> str:
    return url.replace("postgresql+asyncpg://", "postgresql://", 1)


async def pg_create(admin_url: str, name: str) -> None:
    connection = await asyncpg.connect(_asyncpg_dsn(admin_url))
    try:
        await connection.execute(f'CREATE DATABASE "{name}"')
    finally:
        await connection.close()


async def pg_drop(admin_url: str, name: str) -> None:
    connection = await asyncpg.connect(_asyncpg_dsn(admin_url))
    try:
        await connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    finally:
        await connection.close()


async def pg_load(url: str, generator: Generator,
                  profile_rows: tuple[list[Row], list[Row]]) -> None:
    """COPY everything in, with triggers (the foreign-key checks) off: the rows are known good.

    A thread generates the next chunk while PostgreSQL takes in the previous one.
    """
    connection = await asyncpg.connect(_asyncpg_dsn(url))
    try:
        await connection.execute("SET session_replication_role = replica")
        units, users = profile_rows
        await connection.copy_records_to_table("units", records=units, columns=UNIT_COLUMNS)
        await connection.copy_records_to_table("users", records=users, columns=USER_COLUMNS)
        chunks = generator.chunks()
        upcoming = asyncio.ensure_future(asyncio.to_thread(next, chunks, None))
        while (chunk := await upcoming) is not None:
            upcoming = asyncio.ensure_future(asyncio.to_thread(next, chunks, None))
            await _pg_copy_chunk(connection, *chunk)
        await connection.execute("SET session_replication_role = origin")
        for table in ("units", "users", "tickets", "ticket_assignments", "ticket_transitions"):
            await connection.execute(
                f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                f"(SELECT max(id) FROM {table}))")
    finally:
        await connection.close()


async def _pg_copy_chunk(connection: asyncpg.Connection, tickets: list[Row],
                         assignments: list[Row], transitions: list[Row]) -> None:
    await connection.copy_records_to_table("tickets", records=tickets, columns=TICKET_COLUMNS)
    await connection.copy_records_to_table("ticket_assignments", records=assignments,
                                           columns=ASSIGNMENT_COLUMNS)
    await connection.copy_records_to_table("ticket_transitions", records=transitions,
                                           columns=TRANSITION_COLUMNS)


async def pg_analyze(url: str) -> None:
    connection = await asyncpg.connect(_asyncpg_dsn(url))
    try:
        await connection.execute("VACUUM ANALYZE")
    finally:
        await connection.close()


def _sqlite_value(value: Any) -> Any:
    """What SQLAlchemy stores in SQLite: UTC timestamps as text, booleans as 0/1."""
    if isinstance(value, datetime):
        return value.astimezone(UTC).strftime("%Y-%m-%d %H:%M:%S.%f")
    if isinstance(value, bool):
        return int(value)
    return value


def _sqlite_insert(db: sqlite3.Connection, table: str, columns: Sequence[str],
                   rows: list[Row]) -> None:
    marks = ", ".join("?" * len(columns))
    db.executemany(f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({marks})",
                   [tuple(_sqlite_value(v) for v in row) for row in rows])


def sqlite_load(path: Path, generator: Generator,
                profile_rows: tuple[list[Row], list[Row]]) -> None:
    """executemany in one transaction per chunk, then ANALYZE."""
    db = sqlite3.connect(path, isolation_level=None)
    try:
        db.execute("PRAGMA journal_mode=WAL")
        db.execute("PRAGMA synchronous=OFF")
        db.execute("BEGIN")
        _sqlite_insert(db, "units", UNIT_COLUMNS, profile_rows[0])
        _sqlite_insert(db, "users", USER_COLUMNS, profile_rows[1])
        db.execute("COMMIT")
        for tickets, assignments, transitions in generator.chunks():
            db.execute("BEGIN")
            _sqlite_insert(db, "tickets", TICKET_COLUMNS, tickets)
            _sqlite_insert(db, "ticket_assignments", ASSIGNMENT_COLUMNS, assignments)
            _sqlite_insert(db, "ticket_transitions", TRANSITION_COLUMNS, transitions)
            db.execute("COMMIT")
        db.execute("ANALYZE")
        db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    finally:
        db.close()


# --- the server ----------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def _cpu_seconds(pid: int) -> float:
    """User + system CPU of one process, from /proc (0 when it is gone)."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def _children(pid: int) -> list[int]:
    try:
        text = Path(f"/proc/{pid}/task/{pid}/children").read_text()
    except OSError:
        return []
    return [int(child) for child in text.split()]


def machine_busy() -> tuple[float, float]:
    """(busy, total) CPU seconds of the whole machine since boot."""
    values = [int(v) for v in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]]
    ticks = os.sysconf("SC_CLK_TCK")
    idle = values[3] + values[4]
    return (sum(values) - idle) / ticks, sum(values) / ticks


class Server:
    """The API in its own uvicorn process (with ``workers`` worker processes)."""

    def __init__(self, database_url: str, workers: int, data_dir: Path) -> None:
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        env = dict(os.environ)
        env.update({
            "HOTLINE_DATABASE_URL": database_url, "HOTLINE_DATA_DIR": str(data_dir),
            "HOTLINE_SECRET_KEY": secrets.token_urlsafe(32), "HOTLINE_POLICY": "default",
            "HOTLINE_LOG_LEVEL": "WARNING", "PYTHONPATH": str(ROOT),
        })
        self.process = subprocess.Popen(
            [sys.executable, "-m", "uvicorn", "--factory", "hotline.app:create_app",
             "--host", "127.0.0.1", "--port", str(self.port), "--workers", str(workers),
             "--log-level", "warning", "--no-access-log"],
            env=env, cwd=ROOT,
        )

    def cpu_seconds(self) -> float:
        """CPU used so far by the server's processes (the workers and their parent)."""
        pids = [self.process.pid, *_children(self.process.pid)]
        return sum(_cpu_seconds(pid) for pid in pids)

    async def wait_ready(self, seconds: float = 60.0) -> None:
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"the API exited with {self.process.returncode}")
            try:
                connection = await HttpConnection.open(self.port)
                status, _ = await connection.request("GET", "/health")
                await connection.close()
                if status == 200:
                    return
            except (OSError, asyncio.IncompleteReadError):
                pass  # not listening yet
            await asyncio.sleep(0.2)
        raise RuntimeError("the API did not answer /health in time")

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()


class HttpConnection:
    """HTTP/1.1 keep-alive on one connection: just enough client for the benchmark."""

    def __init__(self, port: int, reader: asyncio.StreamReader,
                 writer: asyncio.StreamWriter) -> None:
        self.port = port
        self.reader = reader
        self.writer = writer

    @classmethod
    async def open(cls, port: int) -> HttpConnection:
        reader, writer = await asyncio.open_connection("127.0.0.1", port)
        return cls(port, reader, writer)

    async def request(self, method: str, path: str, token: str | None = None,
                      body: bytes | None = None) -> tuple[int, bytes]:
        head = [f"{method} {path} HTTP/1.1", f"host: 127.0.0.1:{self.port}"]
        if token:
            head.append(f"authorization: Bearer {token}")
        if body is not None:
            head += ["content-type: application/json", f"content-length: {len(body)}"]
        self.writer.write(("\r\n".join(head) + "\r\n\r\n").encode() + (body or b""))
        header = await self.reader.readuntil(b"\r\n\r\n")
        lines = header.decode("latin-1").split("\r\n")
        status = int(lines[0].split(" ", 2)[1])
        headers = {}
        for line in lines[1:]:
            name, _, value = line.partition(":")
            headers[name.strip().lower()] = value.strip()
        if "content-length" in headers:
            payload = await self.reader.readexactly(int(headers["content-length"]))
        else:
            payload = await self._chunked()
        return status, payload

    async def _chunked(self) -> bytes:
        parts = []
        while True:
            size = int((await self.reader.readuntil(b"\r\n")).split(b";")[0], 16)
            parts.append(await self.reader.readexactly(size + 2))
            if size == 0:
                return b"".join(p[:-2] for p in parts)

    async def close(self) -> None:
        self.writer.close()
        with contextlib.suppress(OSError):
            await self.writer.wait_closed()


# --- measuring -----------------------------------------------------------------------------


@dataclass
class Result:
    """One line of the table."""

    metric: str
    latencies_ms: list[float]
    throughput: float | None = None
    goal: str = ""
    passed: bool | None = None
    note: str = ""
    failed: int = 0

    @property
    def requests(self) -> int:
        return len(self.latencies_ms) + self.failed

    def percentile(self, p: float) -> float:
        ordered = sorted(self.latencies_ms)
        if not ordered:
            return float("nan")
        return ordered[min(len(ordered) - 1, max(0, round(p / 100 * len(ordered) + 0.5) - 1))]


@dataclass
class Cpu:
    """CPU seconds spent during one phase by the client, the API, the database, the machine."""

    wall: float
    client: float
    api: float
    database: float | None  # None: SQLite runs inside the API processes
    machine: float

    def describe(self, requests: int) -> str:
        per = 1000 / max(requests, 1)
        database = "in the API" if self.database is None else f"{self.database * per:.1f} ms"
        others = self.machine - self.client - self.api - (self.database or 0.0)
        return (f"CPU per request: client {self.client * per:.1f} ms, API "
                f"{self.api * per:.1f} ms, database {database}; machine "
                f"{self.machine / self.wall / (os.cpu_count() or 1):.0%} busy over "
                f"{self.wall:.1f} s, {max(others, 0.0):.1f} CPU s by other processes")


class CpuMeter:
    """Reads the CPU clocks of the client, the API processes and the database backends.

    PostgreSQL backends come and go with the API's overflow connections, so they are sampled
    every half second during a phase; one that exits counts with its last sample.
    """

    def __init__(self, server: Server, database_pids: Callable[[], Awaitable[list[int]]] | None
                 ) -> None:
        self.server = server
        self.database_pids = database_pids

    async def _sample(self, seen: dict[int, float]) -> None:
        assert self.database_pids is not None
        for pid in await self.database_pids():
            seen[pid] = max(seen.get(pid, 0.0), _cpu_seconds(pid))

    async def _sampler(self, seen: dict[int, float], stop: asyncio.Event) -> None:
        while not stop.is_set():
            await self._sample(seen)
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(stop.wait(), 0.5)

    async def measure(self, work: Callable[[], Awaitable[Result]]) -> tuple[Result, Cpu]:
        before: dict[int, float] = {}
        during: dict[int, float] = {}
        stop = asyncio.Event()
        sampler = None
        if self.database_pids is not None:
            await self._sample(before)
            sampler = asyncio.create_task(self._sampler(during, stop))
        wall0, client0, api0 = time.perf_counter(), time.process_time(), self.server.cpu_seconds()
        busy0, _ = machine_busy()
        result = await work()
        busy1, _ = machine_busy()
        wall, client = time.perf_counter() - wall0, time.process_time() - client0
        api = self.server.cpu_seconds() - api0
        database = None
        if sampler is not None:
            stop.set()
            await sampler
            await self._sample(during)
            database = sum(cpu - before.get(pid, 0.0) for pid, cpu in during.items())
        return result, Cpu(wall, client, api, database, busy1 - busy0)


def postgres_backends(admin_url: str, database: str) -> Callable[[], Awaitable[list[int]]]:
    """A function listing the pids of the PostgreSQL backends connected to ``database``."""

    async def pids() -> list[int]:
        connection = await asyncpg.connect(_asyncpg_dsn(admin_url))
        try:
            rows = await connection.fetch(
                "SELECT pid FROM pg_stat_activity WHERE datname = $1", database)
        finally:
            await connection.close()
        return [row["pid"] for row in rows]

    return pids


async def login(port: int, username: str) -> str:
    connection = await HttpConnection.open(port)
    try:
        body = json.dumps({"username": username, "password": PASSWORD}).encode()
        status, payload = await connection.request("POST", "/auth/login", body=body)
        if status != 200:
            raise RuntimeError(f"login {username}: {status} {payload[:300]!r}")
        token: str = json.loads(payload)["access_token"]
        return token
    finally:
        await connection.close()


async def sequential(port: int, token: str, paths: Sequence[str], requests: int,
                     warmup: int) -> tuple[list[float], int]:
    """Latencies (ms) of ``requests`` GETs one after another, cycling through ``paths``."""
    connection = await HttpConnection.open(port)
    latencies: list[float] = []
    rows = 0
    try:
        for index in range(warmup + requests):
            path = paths[index % len(paths)]
            start = time.perf_counter()
            status, payload = await connection.request("GET", path, token)
            elapsed = (time.perf_counter() - start) * 1000
            if status != 200:
                raise RuntimeError(f"GET {path}: {status} {payload[:300]!r}")
            if index >= warmup:
                latencies.append(elapsed)
                rows += len(json.loads(payload)["items"])
    finally:
        await connection.close()
    return latencies, rows


def list_result(metric: str, latencies: list[float], rows: int) -> Result:
    result = Result(metric, latencies, goal=f"p95 <= {GOAL_LIST_P95_MS:.0f} ms")
    result.passed = result.percentile(95) <= GOAL_LIST_P95_MS
    result.note = f"{rows / max(len(latencies), 1):.0f} rows/page"
    return result


def create_body(rng: random.Random) -> bytes:
    category, content = rng.choice(SUBJECTS)
    district = rng.choice(DISTRICTS)
    place = f"{district}{rng.choice(ROADS)}{rng.randint(1, 999)}号"
    return json.dumps({
        "channel": "phone", "media": "voice", "source_line": "12345",
        "requester": {"name": rng.choice(SURNAMES) + "先生",
                      "phone": f"13{rng.randrange(10**9):09d}",
                      "address": f"{district}{rng.choice(ROADS)}{rng.randint(1, 300)}号"},
        "request_type": rng.choice(("投诉", "求助", "建议")), "category": category,
        "urgency": "一般", "district": district, "place": place,
        "content": f"市民来电反映：{place}，{content}希望尽快处理并回复。",
        "summary": content[:24], "calls": [f"call-{rng.randrange(10**9)}"], "accept": True,
    }, ensure_ascii=False).encode()


async def create_load(port: int, token: str, seconds: float, concurrency: int) -> Result:
    """``concurrency`` connections each POST /tickets back to back for ``seconds``."""
    latencies: list[float] = []
    errors: dict[int, int] = {}
    stop_at = time.perf_counter() + seconds

    async def worker(index: int) -> None:
        rng = random.Random(index)
        connection = await HttpConnection.open(port)
        try:
            while time.perf_counter() < stop_at:
                body = create_body(rng)
                start = time.perf_counter()
                status, _ = await connection.request("POST", "/tickets", token, body)
                if status == 201:
                    latencies.append((time.perf_counter() - start) * 1000)
                else:
                    errors[status] = errors.get(status, 0) + 1
        finally:
            await connection.close()

    start = time.perf_counter()
    await asyncio.gather(*(worker(i) for i in range(concurrency)))
    elapsed = time.perf_counter() - start
    result = Result(f"create POST /tickets (c={concurrency})", latencies,
                    throughput=len(latencies) / elapsed,
                    goal=f">= {GOAL_CREATE_PER_S:.0f}/s")
    result.passed = result.throughput is not None and result.throughput >= GOAL_CREATE_PER_S
    result.failed = sum(errors.values())
    result.note = f"{len(latencies)} created" + (f", errors {errors}" if errors else "")
    return result


async def overdue_paths(port: int, token: str) -> tuple[list[str], str]:
    """The supervisor's overdue list: /supervision/overdue, or /tickets?overdue=true."""
    connection = await HttpConnection.open(port)
    try:
        status, _ = await connection.request("GET", "/supervision/overdue?page=1&size=50",
                                             token)
    finally:
        await connection.close()
    if status == 200:
        return [f"/supervision/overdue?page={p}&size=50" for p in range(1, 6)], \
            "GET /supervision/overdue?page=1..5&size=50"
    print(f"  /supervision/overdue answered {status}: using /tickets?overdue=true instead")
    return [f"/tickets?overdue=true&order=due&size=50&page={p}" for p in range(1, 6)], \
        "GET /tickets?overdue=true&order=due&page=1..5 (fallback)"


async def background_load(seconds: float = 2.0) -> float:
    """How busy the machine is before we start (other jobs skew every figure)."""
    busy0, total0 = machine_busy()
    await asyncio.sleep(seconds)
    busy1, total1 = machine_busy()
    return (busy1 - busy0) / max(total1 - total0, 1e-9)


async def measure(server: Server, meter: CpuMeter, handlers: Sequence[str],
                  args: argparse.Namespace) -> list[tuple[Result, Cpu]]:
    """The three lists (one per handler unit), the overdue list, then creation."""
    await server.wait_ready()
    load = await background_load()
    print(f"  machine {load:.0%} busy before measuring (the API idle)"
          + ("  -- other jobs are running: the figures will be worse" if load > 0.2 else ""),
          flush=True)
    port = server.port
    out: list[tuple[Result, Cpu]] = []
    warmup = max(20, args.requests // 10)
    handler_paths = [f"/tickets?open=true&order=due&size=50&page={p}" for p in range(1, 6)]
    for label in handlers:
        token = await login(port, f"bench-handler-{label}")

        async def handler_list(token: str = token, label: str = label) -> Result:
            latencies, rows = await sequential(port, token, handler_paths, args.requests,
                                               warmup)
            return list_result(f"unit list, {label} unit (GET /tickets?open=true&order=due)",
                               latencies, rows)

        out.append(await meter.measure(handler_list))
    supervisor_token = await login(port, "bench-supervisor")
    paths, label = await overdue_paths(port, supervisor_token)

    async def overdue_list() -> Result:
        latencies, rows = await sequential(port, supervisor_token, paths, args.requests, warmup)
        return list_result(f"supervisor overdue ({label})", latencies, rows)

    out.append(await meter.measure(overdue_list))
    agent_token = await login(port, "bench-agent")
    out.append(await meter.measure(lambda: create_load(
        port, agent_token, args.create_seconds, args.concurrency)))
    return out


# --- one backend, start to end -------------------------------------------------------------


@dataclass
class Run:
    backend: str
    tickets: int
    seed: Seed | None = None
    load_seconds: float = 0.0
    results: list[tuple[Result, Cpu]] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


def run_backend(backend: str, tickets: int, args: argparse.Namespace) -> Run:
    """Make, load and measure one database; drop it unless ``--keep``."""
    run = Run(backend, tickets)
    workdir = Path(tempfile.mkdtemp(prefix=f"hotline-bench-{backend}-"))
    admin_url = os.environ.get("HOTLINE_BENCH_POSTGRES_URL", DEFAULT_ADMIN_URL)
    name = f"hotline_bench_{secrets.token_hex(4)}"
    database_pids = None
    if backend == "postgresql":
        url = pg_database_url(admin_url, name)
        asyncio.run(pg_create(admin_url, name))
        database_pids = postgres_backends(admin_url, name)
    else:
        url = f"sqlite+aiosqlite:///{workdir / 'hotline.db'}"
    print(f"[{backend}] database {url}", flush=True)
    try:
        started = time.perf_counter()
        upgrade(url)
        generator, seed = make_generator(tickets, args.seed, "default")
        now = datetime.now(UTC)
        profile_rows = (unit_rows(now), user_rows(now, seed.handler_units))
        print(f"[{backend}] loading {tickets:,} tickets ...", flush=True)
        if backend == "postgresql":
            asyncio.run(pg_load(url, generator, profile_rows))
            asyncio.run(pg_analyze(url))
        else:
            sqlite_load(workdir / "hotline.db", generator, profile_rows)
        seed.unit_tickets = generator.unit_tickets
        run.load_seconds = time.perf_counter() - started
        run.seed = seed
        print(f"[{backend}] migrated, generated, loaded and analysed in "
              f"{run.load_seconds:.0f} s: {seed.describe()}", flush=True)
        server = Server(url, args.workers, workdir)
        try:
            meter = CpuMeter(server, database_pids)
            run.results = asyncio.run(measure(server, meter, list(seed.handler_units), args))
        finally:
            server.stop()
    finally:
        if args.keep:
            print(f"[{backend}] kept: {url}")
        elif backend == "postgresql":
            asyncio.run(pg_drop(admin_url, name))
    if backend == "postgresql" or not args.keep:
        shutil.rmtree(workdir, ignore_errors=True)
    return run


def print_table(run: Run) -> None:
    header = (f"{'backend':<10} {'tickets':>9}  {'metric':<72} {'p50 ms':>7} {'p95 ms':>7} "
              f"{'p99 ms':>7} {'throughput':>11}  {'goal':<14} result")
    print()
    print(header)
    print("-" * len(header))
    for result, _ in run.results:
        throughput = f"{result.throughput:.0f}/s" if result.throughput is not None else ""
        verdict = "" if result.passed is None else ("PASS" if result.passed else "MISS")
        print(f"{run.backend:<10} {run.tickets:>9,}  {result.metric:<72} "
              f"{result.percentile(50):>7.1f} {result.percentile(95):>7.1f} "
              f"{result.percentile(99):>7.1f} {throughput:>11}  {result.goal:<14} {verdict}")
    for result, cpu in run.results:
        print(f"  {result.metric}: {result.note}; {cpu.describe(result.requests)}")
    print()


def parse_args(argv: Sequence[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0] if __doc__ else "",
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--backend", choices=("postgresql", "sqlite", "both"), default="both")
    parser.add_argument("--tickets", type=int, default=None,
                        help="tickets to seed (default 1,000,000 PostgreSQL, 100,000 SQLite)")
    parser.add_argument("--requests", type=int, default=500,
                        help="measured requests per list (after a warm-up of a tenth)")
    parser.add_argument("--create-seconds", type=float, default=10.0)
    parser.add_argument("--concurrency", type=int, default=32,
                        help="connections creating tickets at once")
    parser.add_argument("--workers", type=int, default=2, help="uvicorn worker processes")
    parser.add_argument("--seed", type=int, default=12345, help="random seed of the data")
    parser.add_argument("--keep", action="store_true", help="keep the database afterwards")
    return parser.parse_args(argv)


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(argv)
    backends = ("postgresql", "sqlite") if args.backend == "both" else (args.backend,)
    defaults = {"postgresql": 1_000_000, "sqlite": 100_000}
    runs = []
    for backend in backends:
        run = run_backend(backend, args.tickets or defaults[backend], args)
        print_table(run)
        runs.append(run)
    if len(runs) > 1:
        print("Summary")
        for run in runs:
            print_table(run)
    return 0 if all(r.passed is not False for run in runs for r, _ in run.results) else 1


if __name__ == "__main__":
    sys.exit(main())
