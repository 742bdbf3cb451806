"""What a unit may read of a confidential ticket: its free text without the requester in it.

A requester who asked for confidentiality (shandong 23) is hidden from the units; the
agent's own words in the content, the summary or a step's reason often repeat the name and
the number ("王先生来电，电话13812345678"). For a unit, every phone number in such texts is
masked whole (each digit a ``*``: the number cannot be guessed from a part of it) and the
requester's name (and an enterprise requester's name) becomes ``*``s, as does the family
name before a form of address (王先生 → *先生). Other text is untouched: the place and the
matter are what the unit needs to act.
"""

import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import TypeVar

from tickets.principal import Principal
from tickets.workflow.models import Ticket

# a mobile (+86 optional, 138 1234 5678 or 138-1234-5678 too) or a landline (0435-3333333);
# digit boundaries keep ticket numbers (13 digits, never starting with 0) whole
PHONE = re.compile(
    r"(?<![0-9])(?:(?:\+?86[- ]?)?1[3-9][0-9](?:[- ]?[0-9]{4}){2}"
    r"|0[0-9]{2,3}[- ]?[0-9]{7,8})(?![0-9])")
ADDRESS_FORMS = ("先生", "女士", "小姐", "师傅", "老师", "阿姨", "大爷", "大妈", "大姐",
                 "大哥", "老人", "同志", "奶奶", "爷爷")
TWO_CHARACTER_SURNAMES = ("欧阳", "司马", "诸葛", "上官", "东方", "皇甫", "令狐", "慕容",
                          "尉迟", "公孙", "长孙", "宇文", "司徒", "夏侯", "轩辕", "端木")
T = TypeVar("T")


def _stars(match: re.Match[str]) -> str:
    return re.sub(r"[0-9]", "*", match.group(0))


@dataclass(frozen=True)
class Masker:
    """Masks one confidential ticket's requester out of texts shown to a unit."""

    names: tuple[str, ...]
    surname: str | None
    phone: str | None

    def text(self, value: str) -> str:
        """``value`` without the requester's phone numbers and name."""
        if not value:
            return value
        masked = PHONE.sub(_stars, value)
        if self.phone and sum(c.isdigit() for c in self.phone) >= 5:  # whatever its format
            masked = masked.replace(self.phone, re.sub(r"[0-9]", "*", self.phone))
        for name in self.names:
            masked = masked.replace(name, "*" * len(name))
        if self.surname:
            forms = "|".join(ADDRESS_FORMS)
            masked = re.sub(f"{re.escape(self.surname)}(?=(?:{forms}))",
                            "*" * len(self.surname), masked)
        return masked

    def optional(self, value: str | None) -> str | None:
        return None if value is None else self.text(value)

    def data(self, value: T) -> T:
        """Every string inside ``value`` (a step's data: dicts, lists) masked."""
        return _walk(value, self.text)


def _walk(value: T, mask: Callable[[str], str]) -> T:
    if isinstance(value, str):
        return mask(value)  # type: ignore[return-value]
    if isinstance(value, dict):
        return {k: _walk(v, mask) for k, v in value.items()}  # type: ignore[return-value]
    if isinstance(value, list):
        return [_walk(v, mask) for v in value]  # type: ignore[return-value]
    return value


def _surname(name: str | None) -> str | None:
    if not name:
        return None
    return next((s for s in TWO_CHARACTER_SURNAMES if name.startswith(s)), name[:1])


def masker_for(ticket: Ticket, actor: Principal) -> Masker | None:
    """The masker of ``ticket``'s texts for ``actor``; None when nothing is to be hidden."""
    if ticket.identity_disclosable or not actor.is_unit_handler:
        return None
    names = tuple(n for n in (ticket.requester_name, ticket.enterprise_name)
                  if n and len(n) >= 2)
    return Masker(names=tuple(sorted(names, key=len, reverse=True)),
                  surname=_surname(ticket.requester_name), phone=ticket.requester_phone)
