"""The knowledge-base API: thin routes over :mod:`tickets.knowledge.service`."""

from typing import Annotated

from fastapi import APIRouter, Depends, Query

from tickets.deps import CalendarDep, ClockDep, CurrentUser, PolicyDep, SessionDep, require_role
from tickets.enums import Role
from tickets.knowledge import service
from tickets.knowledge.models import ArticleKind, ArticleStatus
from tickets.knowledge.schemas import (
    ArticleCreate,
    ArticleOut,
    ArticleUpdate,
    FindingCreate,
    ReviewItem,
    SearchHit,
)
from tickets.knowledge.segment import snippet
from tickets.principal import Principal

router = APIRouter(prefix="/knowledge", tags=["knowledge"])

Writer = Annotated[Principal, Depends(require_role(Role.UNIT_HANDLER))]
"""Administrators and unit handlers (the service limits a handler to its own unit)."""
Checker = Annotated[
    Principal, Depends(require_role(Role.REVIEWER, Role.SUPERVISOR, Role.UNIT_HANDLER))
]
"""The hotline office records findings; a unit handler may report its own unit's errors."""


@router.post("/articles", status_code=201)
async def create_article(
    data: ArticleCreate, session: SessionDep, user: Writer, clock: ClockDep,
    calendar: CalendarDep, policy: PolicyDep,
) -> ArticleOut:
    article = await service.create_article(session, user, data, clock(), calendar, policy)
    return ArticleOut.model_validate(article)


@router.get("/articles")
async def list_articles(
    session: SessionDep, user: CurrentUser, unit_id: int | None = None,
    status: ArticleStatus | None = None, kind: ArticleKind | None = None,
    limit: Annotated[int, Query(ge=1, le=200)] = 50, offset: Annotated[int, Query(ge=0)] = 0,
) -> list[ArticleOut]:
    articles = await service.list_articles(
        session, unit_id=unit_id, status=status, kind=kind, limit=limit, offset=offset)
    return [ArticleOut.model_validate(article) for article in articles]


@router.get("/articles/{article_id}")
async def get_article(article_id: int, session: SessionDep, user: CurrentUser) -> ArticleOut:
    return ArticleOut.model_validate(await service.get_article(session, article_id))


@router.patch("/articles/{article_id}")
async def update_article(
    article_id: int, changes: ArticleUpdate, session: SessionDep, user: Writer,
    clock: ClockDep, calendar: CalendarDep, policy: PolicyDep,
) -> ArticleOut:
    article = await service.update_article(
        session, user, article_id, changes, clock(), calendar, policy)
    return ArticleOut.model_validate(article)


@router.post("/articles/{article_id}/publish")
async def publish_article(
    article_id: int, session: SessionDep, user: Writer, clock: ClockDep
) -> ArticleOut:
    return ArticleOut.model_validate(await service.publish(session, user, article_id, clock()))


@router.post("/articles/{article_id}/withdraw")
async def withdraw_article(
    article_id: int, session: SessionDep, user: Writer, clock: ClockDep
) -> ArticleOut:
    return ArticleOut.model_validate(await service.withdraw(session, user, article_id, clock()))


@router.post("/articles/{article_id}/findings")
async def record_finding(
    article_id: int, data: FindingCreate, session: SessionDep, user: Checker, clock: ClockDep,
    calendar: CalendarDep, policy: PolicyDep,
) -> ArticleOut:
    article = await service.record_finding(
        session, user, article_id, data.finding, clock(), calendar, policy)
    return ArticleOut.model_validate(article)


@router.get("/search")
async def search(
    session: SessionDep, user: CurrentUser, clock: ClockDep,
    q: Annotated[str, Query(max_length=200)] = "",
    limit: Annotated[int, Query(ge=1, le=50)] = 10,
) -> list[SearchHit]:
    hits = await service.search(session, q, clock(), limit)
    return [
        SearchHit(
            id=hit.article.id, unit_id=hit.article.unit_id, title=hit.article.title,
            kind=ArticleKind(hit.article.kind), score=hit.score, terms=hit.terms,
            snippet=snippet(hit.article.body, hit.terms),
        )
        for hit in hits
    ]


@router.get("/review-due")
async def review_due(
    session: SessionDep, user: CurrentUser, clock: ClockDep, unit_id: int | None = None
) -> list[ReviewItem]:
    """Deadlines past or within a day; a unit handler sees only its own unit's."""
    if user.role is Role.UNIT_HANDLER:
        unit_id = user.unit_id
    entries = await service.review_due(session, clock(), unit_id)
    return [
        ReviewItem(article=ArticleOut.model_validate(entry.article), reason=entry.reason,
                   due=entry.due, overdue=entry.overdue)
        for entry in entries
    ]
