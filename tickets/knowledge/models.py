"""Knowledge-base articles and their word index (zhanjiang 第十八条)."""

from datetime import datetime
from enum import StrEnum

from sqlalchemy import ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from tickets.database import Base


class ArticleKind(StrEnum):
    """What an article tells (zhanjiang 18: 职责、清单、服务事项、联系方式、时间、政策、口径)."""

    DUTY = "duty"
    LIST = "list"
    SERVICE = "service"
    CONTACT = "contact"
    HOURS = "hours"
    POLICY = "policy"
    EMERGENCY_SCRIPT = "emergency_script"
    FAQ = "faq"


class ArticleStatus(StrEnum):
    """Where an article stands: only published articles are searched."""

    DRAFT = "draft"
    PUBLISHED = "published"
    WITHDRAWN = "withdrawn"


class Article(Base):
    """One entry of the knowledge base, owned by the unit that keeps it up to date."""

    __tablename__ = "kb_articles"
    __table_args__ = (
        Index("ix_kb_articles_unit", "unit_id", "status"),
        Index("ix_kb_articles_status_valid", "status", "valid_from"),
        Index("ix_kb_articles_correction_due", "correction_due"),
        Index("ix_kb_articles_entry_due", "entry_due"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    unit_id: Mapped[int] = mapped_column(ForeignKey("units.id"))
    title: Mapped[str] = mapped_column(String(200))
    body: Mapped[str] = mapped_column(Text, default="")
    kind: Mapped[str] = mapped_column(String(20))
    status: Mapped[str] = mapped_column(String(12), default=ArticleStatus.DRAFT.value)
    valid_from: Mapped[datetime]
    valid_until: Mapped[datetime | None]
    # A new policy: when it goes public, and the latest time its article had to be entered
    # (zhanjiang 18(二): 3 to 10 working days before publication).
    publish_at: Mapped[datetime | None]
    entry_due: Mapped[datetime | None]
    entered_late: Mapped[bool] = mapped_column(default=False)
    published_at: Mapped[datetime | None]
    # An error found by the hotline office must be corrected within 2 working days (zhanjiang 18).
    finding: Mapped[str | None] = mapped_column(Text)
    found_at: Mapped[datetime | None]
    correction_due: Mapped[datetime | None]
    corrected_late: Mapped[bool] = mapped_column(default=False)
    # Sum of the index weights: the document length BM25 normalises by.
    term_total: Mapped[float] = mapped_column(default=0.0)
    created_at: Mapped[datetime]
    updated_at: Mapped[datetime]
    version: Mapped[int] = mapped_column(default=1)

    __mapper_args__ = {"version_id_col": version}


class ArticleTerm(Base):
    """One word of an article and how often it occurs there (title words count more)."""

    __tablename__ = "kb_terms"
    __table_args__ = (Index("ix_kb_terms_term", "term"),)

    article_id: Mapped[int] = mapped_column(
        ForeignKey("kb_articles.id", ondelete="CASCADE"), primary_key=True
    )
    term: Mapped[str] = mapped_column(String(64), primary_key=True)
    weight: Mapped[float]
