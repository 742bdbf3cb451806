"""Search: BM25 over the word index, on published articles valid at a given time.

Document frequencies are counted per query word in SQL, the logarithm is taken in Python, and
the per-article sum is plain SQL arithmetic (CASE, *, /, SUM), so it runs the same on SQLite and
PostgreSQL and returns only the best ``limit`` articles.
"""

from dataclasses import dataclass
from datetime import datetime
from math import log

from sqlalchemy import ColumnElement, Float, case, func, literal, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from kernel.clock import require_aware
from tickets.knowledge import segment
from tickets.knowledge.errors import EmptyQuery
from tickets.knowledge.models import Article, ArticleStatus, ArticleTerm

BM25_K1 = 1.2
BM25_B = 0.75


@dataclass(frozen=True)
class Hit:
    """A search result: the article, its BM25 score and the query words it contains."""

    article: Article
    score: float
    terms: list[str]



def _visible_at(at: datetime) -> list[ColumnElement[bool]]:
    return [
        Article.status == ArticleStatus.PUBLISHED.value,
        Article.valid_from <= at,
        or_(Article.valid_until.is_(None), Article.valid_until > at),
    ]


def _idf(total: int, containing: int) -> float:
    """BM25's inverse document frequency (the +1 keeps it positive for common words)."""
    return log(1.0 + (total - containing + 0.5) / (containing + 0.5))


def _bm25(idf: dict[str, float], avg_length: float) -> ColumnElement[float]:
    """Sum of the BM25 term scores of an article's rows; plain arithmetic, so SQL-portable."""
    tf = ArticleTerm.weight
    term_idf = case(*((ArticleTerm.term == t, literal(v, Float)) for t, v in idf.items()),
                    else_=literal(0.0, Float))
    length_norm = BM25_K1 * (1.0 - BM25_B + BM25_B * Article.term_total / avg_length)
    return func.sum(term_idf * tf * (BM25_K1 + 1.0) / (tf + length_norm))


async def _idf_per_term(
    session: AsyncSession, terms: list[str], visible: list[ColumnElement[bool]]
) -> tuple[dict[str, float], float]:
    """IDF of each query word found in a visible article, and the mean document length."""
    stats = await session.execute(
        select(func.count(Article.id), func.avg(Article.term_total)).where(*visible))
    total, avg_length = stats.one()
    counts = await session.execute(
        select(ArticleTerm.term, func.count(ArticleTerm.article_id))
        .join(Article, Article.id == ArticleTerm.article_id)
        .where(*visible, ArticleTerm.term.in_(terms)).group_by(ArticleTerm.term))
    idf = {str(term): _idf(int(total), int(count)) for term, count in counts}
    return idf, float(avg_length or 1.0)


async def search(session: AsyncSession, query: str, at: datetime, limit: int = 10) -> list[Hit]:
    """Published articles valid at ``at`` that share words with ``query``, best first."""
    require_aware(at)
    terms = segment.query_terms(query)
    if not terms:
        raise EmptyQuery("the query has no word to search for", query=query)
    visible = _visible_at(at)
    idf, avg_length = await _idf_per_term(session, terms, visible)
    if not idf:
        return []
    score = _bm25(idf, avg_length).label("score")
    ranked = [(int(i), float(s)) for i, s in await session.execute(
        select(ArticleTerm.article_id, score)
        .join(Article, Article.id == ArticleTerm.article_id)
        .where(*visible, ArticleTerm.term.in_(list(idf)))
        .group_by(ArticleTerm.article_id)
        .order_by(score.desc(), ArticleTerm.article_id.desc())
        .limit(limit))]
    ids = [article_id for article_id, _ in ranked]
    articles = {a.id: a for a in await session.scalars(select(Article).where(Article.id.in_(ids)))}
    matched: dict[int, set[str]] = {}
    for article_id, term in await session.execute(
            select(ArticleTerm.article_id, ArticleTerm.term)
            .where(ArticleTerm.article_id.in_(ids), ArticleTerm.term.in_(list(idf)))):
        matched.setdefault(article_id, set()).add(term)
    return [Hit(articles[i], s, [t for t in terms if t in matched.get(i, set())])
            for i, s in ranked]
