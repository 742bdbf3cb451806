// The buttons on the agent's own live call: 转接 (an agent's extension or a queue of the PBX),
// 转省级, 三方通话 (a unit's registered number, suggested units first, or one typed in) and
// 挂断. The API checks each (whose call, what may be dialled) and its refusal is shown.

import {api, attempt} from "./api.js";
import {queueLabel} from "./text.js";
import {LIVE_CALL, isMine, pickedCall, state} from "./agent-state.js";
import {$, el} from "./agent-view.js";

const EXTENSION = /^[0-9]{2,10}$/;

export async function loadUnits() {
  try {
    state.units = await api("GET", "/units");
  } catch {
    state.units = []; // the picker still takes a typed number
  }
  showUnits();
}

// The controls show on the picked call when it is the agent's own and live.
export function showControls() {
  const call = pickedCall();
  const shown = Boolean(call) && isMine(call) && LIVE_CALL.has(call.state);
  const box = $("call-controls");
  if (box.dataset.linkedid !== (state.picked || "")) {
    $("call-result").textContent = "";
    $("call-error").textContent = "";
    box.dataset.linkedid = state.picked || "";
  }
  box.hidden = !shown;
  if (shown) showUnits();
}

// The transfer's queues: those of the PBX (its agents' extensions are typed in).
export function showTargets() {
  const none = el("option", "（选择队列，或输入分机号）");
  none.value = "";
  $("transfer-to").replaceChildren(none, ...state.queues.map((queue) => {
    const option = el("option", queueLabel(queue));
    option.value = queue;
    return option;
  }));
}

// Each registered number a unit may be called on: the call's suggested units first.
function showUnits() {
  const suggested = (state.suggestions.get(state.picked)?.units || []).map((u) => u.id);
  const active = state.units.filter((u) => u.active && (u.contact_phone || u.duty_phone));
  const first = suggested.map((id) => active.find((u) => u.id === id)).filter(Boolean);
  const rest = active.filter((u) => !suggested.includes(u.id));
  const select = $("conference-unit");
  const before = select.value;
  const none = el("option", active.length ? "（选择单位）" : "（没有登记号码的单位）");
  none.value = "";
  select.replaceChildren(none, ...[["推荐单位", first], ["其他单位", rest]]
    .filter(([, units]) => units.length).map(([name, units]) => {
      const group = el("optgroup");
      group.label = name;
      group.append(...units.flatMap(unitOptions));
      return group;
    }));
  select.value = [...select.options].some((o) => o.value === before) ? before : "";
}

function unitOptions(unit) {
  return [["联系电话", unit.contact_phone], ["值班电话", unit.duty_phone]]
    .filter(([, number]) => number).map(([kind, number]) => {
      const option = el("option", `${unit.name} · ${kind} ${number}`);
      option.value = number;
      return option;
    });
}

function callPath(action) {
  return `/telephony/calls/${encodeURIComponent(state.picked)}/${action}`;
}

// One command on the picked call; what it did goes to the result line, a refusal to the
// error line with its error_id.
async function command(action, body, done) {
  const linkedid = state.picked;
  if (!linkedid) return;
  $("call-result").textContent = "";
  const out = await attempt($("call-error"), () => api("POST", callPath(action), body));
  if (out && linkedid === state.picked) $("call-result").textContent = done(out);
}

function transfer() {
  const typed = $("transfer-ext").value.trim();
  const to = typed || $("transfer-to").value;
  if (!to || (typed && !EXTENSION.test(typed))) {
    $("call-error").textContent = "请选择要转接的队列，或输入坐席分机号（数字）";
    return undefined;
  }
  const where = typed ? `坐席 ${typed}` : queueLabel(to);
  return command("transfer", {to}, () => `已转接至${where}`);
}

function conference() {
  const number = $("conference-number").value.trim() || $("conference-unit").value;
  if (!number) {
    $("call-error").textContent = "请选择单位，或输入单位号码";
    return undefined;
  }
  const body = {unit_number: number};
  const ticket = state.tickets.get(state.picked);
  if (ticket) body.ticket_number = ticket.number; // the room is named after the ticket
  return command("conference", body, (out) => `已发起三方通话，正在呼叫 ${number}（会议室 ${out.room}）`);
}

function hangUp() {
  return command("hang-up", undefined, (out) => (out.room
    ? "已退出三方通话，市民与单位继续通话" : "已挂断"));
}

export function initControls() {
  showTargets();
  $("transfer").addEventListener("click", transfer);
  $("transfer-provincial").addEventListener("click",
    () => command("transfer-provincial", undefined, () => "已转至省级12345热线"));
  $("conference").addEventListener("click", conference);
  $("hang-up").addEventListener("click", hangUp);
}
