// What the screen says: the platform's values in the agents' words.

export const TEXT = {
  call: {ringing: "振铃", in_ivr: "语音导航", queued: "排队中", connected: "通话中",
    in_conference: "多方通话", ended: "已结束"},
  agent: {logged_out: "未签入", available: "空闲", paused: "示忙", ringing: "振铃中",
    on_call: "通话中", after_call_work: "话后处理"},
  handoff: {alerted: "待坐席确认", confirmed: "已确认，等待接通", dialling: "正在呼叫",
    joined: "已接通", "agent-left": "坐席已退出，市民与联动单位通话中",
    "line-unanswered": "未接通", cancelled: "已取消（误报）", ended: "通话已结束"},
  data: {"data-delivered": "数据已送达", "receipt-unverified": "回执未通过校验",
    "data-failed": "数据发送失败（已通知班长）"},
  kind: {110: "110 报警", 119: "119 火警", 120: "120 急救", 122: "122 交通事故",
    water: "供水抢修", power: "供电抢修", gas: "燃气抢修", heating: "供热抢修",
    network: "通信抢修"},
  ticket: {draft: "待受理", accepted: "已受理", refused: "不予受理", closed: "已办结"},
  role: {agent: "坐席", reviewer: "审核员", supervisor: "班长", admin: "管理员",
    unit_handler: "承办单位"},
  speaker: {caller: "市民", agent: "坐席"},
};

export function label(table, value) {
  return TEXT[table][value] || value;
}

// The reviewer's and the unit's screens: every ticket state, history event, refusal reason.
Object.assign(TEXT, {
  state: {draft: "待受理", accepted: "已受理", reviewed: "已审核", dispatched: "已派单",
    returned: "退回待定", handling: "办理中", suspended: "已挂单", replied: "已答复",
    revisit: "待回访", evaluated: "已评价", closed: "已办结", refused: "不予受理",
    linked: "已关联重复件", merged: "已并单"},
  event: {create: "登记", update: "修改", accept: "受理", refuse: "不予受理",
    "answer-directly": "直办", "link-repeat": "关联重复件", merge: "并单", "merge-in": "接收并单",
    review: "审核", dispatch: "派单", return: "申请退回", redispatch: "同意退回并改派",
    "refuse-return": "不同意退回", receive: "签收", extend: "延期", suspend: "挂单",
    resume: "恢复办理", reply: "答复", "approve-reply": "答复审核通过",
    "reject-reply": "答复退回重办", evaluate: "回访评价", rehandle: "重新办理", close: "办结",
    supervise: "督办", remind: "催办", accountability: "问责标记",
    "resolve-supervision": "督办办结", emergency: "应急联动"},
  refusal: {litigation: "涉诉", petition: "涉访", secret: "涉密", emergency: "紧急事项另行处置",
    harassment: "骚扰", illegal: "违法", party_military: "涉党涉军",
    vertical_management: "垂直管理部门", out_of_jurisdiction: "非本辖区", repeat: "重复诉求"},
  unitRole: {lead: "主办", co: "协办"},
  period: {working_days: "个工作日", natural_days: "个自然日", hours: "小时"},
});

// The supervisor's screen (班长席): queues, callbacks, monitoring, supervision, the bulletin.
Object.assign(TEXT, {
  callback: {pending: "待回拨", calling: "回拨中", done: "已回拨", failed: "回拨未接通",
    cancelled: "已取消"},
  monitor: {listen: "监听", whisper: "耳语", barge: "强插"},
  reminderForm: {phone: "电话催办", sms: "短信催办", system: "系统催办"},
  supervisionForm: {system: "系统督办", phone: "电话督办", sms: "短信督办", meeting: "会议督办",
    on_site: "现场督办", media: "媒体督办"},
  trigger: {manual: "班长发起", overdue: "超期未办结", "reminders-exhausted": "催办后仍未答复",
    "repeated-complaints": "重复投诉", "improper-return": "退单不当", "refused-duty": "推诿扯皮",
    "knowledge-stale": "知识库未及时更新", "second-unsatisfied": "二次不满意",
    "same-matter-months": "同一事项多月反映"},
});

// The agent's screen (and the supervisor's): where the callback number came from, the queues.
Object.assign(TEXT, {
  phoneSource: {caller_id: "来电号码", spoken: "市民口述"},
  queue: {main: "综合队列", enterprise: "企业专席", dialect: "方言专席"},
});

// A queue of the PBX in the agents' words; a legacy line's own queue by its name.
export function queueLabel(name) {
  return TEXT.queue[name] || `专线 ${name}`;
}
