"""The place of occurrence (wuhai 6.1.5): the place names the caller gives, in order.

A caller says places as the recogniser splits them: ``章丘 区 相公庄 街道 南明 村``,
``美林 小区 七 号楼``. A token is part of a place when it is a known name (gazetteer), a
place suffix (区 街道 村 小区 路 号楼 医院 …) or a name word right before a suffix; house
numbers join the place they follow (``世纪大道108号``). A number corrected in the same breath
replaces the first (``八号楼 不对 九号楼``). The place is the caller's place spans joined.
"""

import re
from dataclasses import dataclass

from tickets.drafting import placenames, wordclass
from tickets.drafting.fields.place_words import (
    ADMIN,
    COMMON,
    CORRECTIONS,
    DIRECTIONS,
    LANDMARK_SET,
    LOCATIVES,
    NUMBERED_ROADS,
    OWNED_BY,
    ROAD_LIKE,
    SPLIT_SUFFIXES,
    STOP,
    STRONG_UNITS,
    SUFFIXES,
    SURNAMES,
    TOWN_OR_VILLAGE,
    UNITS,
    VILLAGE_OR_ROAD,
)
from tickets.drafting.gazetteer import Gazetteer, PlaceKind
from tickets.drafting.transcript import Call, Utterance

_DIGITS = re.compile(r"\d+")
_SUFFIX_SET = frozenset(SUFFIXES)
_SUFFIX_LENGTHS = sorted({len(s) for s in SUFFIXES}, reverse=True)
CORRECTION_REACH = 5  # a correction word just before a place (不对 是 九号楼), not 不是 在 网上 …
SOUND_DOUBT = 0.07  # confidence lost per step of sound distance of a snapped name


@dataclass
class _Token:
    text: str
    place: bool = False
    kind: str = ""  # the suffix or unit that made it a place, for corrections
    numbered: bool = False  # digits and a unit: 3号楼, 2单元
    conf: float = 1.0  # the recogniser's confidence in its least sure character
    distance: int = -1  # how far the sound of a snapped name was (-1: as written)


def _joined(parts: list[_Token], kind: str = "", numbered: bool = False) -> _Token:
    """Tokens as one, as sure as the least sure, as far as the farthest."""
    return _Token("".join(t.text for t in parts), kind=kind, numbered=numbered,
                  conf=min(t.conf for t in parts), distance=max(t.distance for t in parts))


def _merge_numbers(utterance: Utterance) -> list[_Token]:
    """Digits and the unit after them as one token: 7 号 院 → 7号院."""
    confs, distances = utterance.marks()
    words = [_Token(w, conf=c, distance=d)
             for w, c, d in zip(utterance.words, confs, distances, strict=True)]
    out: list[_Token] = []
    i = 0
    while i < len(words):
        word = words[i].text
        following = [t.text for t in words[i + 1:i + 3]]
        if _DIGITS.fullmatch(word) and following:
            unit = following[0]
            if unit == "号" and following[1:] and following[1] in ("楼", "院", "门"):
                out.append(_joined(words[i:i + 3], kind="号" + following[1], numbered=True))
                i += 3
                continue
            if unit in UNITS:
                out.append(_joined(words[i:i + 2], kind=unit, numbered=True))
                i += 2
                continue
        if following and len(word) >= 2 and word + following[0] in SPLIT_SUFFIXES:
            out.append(_joined(words[i:i + 2]))  # 工业 园: the recogniser split 工业园
            i += 2
            continue
        out.append(words[i])
        i += 1
    return out


def _merge_known(tokens: list[_Token], gazetteer: Gazetteer) -> list[_Token]:
    """Words that make one known name become one token: 汉城 湖 公园, 浦东 新区, and 前进 区
    (前进 is a verb, so the suffix rules would not take it as a name)."""
    tokens = _merge_long(tokens, gazetteer)
    out: list[_Token] = []
    for token in tokens:
        if out and not out[-1].numbered and not token.numbered and _known_pair(
                out[-1].text, token.text, gazetteer):
            out[-1] = _joined([out[-1], token])
            continue
        out.append(token)
    return out


def _merge_long(tokens: list[_Token], gazetteer: Gazetteer) -> list[_Token]:
    """Three or four words that spell a known name, as the recogniser split it."""
    out: list[_Token] = []
    i = 0
    while i < len(tokens):
        for size in (4, 3):
            part = tokens[i:i + size]
            if len(part) == size and not any(t.numbered for t in part) and \
                    gazetteer.lookup("".join(t.text for t in part)) is not None:
                out.append(_joined(part))
                i += size
                break
        else:
            out.append(tokens[i])
            i += 1
    return out


def _known_pair(first: str, second: str, gazetteer: Gazetteer) -> bool:
    """Whether ``first`` + ``second`` is a known name the suffix rules may miss."""
    if gazetteer.lookup(first + second) is None:
        return False
    if second in SUFFIXES:  # 上党 区 the rules get; 前进 区 they do not
        return gazetteer.lookup(first) is None and len(first) >= 2
    return gazetteer.lookup(first) is not None


def _suffix(word: str) -> str | None:
    """The place suffix a word is or ends with (fused: 南明村), unless it is an everyday word."""
    if word in SUFFIXES:
        return word
    if word in COMMON or len(word) > 8:
        return None
    for size in _SUFFIX_LENGTHS:  # longest first, as SUFFIXES are
        if len(word) > size and word[-size:] in _SUFFIX_SET:
            return word[-size:]
    return None


def _is_name_word(word: str, suffix: str = "", first: bool = False) -> bool:
    """A word that can be part of a place's name before ``suffix``.

    One character is a name only as a direction (紫金 西 街) or, before a village or road, a
    surname (张 村, 王 庄); otherwise it is a verb or particle (跑 网吧). A locative word
    names a town or village only right before it (``first``: 台上 镇).
    """
    if word in STOP or _DIGITS.search(word) or len(word) > 6 or word == "|":
        return False
    if len(word) == 1:
        return word in DIRECTIONS or (word in SURNAMES and suffix in VILLAGE_OR_ROAD)
    if wordclass.never_a_name(word):
        return False
    if wordclass.locative(word) and not (first and suffix in TOWN_OR_VILLAGE):
        return False
    return suffix in ROAD_LIKE or not wordclass.common_verb(word)


def _mark(tokens: list[_Token], gazetteer: Gazetteer) -> None:
    """Flag the tokens that belong to a place."""
    for token in tokens:
        if gazetteer.lookup(token.text) is not None:
            token.place, token.kind = True, "name"
        elif token.numbered:  # 3号楼
            token.place = token.kind in STRONG_UNITS or token.kind.startswith("号")
        elif (suffix := _suffix(token.text)) is not None:
            token.place, token.kind = True, suffix
    for i, token in enumerate(tokens):
        if token.kind and not token.numbered and token.text in SUFFIXES:
            _absorb_names(tokens, i)
        if token.place and token.kind in ("name", *ADMIN):
            _extend_admin(tokens, i)
    for i, token in enumerate(tokens):  # floors and units only count next to a place
        if token.numbered and not token.place and (
                (i and tokens[i - 1].place) or (i + 1 < len(tokens) and tokens[i + 1].place)):
            token.place = True


def _spell_own(tokens: list[_Token], gazetteer: Gazetteer) -> None:
    """A place of the deployment said by its short form (未央 for 未央区, 陌南 for 陌南镇) is
    written as the place list spells it, unless an ending follows (未央 路 is a road)."""
    for i, token in enumerate(tokens):
        entry = gazetteer.lookup(token.text) if token.kind == "name" else None
        if entry is None or entry[0] == token.text or not gazetteer.is_own(entry[0]) \
                or not entry[0].startswith(token.text):
            continue
        following = tokens[i + 1].text if i + 1 < len(tokens) else ""
        if following in SUFFIXES or following in UNITS or following in DIRECTIONS:
            continue
        token.text = entry[0]


def _absorb_names(tokens: list[_Token], i: int) -> None:
    """The name words before a bare suffix token (泉城 路, 紫金 西 街) join the place."""
    suffix = tokens[i].text
    limit = 4 if suffix in ROAD_LIKE else 3
    j = i - 1
    if suffix in NUMBERED_ROADS and j >= 0 and _DIGITS.fullmatch(tokens[j].text):
        tokens[j].place = True
        return
    fused = j >= 0 and tokens[j].kind not in ("", "name") and tokens[j].text not in SUFFIXES \
        and suffix in ROAD_LIKE and not tokens[j].numbered  # 滨河 路: a road named after a river
    if j >= 0 and tokens[j].text != suffix and tokens[j].text.endswith(suffix):
        tokens[i].place = False  # 前进区 区 政府: the suffix said again
        return
    if j >= 0 and tokens[j].text in OWNED_BY and suffix in LANDMARK_SET:
        tokens[j].place = tokens[i].place = True  # 市 图书馆, 县 医院: the city's own
        return
    if j >= 0 and tokens[j].kind not in ("", "name") and not fused:
        # after another place suffix: 南明 村 村 北 repeats, 景区 停车场 has no name of its own
        tokens[i].place = tokens[j].place and tokens[j].text != suffix
        return
    if fused:
        j -= 1
    while j >= 0 and i - j <= limit and _is_name_word(tokens[j].text, suffix, j == i - 1) \
            and tokens[j].kind in ("", "name") and _suffix(tokens[j].text) is None:
        j -= 1  # through known names too: 阳光 新城 小区 (新城 is also a county's short name)
        if tokens[j + 1].kind == "name" and suffix in ADMIN:
            break  # 盖 房子 章丘 区: a division's name is whole
    if j == i - 1 and not (j >= 0 and tokens[j].place):
        tokens[i].place = False  # 我们 小区: a suffix without a name is no place
        return
    for k in range(j + 1, i):
        tokens[k].place = True


def _extend_admin(tokens: list[_Token], i: int) -> None:
    """A name right after a district and before 这/那边 is a neighbourhood (东昌区 江南 这一片)."""
    j = i + 1
    if j < len(tokens) and tokens[j].text in ADMIN:
        j += 1
    if j + 1 < len(tokens) and not tokens[j].place and len(tokens[j].text) >= 2 \
            and _is_name_word(tokens[j].text) and tokens[j + 1].text in LOCATIVES:
        tokens[j].place, tokens[j].kind = True, "neighbourhood"


@dataclass(frozen=True)
class Place:
    """The place of occurrence as text ("" when none was given), its parts and a confidence."""

    address: str
    confidence: float
    parts: tuple[str, ...] = ()


def _spans(tokens: list[_Token]) -> list[tuple[list[_Token], bool]]:
    """Runs of place tokens, each with whether a correction word came just before it."""
    spans: list[tuple[list[_Token], bool]] = []
    run: list[_Token] = []
    gap: list[str] = []
    for token in [*tokens, _Token("|")]:
        if token.place:
            run.append(token)
            continue
        if run and not _is_bus_line(run) and not all(
                t.numbered and t.kind not in STRONG_UNITS for t in run):
            spans.append((run, any(c in "".join(gap)[-CORRECTION_REACH:] for c in CORRECTIONS)))
        if run:
            run, gap = [], []
        gap.append(token.text)
    return spans


def _is_bus_line(run: list[_Token]) -> bool:
    return len(run) == 2 and _DIGITS.fullmatch(run[0].text) is not None and run[1].text == "路"


def extract(call: Call, gazetteer: Gazetteer) -> Place:
    """The caller's places joined in the order spoken; repeats and corrected parts dropped."""
    parts: list[list[_Token]] = []
    loose = placenames.index_for(gazetteer, SUFFIXES)
    for _, heard in call.of("caller"):
        tokens = _merge_known(_merge_numbers(placenames.respelt(heard, loose)), gazetteer)
        _mark(tokens, gazetteer)
        _spell_own(tokens, gazetteer)
        for run, corrected in _spans(tokens):
            if corrected and parts and parts[-1][-1].kind == run[0].kind:
                parts[-1].pop()  # 八号楼 不对 九号楼: the corrected part goes
                if not parts[-1]:
                    parts.pop()
            _add(parts, run)
    texts = tuple(_text(part) for part in parts)
    if not texts:
        return Place("", 0.6)
    tokens = [token for part in parts for token in part]
    return Place("".join(texts), min(0.9, 0.55 + 0.1 * len(texts))
                 * heard_as(min(t.conf for t in tokens), max(t.distance for t in tokens)), texts)


def heard_as(conf: float, distance: int) -> float:
    """How much of a field's confidence survives the recogniser's doubt (its confidence in
    the words) and the sound distance of a snapped word (-1: none snapped)."""
    return (0.5 + 0.5 * conf) * (1.0 - SOUND_DOUBT * (distance + 1))


def _add(parts: list[list[_Token]], run: list[_Token]) -> None:
    """Add a run unless already said; a run that goes on from an earlier one extends it."""
    text = _text(run)
    if any(text in _text(earlier) for earlier in parts):
        return
    parts[:] = [earlier for earlier in parts if _text(earlier) not in text]
    for earlier in parts:  # 市中区经二路 + 经二路210号 → 市中区经二路210号
        for k in range(len(run) - 1, 0, -1):
            if [t.text for t in earlier[-k:]] == [t.text for t in run[:k]]:
                earlier.extend(run[k:])
                return
    parts.append(run)


def _text(part: list[_Token]) -> str:
    return "".join(t.text for t in part)


def kinds_in(address: str, gazetteer: Gazetteer) -> list[tuple[str, PlaceKind]]:
    """The known names in an address, for routing by territory."""
    return [(found.name, found.kind) for found in gazetteer.find(address)]
