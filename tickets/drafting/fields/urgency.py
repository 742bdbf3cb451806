"""Urgency (wuhai 6.1): from the emergency, or from an immediate hazard to passers-by."""

import re

from tickets.drafting.draft import LIFE_THREATENING, Emergency
from tickets.drafting.transcript import Call
from tickets.enums import RequestType, Urgency

# a danger that may hurt someone any minute; told even as a fear (万一掉下来)
HAZARD = re.compile(
    r"(挂在半空|悬在半空|悬在|吊在半空|摇摇欲坠|随时[^|]{0,4}(掉|倒|塌|砸)|砸[着到伤]人|"
    r"电线[^|]{0,6}(垂|掉|落地|裸露)|井盖[^|]{0,4}(丢|没了|被偷)|树[^|]{0,6}(倒在|压在)|"
    r"快要?(倒|塌)了|有倒塌危险|马上就要?(倒|塌))")


def urgency(call: Call, emergency: Emergency | None, request_type: RequestType
            ) -> tuple[Urgency, float]:
    """非常紧急 for 110/119/120, 紧急 for traffic, utilities and hazards, else 一般."""
    if emergency in LIFE_THREATENING:
        return Urgency.VERY_URGENT, 0.9
    if emergency is not None:
        return Urgency.URGENT, 0.85
    if request_type in (RequestType.HELP, RequestType.COMPLAINT, RequestType.REPORT) \
            and HAZARD.search(call.text("caller")):
        return Urgency.URGENT, 0.6
    return Urgency.NORMAL, 0.85
