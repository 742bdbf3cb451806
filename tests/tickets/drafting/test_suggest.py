"""Suggestions beside a draft: units by territory then duty, similar open tickets, answers."""

from datetime import datetime, timedelta

from sqlalchemy.ext.asyncio import AsyncSession

from tests.tickets.drafting.helpers import turns
from tickets.accounts.models import Unit
from tickets.drafting.draft import Draft
from tickets.drafting.service import draft_from_turns
from tickets.drafting.suggest import (
    knowledge_answers,
    shared_place,
    similar_open_tickets,
    suggest_units,
    text_similarity,
)
from tickets.knowledge import segment
from tickets.knowledge.models import Article, ArticleTerm
from tickets.workflow.models import Ticket

NOW = datetime.fromisoformat("2026-03-02T10:00:00+08:00")
ELEVATOR = turns("C: 我 要 投诉 槐荫 区 美林 小区 七 号楼 电梯 坏 了 半 个 月 物业 不 修")


def elevator() -> Draft:
    return draft_from_turns(ELEVATOR)


async def add_unit(session: AsyncSession, code: str, duties: str, territory: list[str]) -> Unit:
    unit = Unit(code=code, name=code, duties=duties, territory=territory, created_at=NOW)
    session.add(unit)
    await session.flush()
    return unit


async def add_ticket(session: AsyncSession, *, category: str, place: str, summary: str,
                     state: str = "handling", days_ago: int = 1) -> Ticket:
    ticket = Ticket(profile="tonghua", state=state, channel="phone", media="voice",
                    request_type="投诉", category=category, urgency="一般", place=place,
                    summary=summary, content=summary,
                    created_at=NOW - timedelta(days=days_ago))
    session.add(ticket)
    await session.flush()
    return ticket


async def test_units_whose_territory_holds_the_place_come_first(session: AsyncSession) -> None:
    await add_unit(session, "housing", "物业 电梯 住房保障 监管", ["历下区"])
    local = await add_unit(session, "huaiyin", "辖区 综合 管理", ["槐荫区"])
    both = await add_unit(session, "huaiyin-housing", "物业 电梯 监管", ["槐荫区"])
    await add_unit(session, "water", "供水 排水", ["东昌区"])
    await session.commit()
    suggestions = await suggest_units(session, elevator())
    codes = [s.unit.code for s in suggestions]
    assert codes[:2] == [both.code, local.code]
    assert codes[2] == "housing"  # duties match, territory does not
    assert "water" not in codes
    assert suggestions[0].territory == "槐荫区"
    assert "电梯" in suggestions[0].duty_words


async def test_a_territory_named_by_its_short_form_matches(session: AsyncSession) -> None:
    await add_unit(session, "zhangqiu", "", ["章丘区"])
    await session.commit()
    draft = draft_from_turns(turns("C: 我 举报 章丘 那边 有 人 盖 违建"))
    assert [s.unit.code for s in await suggest_units(session, draft)] == ["zhangqiu"]


async def test_similar_open_tickets_share_category_and_place(session: AsyncSession) -> None:
    await add_unit(session, "u", "", [])
    same = await add_ticket(session, category="住房保障", place="槐荫区美林小区7号楼",
                            summary="美林小区7号楼电梯故障物业不修")
    await add_ticket(session, category="住房保障", place="历下区燕山新居",
                     summary="燕山新居电梯故障")  # another place
    await add_ticket(session, category="城乡建设", place="槐荫区美林小区",
                     summary="美林小区路灯不亮")  # another category
    await add_ticket(session, category="住房保障", place="槐荫区美林小区",
                     summary="美林小区电梯坏了", state="closed")  # closed
    await add_ticket(session, category="住房保障", place="槐荫区美林小区",
                     summary="美林小区电梯坏了", days_ago=45)  # outside the window
    await session.commit()
    found = await similar_open_tickets(session, elevator(), window_days=30, now=NOW)
    assert [s.ticket.id for s in found] == [same.id]
    assert found[0].similarity > 0.1
    assert "美林小区" in found[0].shared_place


async def test_no_place_no_similar_tickets(session: AsyncSession) -> None:
    draft = draft_from_turns(turns("C: 我 想 咨询 一下 公积金 怎么 提取"))
    assert await similar_open_tickets(session, draft, now=NOW) == []


async def test_knowledge_answers_come_from_the_published_articles(session: AsyncSession) -> None:
    unit = await add_unit(session, "fund", "", [])
    for title, body in (("租房提取住房公积金", "无房职工租房可以提取住房公积金，需要身份证。"),
                        ("供暖开始时间", "供暖期一般从十月中下旬开始。")):
        weights = segment.term_weights(title, body)
        article = Article(unit_id=unit.id, title=title, body=body, kind="faq",
                          status="published", valid_from=NOW - timedelta(days=10),
                          term_total=sum(weights.values()), created_at=NOW, updated_at=NOW)
        session.add(article)
        await session.flush()
        session.add_all(ArticleTerm(article_id=article.id, term=t, weight=w)
                        for t, w in weights.items())
    await session.commit()
    draft = draft_from_turns(turns("C: 我 想 问 下 那个 公积金 可以 拿 来 交 房租 吗",
                                   "C: 租房 能 提取 吗"))
    hits = await knowledge_answers(session, draft, at=NOW)
    assert hits and hits[0].article.title == "租房提取住房公积金"


def test_text_similarity_and_shared_place() -> None:
    assert text_similarity("美林小区电梯坏了", "美林小区电梯故障") > 0.3
    assert text_similarity("电梯", "路灯") == 0.0
    assert shared_place("槐荫区美林小区7号楼", "美林小区") == "美林小区"
