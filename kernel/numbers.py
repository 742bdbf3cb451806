"""The ticket number's check digit: the tickets number with it, the IVR checks keyed ones.

A ticket number is ``yymmdd`` + the ticket's id (six digits or more) + a Luhn digit.
"""

TICKET_NUMBER_MIN_DIGITS = 13  # yymmdd (6) + an id of at least 6 digits + the check digit
TICKET_NUMBER_MAX_DIGITS = 20


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


def is_ticket_number(text: str) -> bool:
    """Whether ``text`` can be a ticket number: digits, its length, a right check digit."""
    return (text.isdigit()
            and TICKET_NUMBER_MIN_DIGITS <= len(text) <= TICKET_NUMBER_MAX_DIGITS
            and luhn_digit(text[:-1]) == text[-1])
