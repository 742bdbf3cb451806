"""The knowledge base on SQLite and PostgreSQL: upkeep deadlines (zhanjiang 18) and search."""

from datetime import datetime, timedelta

import pytest
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker

from kernel.clock import BEIJING
from tickets.accounts.models import Unit
from tickets.calendar.workdays import WorkingCalendar
from tickets.enums import Role
from tickets.errors import IllegalTransition, VersionConflict
from tickets.knowledge import service
from tickets.knowledge.errors import (
    ArticleNotFound,
    EmptyQuery,
    InvalidValidity,
    NotYourUnit,
    UnitNotFound,
)
from tickets.knowledge.models import Article, ArticleKind, ArticleStatus, ArticleTerm
from tickets.knowledge.schemas import ArticleCreate, ArticleUpdate
from tickets.policy.registry import get_policy
from tickets.principal import Principal

POLICY = get_policy("zhanjiang")
CALENDAR = WorkingCalendar()
NOW = datetime(2026, 3, 2, 10, 0, tzinfo=BEIJING)
ADMIN = Principal(user_id=None, username="admin", role=Role.ADMIN)


def bj(year: int, month: int, day: int, hour: int = 0, minute: int = 0, second: int = 0
       ) -> datetime:
    return datetime(year, month, day, hour, minute, second, tzinfo=BEIJING)


@pytest.fixture
async def unit_ids(session: AsyncSession) -> tuple[int, int]:
    """Two units: the housing fund centre and the public security bureau."""
    fund = Unit(code="GJJ", name="住房公积金管理中心", created_at=NOW)
    police = Unit(code="GAJ", name="公安局", created_at=NOW)
    session.add_all([fund, police])
    await session.commit()
    return fund.id, police.id


def handler(unit_id: int) -> Principal:
    return Principal(user_id=None, username=f"handler{unit_id}", role=Role.UNIT_HANDLER,
                     unit_id=unit_id)


async def add(
    session: AsyncSession, unit_id: int, title: str, body: str = "", *, publish: bool = True,
    kind: ArticleKind = ArticleKind.FAQ, now: datetime = NOW, **fields: datetime | None,
) -> Article:
    data = ArticleCreate(unit_id=unit_id, title=title, body=body, kind=kind, **fields)
    article = await service.create_article(session, ADMIN, data, now, CALENDAR, POLICY)
    if publish:
        article = await service.publish(session, ADMIN, article.id, now)
    return article


async def titles(session: AsyncSession, query: str, at: datetime = NOW) -> list[str]:
    return [hit.article.title for hit in await service.search(session, query, at)]


# --- search ----------------------------------------------------------------------------------

async def test_search_ranks_the_article_about_both_query_words_first(
    session: AsyncSession, unit_ids: tuple[int, int]
) -> None:
    fund, police = unit_ids
    await add(session, fund, "住房公积金缴存比例", "单位和职工缴存比例为5%至12%。")
    await add(session, fund, "住房公积金提取条件", "购房、租房、退休可以提取住房公积金。")
    await add(session, police, "户口迁移", "办理户口迁移需要本人身份证。")

    hits = await service.search(session, "公积金提取", NOW)

    assert [hit.article.title for hit in hits] == ["住房公积金提取条件", "住房公积金缴存比例"]
    assert hits[0].score > hits[1].score > 0
    assert {"公积金", "提取"} <= set(hits[0].terms)
    assert "提取" not in hits[1].terms


async def test_search_matches_words_not_substrings(
    session: AsyncSession, unit_ids: tuple[int, int]
) -> None:
    await add(session, unit_ids[0], "住房公积金 提取 条件", "")

    assert await titles(session, "公积金提取") == ["住房公积金 提取 条件"]
    assert await titles(session, "金提") == []


async def test_a_rare_word_outweighs_a_common_one(
    session: AsyncSession, unit_ids: tuple[int, int]
) -> None:
    fund = unit_ids[0]
    await add(session, fund, "服务时间", "服务大厅周一至周五办公。")
    await add(session, fund, "服务电话", "服务热线为12329。")
    await add(session, fund, "异地转移", "公积金异地转移接续服务。")

    assert (await titles(session, "异地 服务"))[0] == "异地转移"


async def test_search_respects_the_limit(
    session: AsyncSession, unit_ids: tuple[int, int]
) -> None:
    for n in range(5):
        await add(session, unit_ids[0], f"公积金问答{n}", "公积金")

    assert len(await service.search(session, "公积金", NOW, limit=3)) == 3


async def test_a_draft_is_not_found(session: AsyncSession, unit_ids: tuple[int, int]) -> None:
    await add(session, unit_ids[0], "公积金贷款额度", publish=False)

    assert await titles(session, "公积金贷款") == []


async def test_only_articles_valid_at_the_search_time_are_found(
    session: AsyncSession, unit_ids: tuple[int, int]
) -> None:
    fund = unit_ids[0]
    await add(session, fund, "旧版公积金贷款政策", valid_from=bj(2025, 1, 1),
              valid_until=bj(2026, 1, 1))
    await add(session, fund, "现行公积金贷款政策", valid_from=bj(2026, 1, 1))
    await add(session, fund, "新版公积金贷款政策", valid_from=bj(2026, 6, 1))

    assert await titles(session, "公积金贷款政策") == ["现行公积金贷款政策"]
    assert set(await titles(session, "公积金贷款政策", bj(2025, 6, 1))) == {"旧版公积金贷款政策"}
    assert set(await titles(session, "公积金贷款政策", bj(2026, 7, 1))) == {
        "现行公积金贷款政策", "新版公积金贷款政策"}


async def test_a_withdrawn_article_is_not_found(
    session: AsyncSession, unit_ids: tuple[int, int]
) -> None:
    article = await add(session, unit_ids[0], "公积金贷款额度")

    withdrawn = await service.withdraw(session, ADMIN, article.id, NOW)

    assert withdrawn.status == ArticleStatus.WITHDRAWN
    assert await titles(session, "公积金贷款") == []


async def test_a_query_without_words_is_refused(
    session: AsyncSession, unit_ids: tuple[int, int]
) -> None:
    with pytest.raises(EmptyQuery) as refused:
        await service.search(session, "请问 的？", NOW)
    assert refused.value.status == 422
    assert refused.value.error_id == "empty-query"


async def test_an_update_reindexes_the_article(
    session: AsyncSession, unit_ids: tuple[int, int]
) -> None:
    article = await add(session, unit_ids[0], "公积金贷款额度", "最高60万元")

    await service.update_article(
        session, ADMIN, article.id, ArticleUpdate(version=article.version, title="公积金提取"),
        NOW, CALENDAR, POLICY)

    assert await titles(session, "贷款") == []
    assert await titles(session, "提取") == ["公积金提取"]
    terms = await session.scalars(select(ArticleTerm.term).where(
        ArticleTerm.article_id == article.id))
    assert "贷款" not in set(terms)


# --- writing ---------------------------------------------------------------------------------

async def test_an_update_with_a_stale_version_conflicts(
    session: AsyncSession, unit_ids: tuple[int, int]
) -> None:
    article = await add(session, unit_ids[0], "公积金贷款额度")
    read_version = article.version
    await service.update_article(session, ADMIN, article.id,
                                 ArticleUpdate(version=read_version, body="最高60万元"),
                                 NOW, CALENDAR, POLICY)

    with pytest.raises(VersionConflict):
        await service.update_article(session, ADMIN, article.id,
                                     ArticleUpdate(version=read_version, body="最高80万元"),
                                     NOW, CALENDAR, POLICY)
    assert (await service.get_article(session, article.id)).body == "最高60万元"


async def test_a_concurrent_update_loses_with_a_version_conflict(
    session: AsyncSession, engine: AsyncEngine, unit_ids: tuple[int, int]
) -> None:
    article = await add(session, unit_ids[0], "公积金贷款额度")
    async with async_sessionmaker(engine, expire_on_commit=False)() as other:
        await service.update_article(other, ADMIN, article.id,
                                     ArticleUpdate(version=article.version, body="最高60万元"),
                                     NOW, CALENDAR, POLICY)

    with pytest.raises(VersionConflict):
        await service.update_article(session, ADMIN, article.id,
                                     ArticleUpdate(version=article.version, body="最高80万元"),
                                     NOW, CALENDAR, POLICY)


async def test_a_unit_handler_keeps_only_its_own_units_articles(
    session: AsyncSession, unit_ids: tuple[int, int]
) -> None:
    fund, police = unit_ids
    own = await service.create_article(
        session, handler(fund), ArticleCreate(title="公积金贷款", kind=ArticleKind.SERVICE),
        NOW, CALENDAR, POLICY)
    assert own.unit_id == fund

    with pytest.raises(NotYourUnit) as refused:
        await service.publish(session, handler(police), own.id, NOW)
    assert refused.value.status == 403
    with pytest.raises(NotYourUnit):
        await service.create_article(
            session, handler(police),
            ArticleCreate(unit_id=fund, title="公积金贷款", kind=ArticleKind.SERVICE),
            NOW, CALENDAR, POLICY)
    assert (await service.publish(session, handler(fund), own.id, NOW)).status == "published"


async def test_a_missing_article_is_not_found(session: AsyncSession) -> None:
    with pytest.raises(ArticleNotFound) as refused:
        await service.get_article(session, 999_999)
    assert (refused.value.status, refused.value.error_id) == (404, "article-not-found")


async def test_an_article_for_a_missing_unit_is_refused(session: AsyncSession) -> None:
    with pytest.raises(UnitNotFound):
        await service.create_article(
            session, ADMIN, ArticleCreate(unit_id=999_999, title="x", kind=ArticleKind.FAQ),
            NOW, CALENDAR, POLICY)


async def test_validity_must_end_after_it_starts(
    session: AsyncSession, unit_ids: tuple[int, int]
) -> None:
    with pytest.raises(InvalidValidity):
        await add(session, unit_ids[0], "公积金", valid_from=bj(2026, 3, 1),
                  valid_until=bj(2026, 3, 1))


async def test_publishing_a_published_article_is_illegal(
    session: AsyncSession, unit_ids: tuple[int, int]
) -> None:
    article = await add(session, unit_ids[0], "公积金贷款额度")

    with pytest.raises(IllegalTransition):
        await service.publish(session, ADMIN, article.id, NOW)
    await service.withdraw(session, ADMIN, article.id, NOW)
    assert (await service.publish(session, ADMIN, article.id, NOW)).status == "published"


# --- upkeep deadlines (zhanjiang 第十八条) ------------------------------------------------------

async def test_a_finding_on_30_september_is_due_after_the_national_day_holiday(
    session: AsyncSession, unit_ids: tuple[int, int]
) -> None:
    # 2026-10-01..07 are holidays: the 2 working days are 8 and 9 October.
    article = await add(session, unit_ids[0], "公积金贷款额度")

    found = await service.record_finding(session, ADMIN, article.id, "额度已调整",
                                         bj(2026, 9, 30, 15, 0), CALENDAR, POLICY)

    assert found.correction_due == bj(2026, 10, 9, 23, 59, 59)
    assert found.finding == "额度已调整"


async def test_an_open_finding_is_due_for_review_until_corrected(
    session: AsyncSession, unit_ids: tuple[int, int]
) -> None:
    article = await add(session, unit_ids[0], "公积金贷款额度")
    await service.record_finding(session, ADMIN, article.id, "额度已调整",
                                 bj(2026, 9, 30, 15, 0), CALENDAR, POLICY)

    assert await service.review_due(session, bj(2026, 10, 7, 12, 0)) == []
    [soon] = await service.review_due(session, bj(2026, 10, 9, 9, 0))
    assert (soon.reason, soon.overdue) == ("correction", False)
    [late] = await service.review_due(session, bj(2026, 10, 10, 9, 0))
    assert late.overdue

    corrected = await service.update_article(
        session, handler(unit_ids[0]), article.id,
        ArticleUpdate(version=article.version, body="最高80万元"),
        bj(2026, 10, 10, 9, 0), CALENDAR, POLICY)
    assert corrected.correction_due is None
    assert corrected.corrected_late
    assert await service.review_due(session, bj(2026, 10, 10, 9, 0)) == []


async def test_a_correction_in_time_is_not_late(
    session: AsyncSession, unit_ids: tuple[int, int]
) -> None:
    article = await add(session, unit_ids[0], "公积金贷款额度")
    found = await service.record_finding(session, ADMIN, article.id, "额度已调整",
                                         bj(2026, 9, 30, 15, 0), CALENDAR, POLICY)

    corrected = await service.update_article(
        session, ADMIN, article.id, ArticleUpdate(version=found.version, body="最高80万元"),
        bj(2026, 10, 9, 18, 0), CALENDAR, POLICY)

    assert corrected.correction_due is None
    assert not corrected.corrected_late


async def test_a_unit_handler_cannot_record_a_finding_on_another_units_article(
    session: AsyncSession, unit_ids: tuple[int, int]
) -> None:
    fund, police = unit_ids
    article = await add(session, fund, "公积金贷款额度")

    with pytest.raises(NotYourUnit):
        await service.record_finding(session, handler(police), article.id, "错", NOW,
                                     CALENDAR, POLICY)
    reviewer = Principal(user_id=None, username="office", role=Role.REVIEWER)
    found = await service.record_finding(session, reviewer, article.id, "错", NOW,
                                         CALENDAR, POLICY)
    assert found.correction_due is not None


async def test_a_new_policy_must_be_entered_three_working_days_before_publication(
    session: AsyncSession, unit_ids: tuple[int, int]
) -> None:
    # Published Friday 9 October 2026: 9, 8 and (over the holiday) 30 September are the
    # three working days, so the article had to be in by the end of 29 September.
    publish_at = bj(2026, 10, 9, 9, 0)
    in_time = await add(session, unit_ids[0], "公积金新政", kind=ArticleKind.POLICY,
                        publish=False, now=bj(2026, 9, 29, 17, 0), publish_at=publish_at)
    late = await add(session, unit_ids[0], "公积金新政细则", kind=ArticleKind.POLICY,
                     publish=False, now=bj(2026, 9, 30, 9, 0), publish_at=publish_at)

    assert in_time.entry_due == late.entry_due == bj(2026, 9, 29, 23, 59, 59)
    assert not in_time.entered_late
    assert late.entered_late
    assert in_time.valid_from == publish_at


async def test_postponing_publication_recomputes_the_entry_deadline(
    session: AsyncSession, unit_ids: tuple[int, int]
) -> None:
    article = await add(session, unit_ids[0], "公积金新政", kind=ArticleKind.POLICY,
                        publish=False, now=bj(2026, 9, 30, 9, 0),
                        publish_at=bj(2026, 10, 9, 9, 0))
    assert article.entered_late

    moved = await service.update_article(
        session, ADMIN, article.id,
        ArticleUpdate(version=article.version, publish_at=bj(2026, 10, 16, 9, 0)),
        bj(2026, 9, 30, 10, 0), CALENDAR, POLICY)

    assert moved.entry_due == bj(2026, 10, 13, 23, 59, 59)
    assert not moved.entered_late


async def test_an_unpublished_new_policy_is_due_for_review_at_its_entry_deadline(
    session: AsyncSession, unit_ids: tuple[int, int]
) -> None:
    article = await add(session, unit_ids[0], "公积金新政", kind=ArticleKind.POLICY,
                        publish=False, now=bj(2026, 9, 21, 9, 0),
                        publish_at=bj(2026, 10, 9, 9, 0))

    assert await service.review_due(session, bj(2026, 9, 28, 9, 0)) == []
    [entry] = await service.review_due(session, bj(2026, 9, 29, 9, 0))
    assert (entry.reason, entry.due, entry.overdue) == (
        "entry", bj(2026, 9, 29, 23, 59, 59), False)
    assert await service.review_due(session, bj(2026, 9, 29, 9, 0), unit_ids[1]) == []

    await service.publish(session, ADMIN, article.id, bj(2026, 9, 29, 10, 0))
    assert await service.review_due(session, bj(2026, 9, 30, 9, 0)) == []
    assert await titles(session, "公积金新政", bj(2026, 10, 8, 9, 0)) == []
    assert await titles(session, "公积金新政", bj(2026, 10, 9, 9, 0) + timedelta(minutes=1)) \
        == ["公积金新政"]
