"""Subject category (wuhai 5.4.2), from the topic words of the call.

The lexicon follows the twelve categories' scope and the labelling conventions: water,
power, gas, heating, network, post and couriers are 公共服务; roads, street lights, city
management, illegal buildings and greenery are 城乡建设; property management, housing funds
and rentals are 住房保障. Common recognition errors are listed beside the words they stand
for (无业 for 物业, 路登 for 路灯, 公基金 for 公积金, 低宝 for 低保). The departments the
agent names when transferring are strong evidence too. An emergency fixes the category.
"""

from tickets.drafting.cues import Lexicon
from tickets.drafting.draft import Emergency
from tickets.drafting.transcript import Call
from tickets.enums import Category

C = Category
E = Emergency

TOPICS = Lexicon.of({
    C.PUBLIC_SAFETY:
        "赌博:4 聚众赌博:4 赌场:4 诈骗:3 骗子:2 被骗:2 传销:4 盗窃:3 小偷:3 偷东西:3 被偷:3 "
        "抢劫:4 打架:3 斗殴:3 家暴:4 打老婆:4 吸毒:4 贩毒:4 卖淫:4 嫖娼:4 治安:3 派出所:3 "
        "民警:3 警察:2 公安:3 报警:3 消防:2 火灾:3 着火:3 起火:3 安全隐患:2 危险品:3 "
        "易燃易爆:3 烟花爆竹:3 军事:4 军舰:4 军港:4 部队:3 导弹:4 国家安全:4 间谍:4 "
        "管制刀具:4 黑恶:4 高利贷:3 暴力催收:3 走失:3 寻人:2 撬门:4 入室:4 非法集资:3 "
        "户口:2 户籍:2 身份证:1 电动车[^|]{0,4}(充电|起火|着火):3 飞线充电:3 消防通道:3 "
        "高空抛物:4 遛狗:2 烈性犬:4 狗咬人:3 咬人:2 涉黑:4 涉恶:4 跟踪:2 打人:2 失踪:3 "
        "危险:1.5 太危险:2.5 煤气罐:2 液化气罐:3 私藏:3 非法储存:4",
    C.URBAN_CONSTRUCTION:
        "路灯:4 路登:4 井盖:4 道路:2 路面:3 坑:1.5 塌陷:3 施工:2 围挡:4 违建:4 维建:4 "
        "违章建筑:4 违法建设:4 私搭乱建:4 乱搭乱建:4 彩钢房:3 城管:4 城市管理:3 占道:4 "
        "摆摊:3 市政:4 下水道:4 下水到:4 排水:3 污水外溢:3 堵了:1 积水:3 内涝:3 绿化:3 "
        "园林:4 树枝:3 树脂:2 大树:2 杨树:2 修剪:2 公园:2 老旧小区:4 小区改造:4 拆迁:3 "
        "规划:2 环卫:3 垃圾桶:3 垃圾清运:3 公厕:3 厕所:2 人行道:3 盲道:3 护栏:2 桥:1 "
        "渣土:3 回填:4 沟:2 铺管子:3 挖了:2 地铁施工:4 市容:3 广告牌:3 牌匾:3 "
        "健身器材:2 广场:1 停车位:1 电缆井:3 窨井:3 化粪池:3 垃圾没人清:4 清理垃圾:3 垃圾堆:3 "
        "雨水井:3 拆除:2 飞线:2 路面破损:4 坑洼:3 水泥:1 人行道砖:3 拆迁安置:3",
    C.HOUSING:
        "物业:4 无业:3 物业费:4 业主:3 业委会:4 电梯:4 公积金:5 公基金:5 公租房:5 廉租房:5 "
        "保障房:5 人才公寓:4 租房:3 房东:4 押金:3 房租:3 租金:2 二手房:4 商品房:4 开发商:4 "
        "交房:4 房产证:4 不动产证:4 购房:3 买房:3 房屋质量:4 漏水:2 墙皮:2 维修基金:4 "
        "房子:1 住房:3 租赁:3 中介:2 楼上漏水:3 住建:1 烂尾楼:5 延期交房:5 安置房:4 棚改:4 "
        "过户:3 网签:4 漏雨:3 门禁:2 房本:4 产权:3 物业公司:4",
    C.ENVIRONMENT:
        "噪音:4 噪声:4 扰民:4 吵:2 广场舞:3 音响:3 油烟:4 烟尘:3 空气:3 污染:4 雾霾:3 "
        "排污:4 污水:2 偷排:4 臭味:3 异味:3 焚烧:4 烧垃圾:4 秸秆:3 燃煤:4 烧煤:4 煤炉:3 "
        "清洁取暖:4 煤改电:4 煤改气:4 扬尘:4 粉尘:3 废气:4 排放:3 环保:4 生态:3 黑臭:4 "
        "装修:2 砸墙:3 电钻:3 夜间施工:4 练歌房:3 KTV:3 鸣笛:2 辐射:3 化工味:4 烟呛:3 "
        "死鱼:3 鱼都死了:3 垃圾:1 光污染:4 废水:4 排污口:4 烟囱:3 黑烟:2 养殖场臭:4 "
        "畜禽粪便:4 刺鼻:3 环境:2 臭气熏天:4 臭气:3 苍蝇:2 蚊蝇:3",
    C.TRANSPORT:
        "公交:4 公交车:4 班次:3 站点:2 公交站:4 站牌:3 末班:4 首班:4 线路:2 地铁:2 "
        "出租车:4 的士:4 网约车:4 打车:3 拒载:4 绕路:4 高铁:3 火车:3 客运:4 长途汽车:4 "
        "车站:2 西站:2 机场:3 交警:3 红绿灯:4 信号灯:4 违章:3 违停:4 罚单:3 驾照:4 "
        "驾驶证:4 车祸:3 撞车:3 追尾:3 交通事故:4 堵车:3 拥堵:3 停车场:2 停车难:3 "
        "斑马线:4 限行:4 ETC:4 高速:3 收费站:4 共享单车:3 上牌:3 交通:2 车牌:2 过站不停:4 "
        "车费:3 路口:1 乱停车:4 乱停:3 驾校:4 车管所:4 年检:4 客车:3 公交司机:4 "
        "停车收费:2 道路拥堵:4 过路费:3",
    C.EDUCATION_CULTURE:
        "学校:3 小学:4 中学:4 初中:4 高中:3 幼儿园:4 大学:2 老师:3 教师:3 学生:3 上学:3 "
        "入学:4 招生:4 学区:4 划片:4 报名:2 学籍:4 课后服务:4 课后:3 补课:4 培训机构:4 "
        "培训:2 辅导班:4 辅导:2 资料费:3 教育:3 教育局:4 网吧:4 未成年人:3 图书馆:4 "
        "博物馆:4 文化:2 演出:3 景区:4 旅游:3 门票:4 导游:4 旅行社:4 森林公园:3 体育:3 "
        "考试:3 高考:4 中考:4 文旅:4 文物:4 年级:3 放学:4 逃课:3 英语课:3 课时:3 "
        "校车:3 学校食堂:4 学费:3 开学:3 作业:2 体罚:4 校园欺凌:4 托管:2 电影院:3 文化馆:4 "
        "体育场:3 游泳馆:3 班主任:4 校长:4 幼师:4",
    C.HEALTH:
        "医院:4 医生:4 大夫:4 护士:4 看病:4 就医:4 急诊:3 门诊:4 住院:4 挂号:4 药店:3 "
        "处方:4 处方药:4 大药房:3 疫苗:4 接种:4 卫生院:4 诊所:4 行医:4 打针:3 输液:4 "
        "美容院:3 玻尿酸:4 瘦脸针:4 整形:4 医美:4 卫健:4 家庭医生:4 体检:3 医保:3 救护车:4 "
        "急救:3 疾控:4 传染:3 食物中毒:3 量血压:3 血压:2 病区:4 心内科:4 瘫痪:2 开药:3 "
        "药:1 晕倒:2 昏迷:2 手术:4 医疗纠纷:5 牙科:4 口腔:3 眼科:4 产检:4 出生证明:4 病历:4 "
        "药价:3 发烧:2 核酸:3 狂犬:3 医药费:3 病人:2",
    C.ECONOMY:
        "市场监管:4 工商:4 营业执照:4 执照:2 消费者:3 商家:3 店:1 超市:2 商场:3 买了:1 "
        "退货:3 退款:2 退换:3 假货:4 假冒:3 假酒:4 毛台:3 茅台:3 过期:3 质量问题:2 价格:2 "
        "加价:3 物价:3 维修:1 修手机:4 税:3 税收:4 纳税:4 发票:2 税务:4 年报:4 企业年报:4 "
        "注册公司:4 消费券:4 优惠政策:2 金融:3 银行:3 贷款:2 保险:3 理赔:4 保险公司:4 "
        "食品安全:3 食品经营:4 许可证:2 餐饮:2 外卖:2 网购:3 电商:3 直播带货:3 商标:3 "
        "缺斤少两:4 预付卡:4 会员卡:3 营商环境:4 小微企业:4 鉴定:2 购物小票:3 小票:2 "
        "烟酒店:3 个体户:2 商铺:2 假的:2 买的:1 茶叶:1 商品:2 网店:3 充值卡:4 消费纠纷:5 "
        "价格欺诈:5 明码标价:5 三无产品:5 专利:3 融资:3 卖的:1 商贩:3 虚假宣传:4 健身卡:4 "
        "办卡:3 退费:2",
    C.SOCIAL_SECURITY:
        "低保:5 低宝:5 地保:4 养老保险:5 养老金:5 社保:4 失业:4 就业:3 灵活就业:5 招聘:3 工资:4 "
        "欠薪:5 拖欠工资:5 劳动合同:4 人社:4 民政:4 残疾:4 残疾人:4 高龄补贴:5 补贴:1 "
        "老年:2 独居:3 助餐:4 老年食堂:5 养老院:4 敬老院:4 网格员:4 网格园:4 救助:3 "
        "困难户:4 特困:4 五保:4 殡葬:4 婚姻登记:4 退役军人:4 优抚:4 孤儿:4 退休:3 "
        "吸纳就业:5 毕业生:2 社区:1 农民工:3 包工头:3 工伤:5 社保卡:5 失业金:5 失业保险:5 "
        "流浪:4 乞讨:4 孤寡老人:5 居家养老:5 墓地:3 工钱:4 加班费:4 辞退:4 劳动:3 养老:3",
    C.PUBLIC_SERVICE:
        "供水:4 自来水:4 停水:3 水费:4 水压:4 水质:3 水厂:4 供电:4 停电:3 电费:4 电表:4 "
        "电卡:4 燃气:4 然气:3 煤气:4 天然气:4 燃气表:4 供暖:4 暖气:4 暖器:3 供热:4 工暖:4 "
        "热力:4 宽代:3 "
        "网络:2 宽带:4 款待:3 信号:3 运营商:4 移动:2 联通:3 电信:3 通信:4 快递:4 驿站:4 "
        "邮政:4 邮递员:4 乡邮员:4 包裹:3 寄件:3 取件:3 有线电视:4 缴费:2 营业厅:3 "
        "自助缴费:4 水电费:4 停气:4 漏气:3 光缆:4 变压器:3 签收:3 水表:4 话费:3 套餐:2 邮局:4 "
        "物流:2 充电桩:3 暖气费:4 抄表:3 电力:3 供电所:4 电线杆:3 手机信号:4 自来水公司:4",
    C.AGRICULTURE:
        "农田:4 基本农田:5 耕地:5 麦地:4 土地:3 承包地:5 流转:4 土地流转:5 征地:5 宅基地:4 "
        "农业:3 农民:2 种植:3 养殖:2 合作社:2 果树:4 果园:4 苹果:2 病虫害:5 化肥:4 农药:3 "
        "种子:3 种粮:5 种粮补贴:5 农机:4 机耕路:5 灌溉:4 水利:4 河道:4 河堤:4 水库:4 "
        "采砂:5 挖沙:5 林业:5 林地:5 退耕还林:5 砍树:3 草原:4 放牧:4 畜牧:4 兽医:4 "
        "动物防疫:4 渔业:4 水土流失:5 坡地:3 亩:3 玉米:2 菠萝:2 收割:3 大棚:3 村集体:1 "
        "地里:2 拖拉机:2 地[^|]{0,2}(被征|征了|征收):5 补偿款:2 种地:3 庄稼:4 粮食:3 小麦:3 "
        "农作物:4 鱼塘:3 水渠:4 冰雹:3 山林:4 林木:4 盗伐:5 野生动物:4 河长:4 撂荒:4 农资:4 "
        "假种子:5 土地确权:5 猪:1 养猪:3 养鸡:3 大豆:2 果农:4 电鱼:4 炸鱼:4 毒鱼:4 "
        "非法捕捞:5 捕鱼:3 禁渔:4",
    C.PARTY_GOVERNMENT:
        "政务服务:4 政务大厅:4 服务大厅:3 政务服务中心:5 窗口:2 工作人员:2 公务员:3 干部:2 "
        "村委会:3 村委:2 村务:4 村务公开:5 账目:3 公车:4 公车私用:5 纪检:4 监察:3 腐败:4 "
        "贪污:4 受贿:4 吃拿卡要:5 作风:3 不作为:3 政府网站:5 网站:1 政府:1 办事效率:4 "
        "党员:3 人大:3 政协:3 选举:3 区政府:2 镇政府:2 街道办:2 办公室:1 办事难:4 行政审批:4 "
        "审批:2 推诿扯皮:4 乡政府:2 村干部:3 扶贫:3 村支书:4 村主任:4 办证:2 政务:2",
})

# the departments an agent transfers to, and what they handle
DEPARTMENTS = Lexicon.of({
    C.PUBLIC_SAFETY: "转公安:3 公安部门:3 派出所:2",
    C.URBAN_CONSTRUCTION: "城管:3 市政:3 园林:3 建设主管部门:3 排水:2",
    C.HOUSING: "住房保障部门:3 公积金中心:3 物业:1",
    C.ENVIRONMENT: "环保部门:3 生态环境:3",
    C.TRANSPORT: "交通运输部门:3 公交公司:3 交警:2",
    C.EDUCATION_CULTURE: "教育部门:3 教育局:3 文化执法:3 文旅:3",
    C.HEALTH: "卫健:3 卫生健康:3 医院:1",
    C.ECONOMY: "市场监管:3 税务部门:3 金融监管:3",
    C.SOCIAL_SECURITY: "民政:3 人社:3 社保部门:3 劳动监察:3",
    C.PUBLIC_SERVICE: "供水:3 供电:3 燃气公司:3 供热:3 运营商:3 通信管理:3 邮政:3",
    C.AGRICULTURE: "农业农村:3 林业:3 水务:2 农业部门:3",
    C.PARTY_GOVERNMENT: "纪检监察:3 政务服务管理:3 政府办公室:3",
})

FIXED = {E.POLICE: C.PUBLIC_SAFETY, E.FIRE: C.PUBLIC_SAFETY, E.AMBULANCE: C.HEALTH,
         E.TRAFFIC: C.TRANSPORT, E.WATER: C.PUBLIC_SERVICE, E.POWER: C.PUBLIC_SERVICE,
         E.GAS: C.PUBLIC_SERVICE, E.HEATING: C.PUBLIC_SERVICE, E.NETWORK: C.PUBLIC_SERVICE}
AGENT_WEIGHT = 0.8


def scores(call: Call) -> dict[Category, float]:
    """Evidence for each category: the caller's topic words, the agent's and departments."""
    totals: dict[Category, float] = dict.fromkeys(Category, 0.0)
    for found in call.hits(TOPICS, "caller"):
        totals[Category(found.hit.cue.label)] += found.hit.cue.weight
    for found in call.hits(TOPICS, "agent"):
        totals[Category(found.hit.cue.label)] += found.hit.cue.weight * 0.3
    for found in call.hits(DEPARTMENTS, "agent"):
        totals[Category(found.hit.cue.label)] += found.hit.cue.weight * AGENT_WEIGHT
    return totals


def classify(call: Call, emergency: Emergency | None) -> tuple[Category, float]:
    """The most likely category and a confidence."""
    if emergency is not None:
        return FIXED[emergency], 0.9
    totals = scores(call)
    ranked = sorted(totals.items(), key=lambda item: item[1], reverse=True)
    (best, top), (_, second) = ranked[0], ranked[1]
    if top <= 0:
        return C.SOCIAL_SECURITY, 0.2
    return best, min(0.95, 0.35 + 0.6 * (top - second) / top)
