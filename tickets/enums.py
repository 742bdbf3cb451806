"""The closed vocabularies of a ticket (wuhai 5.4, 6.1) and of its users."""

from enum import StrEnum


class RequestType(StrEnum):
    """诉求类型 (wuhai 5.4.1)."""

    CONSULTATION = "咨询"
    HELP = "求助"
    COMPLAINT = "投诉"
    REPORT = "举报"
    SUGGESTION = "建议"
    PRAISE = "表扬"
    INVALID = "无效"


class Category(StrEnum):
    """The twelve subject categories (wuhai 5.4.2)."""

    PUBLIC_SAFETY = "公共安全"
    URBAN_CONSTRUCTION = "城乡建设"
    HOUSING = "住房保障"
    ENVIRONMENT = "环境保护"
    TRANSPORT = "交通出行"
    EDUCATION_CULTURE = "科教文旅"
    HEALTH = "医疗卫生"
    ECONOMY = "经济综合"
    SOCIAL_SECURITY = "民生保障"
    PUBLIC_SERVICE = "公共服务"
    AGRICULTURE = "农林水土"
    PARTY_GOVERNMENT = "党务政务"


class Urgency(StrEnum):
    """紧急程度 (wuhai 6.1)."""

    NORMAL = "一般"
    URGENT = "紧急"
    VERY_URGENT = "非常紧急"


class Channel(StrEnum):
    """受理渠道 (wuhai 6.1)."""

    PHONE = "phone"
    WEB = "web"
    APP = "app"
    MINI_PROGRAM = "mini_program"
    WECHAT = "wechat"
    SMS = "sms"
    EMAIL = "email"
    GRID_WORKER = "grid_worker"
    PROVINCIAL_PLATFORM = "provincial_platform"
    NATIONAL_PLATFORM = "national_platform"


class Media(StrEnum):
    """The form the request arrived in (wuhai 6.1)."""

    VOICE = "voice"
    TEXT = "text"
    IMAGE = "image"
    VIDEO = "video"


class RequesterKind(StrEnum):
    """Who speaks: a citizen or a business (enterprise periods differ, shandong 15)."""

    CITIZEN = "citizen"
    ENTERPRISE = "enterprise"


class RefusalReason(StrEnum):
    """Why a request is not accepted (DIGEST §1); each profile admits a subset."""

    LITIGATION = "litigation"
    PETITION = "petition"
    SECRET = "secret"
    EMERGENCY = "emergency"
    HARASSMENT = "harassment"
    ILLEGAL = "illegal"
    PARTY_MILITARY = "party_military"
    VERTICAL_MANAGEMENT = "vertical_management"
    OUT_OF_JURISDICTION = "out_of_jurisdiction"
    REPEAT = "repeat"


class Role(StrEnum):
    """What a platform user may do."""

    AGENT = "agent"
    REVIEWER = "reviewer"
    SUPERVISOR = "supervisor"
    UNIT_HANDLER = "unit_handler"
    ADMIN = "admin"


class UnitRole(StrEnum):
    """A unit's part in a ticket: 主办 or 协办 (shandong 17, tonghua 16, zhanjiang 10)."""

    LEAD = "lead"
    CO = "co"


class SupervisionForm(StrEnum):
    """督办 forms (wuhai 6.5)."""

    SYSTEM = "system"
    PHONE = "phone"
    SMS = "sms"
    MEETING = "meeting"
    ON_SITE = "on_site"
    MEDIA = "media"
    LEADER_INSTRUCTION = "leader_instruction"
