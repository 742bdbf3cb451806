// Drawing the supervisor's wallboard: the day's figures against GB/T 33358, each queue, each
// agent, the live calls with their monitoring buttons, the callbacks owed. Text only.

import {percent} from "./charts.js";
import {label, queueLabel} from "./text.js";
import {$, el, when} from "./ticket-view.js";

// GB/T 33358: answered within 15 s; at least 95% of the calls of any 24 hours get through.
export const CONNECTION_TARGET = 0.95;
const MONITOR_MODES = ["listen", "whisper", "barge"];
const BUSY = new Set(["on_call", "ringing"]);

// Seconds as the wallboard says them: 45秒, 3分05秒, 1小时02分.
export function duration(seconds) {
  const s = Math.max(0, Math.floor(seconds));
  if (s < 60) return `${s}秒`;
  if (s < 3600) return `${Math.floor(s / 60)}分${String(s % 60).padStart(2, "0")}秒`;
  return `${Math.floor(s / 3600)}小时${String(Math.floor(s / 60) % 60).padStart(2, "0")}分`;
}

const QUEUE_ORDER = ["main", "enterprise", "dialect"]; // then the legacy lines' own queues

// Queues in the wallboard's order: the general queue, the specialists, then legacy lines.
export function orderQueues(queues) {
  const known = new Set(queues);
  return [...QUEUE_ORDER.filter((q) => known.has(q)),
    ...[...known].filter((q) => !QUEUE_ORDER.includes(q)).sort()];
}

export function queueName(queue) {
  return queueLabel(queue);  // the agents' own words for it
}

// A time that ticks: the element keeps its start (ms), tick() rewrites it every second.
function ticking(start) {
  const node = el("span", "", "ticking");
  node.dataset.since = String(start);
  return node;
}

export function tick(now) {
  for (const node of document.querySelectorAll("[data-since]")) {
    node.textContent = duration((now - Number(node.dataset.since)) / 1000);
  }
}

function card(name, value, detail, tone) {
  const box = el("div", undefined, `card${tone ? ` ${tone}` : ""}`);
  box.append(el("span", name, "card-name"), el("strong", value, "card-value"),
    el("span", detail, "card-detail"));
  return box;
}

// today, day24: Figures (overall) or undefined; owed: callbacks pending or calling.
export function renderRates(today, day24, owed) {
  const t = today || {};
  const rate24 = day24?.answer_rate;
  const tone = rate24 === null || rate24 === undefined ? ""
    : rate24 >= CONNECTION_TARGET ? "good" : "bad";
  $("rates").replaceChildren(
    card("今日人工呼入", String(t.offered ?? "—"), "进入排队的来电（不含自助、回拨）"),
    card("今日接通", String(t.answered ?? "—"), `放弃 ${t.abandoned ?? "—"}`),
    card("15秒接通率（今日）", percent(t.answer_rate_15s),
      `15秒内接听 ${t.answered_within_15s ?? "—"} 通`),
    card("24小时接通率", percent(rate24), `目标 ≥ ${percent(CONNECTION_TARGET)}（GB/T 33358）`,
      tone),
    card("放弃呼叫（今日）", String(t.abandoned ?? "—"), `放弃率 ${percent(t.abandonment_rate)}`),
    card("自助服务（今日）", String(t.self_served ?? "—"), "语音导航查询办结，未转人工"),
    card("待回拨", String(owed.length), `今日回拨接通 ${t.callbacks_connected ?? "—"} 通`,
      owed.length ? "warn" : ""));
}

function cells(row, values) {
  for (const value of values) {
    row.append(value instanceof Node ? wrap(value) : el("td", value));
  }
  return row;
}

function wrap(node) {
  const cell = el("td");
  cell.append(node);
  return cell;
}

// queues: names; calls, agents: the live picture; now: ms; byQueue: Map(queue -> Figures).
// Times tick by themselves (tick): the rows are redrawn only when something moved.
export function renderQueues(queues, calls, agents, now, byQueue) {
  $("queues-body").replaceChildren(...queues.map((queue) => {
    const waiting = calls.filter((c) => c.state === "queued" && c.queue === queue);
    const longest = Math.min(now, ...waiting.map((c) => c.waitingSince));
    const members = agents.filter((a) => a.state !== "logged_out" && a.queues?.includes(queue));
    const count = (test) => String(members.filter(test).length);
    const day = byQueue.get(queue);
    const row = el("tr");
    row.dataset.queue = queue;
    if (waiting.length) row.classList.add("waiting");
    return cells(row, [queueName(queue), String(waiting.length),
      waiting.length ? ticking(longest) : "—", String(members.length),
      count((a) => a.state === "available"), count((a) => BUSY.has(a.state)),
      count((a) => a.state === "paused"), String(day?.offered ?? 0), percent(day?.answer_rate)]);
  }));
}

export function renderAgents(agents) {
  const shown = agents.filter((a) => a.state !== "logged_out")
    .sort((a, b) => a.interface.localeCompare(b.interface));
  $("agents-body").replaceChildren(...shown.map((agent) => {
    const row = el("tr");
    row.dataset.agent = agent.interface;
    const state = el("span", label("agent", agent.state), `tag agent-${agent.state}`);
    return cells(row, [agent.interface, state, agent.pause_reason || "",
      ticking(agent.since), orderQueues(agent.queues || []).map(queueName).join("、")]);
  }));
  $("no-agents").hidden = shown.length > 0;
}

// onMonitor(linkedid, mode); seat: the supervisor's extension ("" when none is bound).
export function renderCalls(calls, seat, onMonitor) {
  $("calls-body").replaceChildren(...calls.map((call) => {
    const row = el("tr");
    row.dataset.linkedid = call.linkedid;
    const buttons = el("div", undefined, "buttons");
    const live = call.state === "connected" || call.state === "in_conference";
    for (const mode of MONITOR_MODES) {
      const button = el("button", label("monitor", mode), "small");
      button.type = "button";
      button.dataset.mode = mode;
      button.disabled = !live || !seat || !call.agent;
      button.addEventListener("click", () => onMonitor(call.linkedid, mode));
      buttons.append(button);
    }
    const who = call.callback ? `${call.caller || "未知号码"}（回拨）` : call.caller || "未知号码";
    return cells(row, [who, label("call", call.state), call.queue ? queueName(call.queue) : "—",
      call.agent || "—", ticking(call.stateSince), buttons]);
  }));
  $("no-live-calls").hidden = calls.length > 0;
}

export function renderSeat(seat) {
  $("monitor-seat").textContent = seat
    ? `监听分机：${seat}（点击后该分机振铃，接听即开始）`
    : "未绑定分机：请管理员为您绑定分机后再监听、耳语或强插";
  $("monitor-seat").classList.toggle("warn-text", !seat);
}

export function renderCallbacks(owed) {
  $("callbacks-body").replaceChildren(...owed.map((row) => {
    const line = el("tr");
    line.dataset.callback = String(row.id);
    return cells(line, [row.caller_number, label("callback", row.state), when(row.requested_at),
      when(row.due_by), String(row.attempts), String(row.abandonments)]);
  }));
  $("no-callbacks").hidden = owed.length > 0;
}
