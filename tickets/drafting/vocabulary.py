"""The words drafting reads for: every cue of its lexicons, the words inside its patterns,
its word lists (negators, place suffixes, …), harvested from the field modules themselves
so that a word added to a lexicon is heard by sound at once, with nothing to keep in step.

From a pattern only its literal words count: ``(煤气|燃气)[^|]{0,8}(漏|泄)`` gives 煤气 and
燃气; character classes (``[着起]``) and single characters give none.
"""

import re
from collections.abc import Iterable, Iterator
from functools import lru_cache
from types import ModuleType

from tickets.drafting import modality
from tickets.drafting.cues import Lexicon
from tickets.drafting.fields import (
    category,
    emergency,
    flags,
    phone,
    place,
    place_words,
    refusal,
    request_type,
    urgency,
)
from tickets.drafting.gazetteer import Gazetteer, builtin
from tickets.drafting.hearing import Hearing, SoundIndex

MODULES: tuple[ModuleType, ...] = (modality, category, emergency, flags, phone, place,
                                   place_words, refusal, request_type, urgency)
_CLASS = re.compile(r"\[[^\]]*\]")  # a character class: no word
_ESCAPE = re.compile(r"\\.")
_HAN = re.compile(r"[\u4e00-\u9fff]{2,}")
# lists of words drafting reads as what they are, never as what they might be misheard for
NOT_HEARD = frozenset({"STOP", "COMMON", "LOCATIVES", "NON_NEGATING", "_EMPTY", "COMMON_WORDS"})
# in a call to the hotline, its cue words and the deployment's places are said far more often
# than in general text (log lift), and a place is never taken as rarer than PLACE_FLOOR
CUE_LIFT = 1.0
PLACE_LIFT = 1.0
PLACE_FLOOR = -13.0
LONGEST = 8  # longer literals are phrases, not words a recogniser garbles as one


def literals(pattern: str) -> list[str]:
    """The words (two Chinese characters or more) a regular expression spells out."""
    stripped = _ESCAPE.sub(" ", _CLASS.sub(" ", pattern))
    return [w for w in _HAN.findall(stripped) if len(w) <= LONGEST]


def _from(value: object) -> Iterator[str]:
    """The words of one module attribute: a lexicon, a pattern, a word list."""
    if isinstance(value, Lexicon):
        for word in value.literals:
            yield from literals(word)
        for regex, _ in value.patterns:
            yield from literals(regex.pattern)
    elif isinstance(value, re.Pattern):
        yield from literals(value.pattern)
    elif isinstance(value, str):
        yield from literals(value)
    elif isinstance(value, (list, tuple, set, frozenset)):
        for item in value:
            if isinstance(item, (str, re.Pattern, Lexicon)):
                yield from _from(item)
    elif isinstance(value, dict):
        for key, item in value.items():
            yield from _from(key)
            yield from _from(item)


def harvest(modules: Iterable[ModuleType]) -> frozenset[str]:
    """Every word of every public or private constant of ``modules`` (not the lists of
    words that are only what they are: function words, everyday words)."""
    found: set[str] = set()
    for module in modules:
        for name, value in vars(module).items():
            if (name.isupper() or (name.startswith("_") and name[1:].isupper())) \
                    and name not in NOT_HEARD:
                found.update(_from(value))
    return frozenset(found)


@lru_cache(maxsize=1)
def words() -> frozenset[str]:
    """The drafting's own vocabulary (built once per process)."""
    return harvest(MODULES)


@lru_cache(maxsize=1)
def _own_index() -> SoundIndex:
    return SoundIndex(words(), CUE_LIFT)


def place_names(gazetteer: Gazetteer) -> tuple[list[str], list[str]]:
    """The gazetteer's names heard by sound: (China's divisions of three characters or more,
    the deployment's own names of two or more). The divisions' two-character short forms
    (章丘, 市中) collide with everyday words too often: they are heard with their suffix."""
    divisions = builtin().names
    common, local = [], []
    for surface, entry in gazetteer.names.items():
        if divisions.get(surface) != entry or (gazetteer.is_own(surface) and len(surface) >= 3):
            local.append(surface)
        elif len(surface) >= 3:
            common.append(surface)
    return common, local


def hearing_for(gazetteer: Gazetteer) -> Hearing:
    """The drafting's words and the gazetteer's names (the names' index is built once per
    gazetteer and kept with it)."""
    found = getattr(gazetteer, "_hearing", None)
    if isinstance(found, Hearing):
        return found
    common, local = place_names(gazetteer)
    hearing = _hearing(frozenset(common), frozenset(local))
    object.__setattr__(gazetteer, "_hearing", hearing)  # frozen: a cache, not a field
    return hearing


@lru_cache(maxsize=4)
def _hearing(common: frozenset[str], local: frozenset[str]) -> Hearing:
    """The hearing of these names (a gazetteer reloaded with the same places reuses it)."""
    return Hearing(_own_index(),
                   _division_index() if common <= _division_names()
                   else SoundIndex(common, PLACE_LIFT, PLACE_FLOOR, place_words.SUFFIXES,
                                   places=True),
                   SoundIndex(local, PLACE_LIFT, PLACE_FLOOR, place_words.SUFFIXES, local=True,
                              places=True),
                   endings=place_words.SUFFIXES)


@lru_cache(maxsize=1)
def _division_names() -> frozenset[str]:
    return frozenset(place_names(builtin())[0])


@lru_cache(maxsize=1)
def _division_index() -> SoundIndex:
    """China's divisions, indexed once per process (every gazetteer holds them)."""
    return SoundIndex(_division_names(), PLACE_LIFT, PLACE_FLOOR, place_words.SUFFIXES, places=True)
