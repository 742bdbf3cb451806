"""Keeping the knowledge base (zhanjiang 第十八条); ``search`` is re-exported from its module.

Units keep their own articles; a new policy's article must be entered 3 to 10 working days
before the policy goes public; an error the hotline office finds must be corrected within
2 working days.
"""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any, Literal

from sqlalchemy import and_, delete, inspect, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from kernel.clock import beijing, end_of_day, require_aware
from tickets.accounts.models import Unit
from tickets.calendar.workdays import WorkingCalendar
from tickets.database import commit
from tickets.deadlines import due_after
from tickets.enums import Role
from tickets.errors import Forbidden, IllegalTransition, InvalidValue, VersionConflict
from tickets.knowledge import segment
from tickets.knowledge.errors import (
    ArticleNotFound,
    InvalidValidity,
    NotYourUnit,
    UnitNotFound,
)
from tickets.knowledge.models import Article, ArticleKind, ArticleStatus, ArticleTerm
from tickets.knowledge.schemas import ArticleCreate, ArticleUpdate
from tickets.knowledge.search import Hit as Hit
from tickets.knowledge.search import search as search
from tickets.policy.schema import Period, PeriodUnit, Policy
from tickets.principal import Principal

REVIEW_HORIZON = timedelta(days=1)
OFFICE_ROLES = frozenset({Role.ADMIN, Role.SUPERVISOR, Role.REVIEWER})  # 12345 热线办
DRAFT, PUBLISHED, WITHDRAWN = ArticleStatus.DRAFT, ArticleStatus.PUBLISHED, ArticleStatus.WITHDRAWN


@dataclass(frozen=True)
class ReviewEntry:
    """An upkeep deadline that has passed or passes within :data:`REVIEW_HORIZON`."""

    article: Article
    reason: Literal["correction", "entry"]
    due: datetime
    overdue: bool


# --- who may write ---------------------------------------------------------------------------

def ensure_may_edit(actor: Principal, unit_id: int) -> None:
    """Administrators keep every article, a unit handler only its own unit's."""
    if actor.role is Role.ADMIN:
        return
    if actor.role is not Role.UNIT_HANDLER:
        raise Forbidden("only administrators and unit handlers keep the knowledge base",
                        role=actor.role.value)
    if actor.unit_id != unit_id:
        raise NotYourUnit("this article belongs to another unit",
                          unit_id=unit_id, your_unit_id=actor.unit_id)


def ensure_may_record_finding(actor: Principal, unit_id: int) -> None:
    """The hotline office checks every article; a unit handler may report its own errors."""
    if actor.role not in OFFICE_ROLES:
        ensure_may_edit(actor, unit_id)


# --- deadlines -------------------------------------------------------------------------------

def working_days_before(day: date, count: int, calendar: WorkingCalendar) -> date:
    """The latest day that leaves ``count`` working days in (that day, ``day``]."""
    seen = 0
    while seen < count:
        if calendar.is_working_day(day):
            seen += 1
        day -= timedelta(days=1)
    return day


def period_before(moment: datetime, period: Period, calendar: WorkingCalendar) -> datetime:
    """The latest time that still leaves ``period`` before ``moment`` (``due_after`` reversed)."""
    require_aware(moment, field="publish_at")
    if period.unit is PeriodUnit.HOURS:
        return beijing(moment - timedelta(hours=period.amount))
    day = beijing(moment).date()
    if period.unit is PeriodUnit.NATURAL_DAYS:
        return end_of_day(day - timedelta(days=period.amount))
    return end_of_day(working_days_before(day, period.amount, calendar))


def _schedule_entry(article: Article, calendar: WorkingCalendar, policy: Policy) -> None:
    """A new policy's entry deadline, and whether the article came in after it."""
    if article.publish_at is None:
        article.entry_due, article.entered_late = None, False
        return
    article.entry_due = period_before(
        article.publish_at, policy.knowledge.new_policy_lead_min, calendar)
    article.entered_late = article.created_at > article.entry_due


def _close_finding(article: Article, now: datetime) -> None:
    """The unit acted on an open finding: note whether it was in time."""
    if article.correction_due is not None:
        article.corrected_late = now > article.correction_due
        article.correction_due = None


# --- reading ---------------------------------------------------------------------------------

async def get_article(session: AsyncSession, article_id: int) -> Article:
    """The article ``article_id``, or :class:`ArticleNotFound`."""
    article = await session.get(Article, article_id)
    if article is None:
        raise ArticleNotFound(f"no article {article_id}", article_id=article_id)
    return article


async def list_articles(
    session: AsyncSession, *, unit_id: int | None = None, status: ArticleStatus | None = None,
    kind: ArticleKind | None = None, limit: int = 50, offset: int = 0,
) -> Sequence[Article]:
    """Articles, newest first, optionally of one unit, status or kind."""
    stmt = select(Article).order_by(Article.id.desc()).limit(limit).offset(offset)
    if unit_id is not None:
        stmt = stmt.where(Article.unit_id == unit_id)
    if status is not None:
        stmt = stmt.where(Article.status == status.value)
    if kind is not None:
        stmt = stmt.where(Article.kind == kind.value)
    return (await session.scalars(stmt)).all()


# --- writing ---------------------------------------------------------------------------------

async def create_article(
    session: AsyncSession, actor: Principal, data: ArticleCreate, now: datetime,
    calendar: WorkingCalendar, policy: Policy,
) -> Article:
    """Enter a draft article for ``data.unit_id`` (the handler's own unit by default)."""
    require_aware(now, field="now")
    unit_id = data.unit_id if data.unit_id is not None else actor.unit_id
    if unit_id is None:
        raise InvalidValue("say which unit keeps this article", field="unit_id")
    ensure_may_edit(actor, unit_id)
    if await session.get(Unit, unit_id) is None:
        raise UnitNotFound(f"no unit {unit_id}", unit_id=unit_id)
    article = Article(
        unit_id=unit_id, title=data.title, body=data.body, kind=data.kind.value,
        status=DRAFT.value, valid_from=data.valid_from or data.publish_at or now,
        valid_until=data.valid_until, publish_at=data.publish_at, created_at=now, updated_at=now,
    )
    _check_validity(article)
    _schedule_entry(article, calendar, policy)
    session.add(article)
    await session.flush()
    await _reindex(session, article)
    return await _save(session, article)


async def update_article(
    session: AsyncSession, actor: Principal, article_id: int, changes: ArticleUpdate,
    now: datetime, calendar: WorkingCalendar, policy: Policy,
) -> Article:
    """Change the fields given; a change of content while a finding is open corrects it."""
    article = await get_article(session, article_id)
    ensure_may_edit(actor, article.unit_id)
    if article.version != changes.version:
        raise VersionConflict("the article changed since you read it; reload it and try again",
                              expected=changes.version, current=article.version)
    given: dict[str, Any] = changes.model_dump(exclude_unset=True, exclude={"version"})
    for name, value in given.items():
        if value is not None or name in ("valid_until", "publish_at"):
            setattr(article, name, value)
    _check_validity(article)
    if "publish_at" in given:
        _schedule_entry(article, calendar, policy)
    if given.keys() & {"title", "body"}:
        await _reindex(session, article)
    if given:  # an empty PATCH corrects nothing: the finding stays open
        _close_finding(article, now)
    article.updated_at = now
    return await _save(session, article)


async def publish(
    session: AsyncSession, actor: Principal, article_id: int, now: datetime
) -> Article:
    """Make a draft (or withdrawn) article searchable from its ``valid_from`` on."""
    article = await _transition(session, actor, article_id, PUBLISHED, {DRAFT, WITHDRAWN})
    article.published_at = article.updated_at = now
    return await _save(session, article)


async def withdraw(
    session: AsyncSession, actor: Principal, article_id: int, now: datetime
) -> Article:
    """Take an article out of search; withdrawing a wrong article also settles its finding."""
    article = await _transition(session, actor, article_id, WITHDRAWN, {DRAFT, PUBLISHED})
    article.updated_at = now
    _close_finding(article, now)
    return await _save(session, article)


async def record_finding(
    session: AsyncSession, actor: Principal, article_id: int, finding: str, now: datetime,
    calendar: WorkingCalendar, policy: Policy,
) -> Article:
    """Record an error found in an article; the unit must correct it within the policy's period."""
    article = await get_article(session, article_id)
    ensure_may_record_finding(actor, article.unit_id)
    article.finding, article.found_at = finding, now
    article.correction_due = due_after(now, policy.knowledge.correction, calendar).at
    article.corrected_late = False
    return await _save(session, article)


def _check_validity(article: Article) -> None:
    if article.valid_until is not None and article.valid_until <= article.valid_from:
        raise InvalidValidity("valid_until must come after valid_from",
                              valid_from=article.valid_from.isoformat(),
                              valid_until=article.valid_until.isoformat())


async def _transition(
    session: AsyncSession, actor: Principal, article_id: int, to: ArticleStatus,
    allowed_from: set[ArticleStatus],
) -> Article:
    article = await get_article(session, article_id)
    ensure_may_edit(actor, article.unit_id)
    if article.status not in allowed_from:
        raise IllegalTransition(f"a {article.status} article cannot become {to}",
                                article_id=article_id, status=article.status, to=to.value)
    article.status = to.value
    return article


async def _reindex(session: AsyncSession, article: Article) -> None:
    """Replace the article's words in the inverted index."""
    weights = segment.term_weights(article.title, article.body)
    with session.no_autoflush:  # pending changes flush in ``commit``, which maps a lost race
        await session.execute(delete(ArticleTerm).where(ArticleTerm.article_id == article.id))
    session.add_all(ArticleTerm(article_id=article.id, term=term, weight=weight)
                    for term, weight in weights.items())
    article.term_total = sum(weights.values())


async def _save(session: AsyncSession, article: Article) -> Article:
    await commit(session)
    if inspect(article).expired_attributes:
        await session.refresh(article)
    return article


# --- review ------------------------------------------------------------------------------------

async def review_due(
    session: AsyncSession, at: datetime, unit_id: int | None = None
) -> list[ReviewEntry]:
    """Open findings and unpublished new-policy drafts whose deadline is past or within a day."""
    horizon = require_aware(at) + REVIEW_HORIZON
    correction = and_(Article.correction_due.is_not(None), Article.correction_due <= horizon)
    entry = and_(Article.status == DRAFT.value, Article.entry_due.is_not(None),
                 Article.entry_due <= horizon)
    stmt = select(Article).where(or_(correction, entry))
    if unit_id is not None:
        stmt = stmt.where(Article.unit_id == unit_id)
    entries: list[ReviewEntry] = []
    for article in await session.scalars(stmt):
        if article.correction_due is not None and article.correction_due <= horizon:
            entries.append(ReviewEntry(article, "correction", article.correction_due,
                                       article.correction_due < at))
        if article.status == DRAFT and article.entry_due is not None \
                and article.entry_due <= horizon:
            entries.append(ReviewEntry(article, "entry", article.entry_due, article.entry_due < at))
    return sorted(entries, key=lambda entry: (entry.due, entry.article.id))
