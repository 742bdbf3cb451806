"""The monthly bulletin (月通报, tonghua 第三十二条) with its overdue report (第三十四条)."""

import csv
import io
from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import ColumnElement, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from kernel.clock import BEIJING, beijing
from tickets.accounts.models import Unit
from tickets.errors import InvalidValue
from tickets.policy.schema import Policy
from tickets.stats.schemas import Bulletin, Count, Rate, UnitRow, rate
from tickets.stats.service import measures, period_stats, window
from tickets.supervision.scan import overdue_clause
from tickets.workflow.models import Ticket

BOM = "\ufeff"  # Excel reads a CSV as UTF-8 only when it starts with one
Row = Sequence[object]
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def month_bounds(year: int, month: int) -> tuple[datetime, datetime]:
    """The month as [first midnight, next month's first midnight), Beijing time."""
    if not (2000 <= year <= 2100 and 1 <= month <= 12):
        raise InvalidValue("no such month", year=year, month=month)
    start = datetime(year, month, 1, tzinfo=BEIJING)
    end = datetime(year + month // 12, month % 12 + 1, 1, tzinfo=BEIJING)
    return start, end


async def build_bulletin(
    session: AsyncSession, policy: Policy, year: int, month: int, now: datetime
) -> Bulletin:
    """The month's figures, the per-unit table and every ticket overdue at its end (or now)."""
    start, end = month_bounds(year, month)
    summary = await period_stats(session, policy, start, end, now=now)
    units = await unit_rows(session, policy, window(start, end), summary.as_of)
    return Bulletin(year=year, month=month, profile=policy.name, generated_at=now,
                    summary=summary, units=units)


async def unit_rows(
    session: AsyncSession, policy: Policy, scope: ColumnElement[bool], as_of: datetime
) -> list[UnitRow]:
    """One row per lead unit with tickets in the period or overdue now; most overdue first."""
    led = Ticket.lead_unit_id.is_not(None)
    figures = {row.lead_unit_id: row for row in (await session.execute(
        select(Ticket.lead_unit_id, *measures(policy, as_of)).where(scope, led)
        .group_by(Ticket.lead_unit_id))).all()}
    overdue: dict[int, int] = {}
    for uid, n in await session.execute(
            select(Ticket.lead_unit_id, func.count()).where(overdue_clause(as_of), led)
            .group_by(Ticket.lead_unit_id)):
        if uid is not None:
            overdue[uid] = n
    ids = set(figures) | set(overdue)
    names: dict[int, str] = {}
    for uid, name in await session.execute(select(Unit.id, Unit.name).where(Unit.id.in_(ids))):
        names[uid] = name
    rows = [_unit_row(uid, names.get(uid, ""), figures.get(uid), overdue.get(uid, 0))
            for uid in ids]
    return sorted(rows, key=lambda r: (-r.overdue, -r.received, r.unit_name, r.unit_id))


def _unit_row(unit_id: int, name: str, f: Any, overdue: int) -> UnitRow:
    if f is None:  # only overdue tickets from earlier months
        return UnitRow(unit_id=unit_id, unit_name=name, received=0, replied=0,
                       replied_on_time=0, late_open=0, overdue=overdue, evaluated=0,
                       satisfied=0, on_time=rate(0, 0), satisfaction=rate(0, 0))
    return UnitRow(
        unit_id=unit_id, unit_name=name, received=f.received, replied=f.replied,
        replied_on_time=f.on_time, late_open=f.late_open, overdue=overdue,
        evaluated=f.evaluated, satisfied=f.satisfied,
        on_time=rate(f.on_time, f.replied + f.late_open),
        satisfaction=rate(f.satisfied, f.evaluated),
    )


# --- CSV -----------------------------------------------------------------------------------


def _cell(value: object) -> str:
    """Text for one cell; caller-supplied text never starts a spreadsheet formula."""
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def _percent(r: Rate) -> str:
    return "" if r.value is None else f"{r.value * 100:.2f}%"


def _when(moment: datetime) -> str:
    return f"{beijing(moment):%Y-%m-%d %H:%M:%S}"


def _counts(title: str, counts: list[Count]) -> list[Row]:
    return [[], [title, "数量"], *([c.key or "未填", c.count] for c in counts)]


def _summary_rows(b: Bulletin) -> list[Row]:
    s = b.summary
    return [
        ["12345热线月通报", f"{b.year}年{b.month}月", b.profile],
        ["统计区间", _when(s.start), _when(s.end)],
        ["时限判定时点", _when(s.as_of)], ["生成时间", _when(b.generated_at)],
        [], ["指标", "数值", "分子", "分母"],
        ["受理总量", s.total], ["已答复", s.replied], ["逾期未答复", s.late_open],
        ["按时答复率", _percent(s.on_time), s.on_time.numerator, s.on_time.denominator],
        ["满意率", _percent(s.satisfaction), s.satisfaction.numerator,
         s.satisfaction.denominator],
        ["退回率", _percent(s.returns), s.returns.numerator, s.returns.denominator],
        ["逾期未办结工单", len(s.overdue)],
        *_counts("诉求类型", s.by_request_type), *_counts("分类", s.by_category),
        *_counts("区域", s.by_district),
    ]


def _unit_table(b: Bulletin) -> list[Row]:
    head = ["承办单位", "受理量", "已答复", "按时答复", "逾期未答复", "逾期未办结(截至时点)",
            "已评价", "满意", "按时答复率", "满意率"]
    return [[], head, *([
        u.unit_name, u.received, u.replied, u.replied_on_time, u.late_open, u.overdue,
        u.evaluated, u.satisfied, _percent(u.on_time), _percent(u.satisfaction),
    ] for u in b.units)]


def _overdue_table(b: Bulletin) -> list[Row]:
    head = ["工单编号", "承办单位", "诉求类型", "分类", "摘要", "受理时间", "办理时限",
            "逾期天数", "状态", "电话催办次数", "督办中"]
    return [[], ["逾期未办结事项"], head, *([
        t.number, t.unit_name, t.request_type, t.category, t.summary, _when(t.created_at),
        _when(t.handle_due), t.days_overdue, t.state, t.phone_reminders,
        "是" if t.under_supervision else "否",
    ] for t in b.summary.overdue)]


def bulletin_csv(b: Bulletin) -> str:
    """The bulletin as CSV text: UTF-8 with a BOM, CRLF lines, one section after another."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    for row in (*_summary_rows(b), *_unit_table(b), *_overdue_table(b)):
        writer.writerow([_cell(v) for v in row])
    return BOM + buffer.getvalue()


def csv_filename(b: Bulletin) -> str:
    """``bulletin-2025-03.csv``."""
    return f"bulletin-{b.year:04d}-{b.month:02d}.csv"
