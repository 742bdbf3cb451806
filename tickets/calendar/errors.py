"""Errors of the calendar."""

from tickets.errors import DomainError


class BadCalendarFile(DomainError):
    status = 422
    error_id = "bad-calendar-file"
