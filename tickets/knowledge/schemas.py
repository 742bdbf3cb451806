"""What the knowledge-base API reads and writes."""

from datetime import datetime
from typing import Annotated, Literal

from pydantic import AwareDatetime, BaseModel, ConfigDict, Field, StringConstraints

from kernel.schemas import Strict
from tickets.knowledge.models import ArticleKind, ArticleStatus

Title = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=200)]
Body = Annotated[str, StringConstraints(max_length=200_000)]


class ArticleCreate(Strict):
    """A new article; a unit handler's goes to its own unit when ``unit_id`` is left out."""

    unit_id: int | None = None
    title: Title
    body: Body = ""
    kind: ArticleKind
    valid_from: AwareDatetime | None = Field(
        default=None, description="defaults to publish_at, else now"
    )
    valid_until: AwareDatetime | None = None
    publish_at: AwareDatetime | None = Field(
        default=None, description="a new policy's planned publication (zhanjiang 18(二))"
    )


class ArticleUpdate(Strict):
    """A change to an article: only the fields given change; ``version`` is the one read."""

    version: int
    title: Title | None = None
    body: Body | None = None
    kind: ArticleKind | None = None
    valid_from: AwareDatetime | None = None
    valid_until: AwareDatetime | None = None
    publish_at: AwareDatetime | None = None


class FindingCreate(Strict):
    """An error or gap the hotline office found in an article (核查存在错漏信息)."""

    finding: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1)]


class ArticleOut(BaseModel):
    """An article as the API shows it."""

    model_config = ConfigDict(from_attributes=True)

    id: int
    unit_id: int
    title: str
    body: str
    kind: ArticleKind
    status: ArticleStatus
    valid_from: datetime
    valid_until: datetime | None
    publish_at: datetime | None
    entry_due: datetime | None
    entered_late: bool
    published_at: datetime | None
    finding: str | None
    found_at: datetime | None
    correction_due: datetime | None
    corrected_late: bool
    created_at: datetime
    updated_at: datetime
    version: int


class SearchHit(BaseModel):
    """One search result: the article, its score and the query words it matched."""

    id: int
    unit_id: int
    title: str
    kind: ArticleKind
    score: float
    terms: list[str] = Field(description="query words found in the article, to highlight")
    snippet: str = Field(description="a stretch of the body around the first matched word")


class ReviewItem(BaseModel):
    """An article whose upkeep deadline has passed or passes within a day."""

    article: ArticleOut
    reason: Literal["correction", "entry"]
    due: datetime
    overdue: bool
