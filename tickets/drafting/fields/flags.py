"""Yes/no fields: the caller speaks for a business; the caller asks to stay anonymous."""

import re

from tickets.drafting import modality
from tickets.drafting.cues import words
from tickets.drafting.transcript import Call

_BUSINESS = "(" + "|".join(words("""
    公司 企业 集团 厂 工厂 厂区 店 饭店 饭馆 餐馆 超市 酒店 宾馆 合作社 商行 门市 门店 诊所 药店
    药房 工作室 商户 个体户 车间 作坊 养殖场 农场 加工厂 小卖部 档口 民宿 农家乐 旅馆 客栈 面馆
    烧烤店 网店 摊位
""")) + ")"
_ROLE = "(" + "|".join(words("""
    负责人 老板 法人 会计 出纳 经理 人事 财务 行政 安全员 理事长 厂长 店长 老板娘 主任 董事长
    总经理 法定代表人 股东
""")) + ")"
_WORKER = r"(员工|职工|工人|打工|上班|干活|临时工|农民工)"
# first-person ties to a business the caller acts for
_CUSTOMER = "(顾客|客户|消费者|会员|学员|业主|租户|住户|病人|患者|家长|乘客|用户|邻居)"
ENTERPRISE = [
    re.compile(rf"我是[^|]{{0,16}}?{_BUSINESS}的?{_ROLE}"),
    re.compile(rf"我是[^|]{{0,16}}?{_BUSINESS}的(?!{_WORKER}|{_CUSTOMER})"),
    re.compile(rf"我们是[^|]{{0,12}}{_BUSINESS}"),
    re.compile(r"我(这边|这里)?是[^|]{0,6}(做生意|做买卖|开店|个体户|个体工商户|老板)"),
    re.compile(rf"我是[^|]{{0,10}}开[^|]{{0,4}}?{_BUSINESS}的"),
    re.compile(rf"(我们|俺们|咱们)(这个|这家|家)?{_BUSINESS}(?!的?(拖欠|欠|不发|克扣))"),
    re.compile(r"(我|我们)(店里|厂里|公司里|店门口|厂门口|公司门口)"),
    re.compile(r"(我们|我)的?(生产线|仓库|厂房|货|客户|营业执照|生意)"),
    re.compile(rf"我(?:们)?(?:自己)?(开了?|经营)[^|]{{0,2}}(一家|一个|个)[^|]{{0,6}}{_BUSINESS}"),
    re.compile(rf"我在[^|]{{0,20}}?(开了?|经营)[^|]{{0,2}}(一家|一个|一间|个|间)[^|]{{0,6}}{_BUSINESS}"),
    re.compile(rf"{_ROLE}(姓|叫)"),
    re.compile(rf"我是(?:(?!{_WORKER}|干活)[^|]){{0,16}}的(老板|老板娘|负责人|法人|店长|厂长|经理|"
               r"董事长|总经理|掌柜)(?!欠|拖|不给|克扣|不发)"),
]
# not a business voice: an employee complaining about the employer
WORKER = re.compile(rf"(我是|我在|我们是)(?:(?!{_ROLE})[^|]){{0,16}}{_WORKER}|"
                    r"欠[^|]{0,6}工资|拖欠[^|]{0,4}工资|"
                    r"(没|不)发工资|工资[^|]{0,4}没发")

CONFIDENTIAL = [
    re.compile(r"(别|不要|千万别|可别|(?<!能)不能|不想|别让|不要让|不想让)[^|]{0,8}(说|讲|告诉|透露|暴露|提|知道|泄露|给|公开)[^|]{0,8}(是我|我的|我电话|我名字|我$|我\|)"),
    re.compile(r"(别|不要|千万别|可别)[^|]{0,3}(提|说|讲|透露|暴露|泄露|供出)(我|到我)"),
    re.compile(r"(别|不要|千万别|可别|莫要|莫)[^|]{0,4}(说|讲|透露|告诉[^|]{0,3})是[^|]{0,6}"
               r"(反映|投诉|举报|报|打|说)的"),
    re.compile(r"(别|不要|千万别|可别)[^|]{0,3}把我[^|]{0,4}(电话|号码|名字|信息|姓名)"),
    re.compile(r"(别|不要|千万别|可别|莫)[^|]{0,2}给?(透露|泄露|说|传)出去"),
    re.compile(r"(保密|保个密|保下密|保一下密|匿名|隐藏我|替我保密|不留名|不要留名|别留名|"
               r"不方便留名|不留名字)"),
    re.compile(r"(别|不要|不想|不能)[^|]{0,6}(知道|暴露|透露|泄露|公开)[^|]{0,4}(身份|是谁|我是谁)"),
    re.compile(r"我的?[^|]{0,2}(信息|名字|电话|身份|姓名)[^|]{0,4}(别|不要|不能)[^|]{0,4}"
               r"(告诉|透露|泄露|公开|给|说)"),
]
NOT_CONFIDENTIAL = re.compile(r"((让他们|让他|让她|就要让他|就让他们?)[^|]{0,2}知道(是我|我)|"
                              r"(可以|能|直接|尽管|就)(告诉|说)[^|]{0,4}是我|"
                              r"(啥|什么)好保密|(不用|不需要|不必|无需)保密)")


def enterprise(call: Call) -> tuple[bool, float]:
    """Whether the caller speaks for a business (enterprise deadlines differ, shandong 15)."""
    text = call.text("caller")
    hits = sum(1 for pattern in ENTERPRISE if pattern.search(text))
    if hits and WORKER.search(text) and hits < 2:
        return False, 0.6
    if hits:
        return True, min(0.95, 0.7 + 0.1 * hits)
    return False, 0.9


def confidential(call: Call) -> tuple[bool, float]:
    """Whether the caller asked that their identity not be revealed (shandong 23)."""
    text = call.text("caller")
    for match in NOT_CONFIDENTIAL.finditer(text):
        if not modality.negated(text, match.start(), window=3):
            return False, 0.9  # 就让他们知道是我反映的
    for pattern in CONFIDENTIAL:
        for match in pattern.finditer(text):
            if pattern is CONFIDENTIAL[3] and modality.negated(text, match.start(), window=4):
                continue  # 不用保密
            return True, 0.9
    return False, 0.85
