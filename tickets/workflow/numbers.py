"""Ticket numbers: digits only, so a caller can key one in, with a check digit."""

from datetime import datetime

from kernel.clock import beijing
from kernel.numbers import luhn_digit


def ticket_number(ticket_id: int, created_at: datetime) -> str:
    """``yymmdd`` + the id (at least 6 digits) + a Luhn digit; unique because ids are."""
    body = f"{beijing(created_at):%y%m%d}{ticket_id:06d}"
    return body + luhn_digit(body)
