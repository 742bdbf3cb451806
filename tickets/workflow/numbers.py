"""Ticket numbers: digits only, so a caller can key one in, with a check digit."""

from datetime import datetime

from tickets.timeutil import beijing


def luhn_digit(digits: str) -> str:
    """The Luhn check digit of ``digits`` (catches a mistyped or swapped key)."""
    total = 0
    for index, char in enumerate(reversed(digits)):
        value = int(char)
        if index % 2 == 0:
            value *= 2
            if value > 9:
                value -= 9
        total += value
    return str((10 - total % 10) % 10)


def ticket_number(ticket_id: int, created_at: datetime) -> str:
    """``yymmdd`` + the id (at least 6 digits) + a Luhn digit; unique because ids are."""
    body = f"{beijing(created_at):%y%m%d}{ticket_id:06d}"
    return body + luhn_digit(body)


def is_well_formed(number: str) -> bool:
    """Whether ``number`` is all digits with a correct check digit."""
    return number.isdigit() and len(number) >= 8 and luhn_digit(number[:-1]) == number[-1]
