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
