"""Refusals of the knowledge base."""

from tickets.errors import Forbidden, InvalidValue, NotFound


class ArticleNotFound(NotFound):
    status = 404
    error_id = "article-not-found"


class UnitNotFound(NotFound):
    status = 404
    error_id = "unit-not-found"


class NotYourUnit(Forbidden):
    """A unit handler may keep only its own unit's articles."""

    status = 403
    error_id = "article-of-another-unit"


class EmptyQuery(InvalidValue):
    """The query has no searchable word (only punctuation or function words)."""

    status = 422
    error_id = "empty-query"


class InvalidValidity(InvalidValue):
    """``valid_until`` is not after ``valid_from``."""

    status = 422
    error_id = "invalid-validity"
