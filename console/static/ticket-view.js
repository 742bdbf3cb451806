// A ticket as the reviewer's and the unit's screens draw it: a queue of tickets, one ticket's
// full view (fields, requester, deadlines, units, reply, duplicates merged in, history).
// Data reaches the page as text only (textContent), never as markup.

import {isOverdue} from "./tickets.js";
import {TEXT, label} from "./text.js";

export const $ = (id) => document.getElementById(id);

export function el(tag, text, className) {
  const node = document.createElement(tag);
  if (text !== undefined && text !== null) node.textContent = text;
  if (className) node.className = className;
  return node;
}

// Beijing time, as the regulations count it, whatever the browser's own zone.
const CLOCK = new Intl.DateTimeFormat("zh-CN", {timeZone: "Asia/Shanghai", year: "numeric",
  month: "2-digit", day: "2-digit", hour: "2-digit", minute: "2-digit", hourCycle: "h23"});

export function when(iso) {
  if (!iso) return "—";
  const part = Object.fromEntries(CLOCK.formatToParts(new Date(iso))
    .map(({type, value}) => [type, value]));
  return `${part.year}-${part.month}-${part.day} ${part.hour}:${part.minute}`;
}

export function unitName(units, id) {
  return units.get(id)?.name || `单位 ${id}`;
}

function tag(text, kind) {
  return el("span", text, `tag tag-${kind}`);
}

function stateTag(state) {
  return el("span", label("state", state), `tag state state-${state}`);
}

// items: TicketSummary rows; extra(item) adds nodes to a row (e.g. the unit's part in it).
export function renderQueue(list, items, {picked, onPick, now = new Date(), extra}) {
  list.replaceChildren(...items.map((item) => {
    const button = el("button", undefined, "ticket-pick");
    button.type = "button";
    button.dataset.number = item.number;
    if (item.number === picked) button.classList.add("picked");
    const overdue = isOverdue(item.state, item.handle_due, now);
    button.classList.toggle("overdue", overdue);
    const head = el("span", undefined, "row-head");
    head.append(el("strong", item.number), stateTag(item.state));
    if (item.urgency !== "一般") head.append(tag(item.urgency, "urgent"));
    if (overdue) head.append(tag("已超期", "overdue"));
    for (const node of extra?.(item) || []) head.append(node);
    const due = item.handle_due ? `期限 ${when(item.handle_due)}${
      item.due_provisional ? "（暂定）" : ""}` : `登记 ${when(item.created_at)}`;
    button.append(head, el("span", item.summary || "（无摘要）", "row-summary"),
      el("span", `${item.request_type} · ${item.category || "未分类"} · ${due}`, "muted"));
    button.addEventListener("click", () => onPick(item.number));
    const row = el("li");
    row.append(button);
    return row;
  }));
  if (!items.length) list.append(el("li", "暂无工单", "muted"));
}

export function requesterText(ticket) {
  const who = ticket.requester;
  if (!who) {
    return ticket.identity_disclosable ? "—" : "来电人要求保密，不向承办单位显示";
  }
  return [who.name || "（未留姓名）", who.phone || "（未留电话）", who.address]
    .filter(Boolean).join(" · ");
}

function facts(pairs) {
  const list = el("dl", undefined, "facts");
  for (const [name, value, className] of pairs) {
    if (value === null || value === undefined || value === "") continue;
    list.append(el("dt", name), el("dd", value, className));
  }
  return list;
}

function section(title, ...children) {
  const box = el("section", undefined, "ticket-part");
  box.append(el("h3", title), ...children);
  return box;
}

// view: {ticket, history, merged}; units: Map(id -> unit).
export function renderTicketView(node, {ticket, history, merged}, units, now = new Date()) {
  const title = el("h2", `工单 ${ticket.number} `);
  title.append(stateTag(ticket.state));
  if (ticket.urgency !== "一般") title.append(tag(ticket.urgency, "urgent"));
  if (ticket.under_supervision) title.append(tag("督办", "overdue"));
  node.replaceChildren(title, facts([
    ["诉求类型", ticket.request_type], ["诉求分类", ticket.category || "未分类"],
    ["紧急程度", ticket.urgency], ["所属区域", ticket.district], ["地点", ticket.place],
    ["来电人", requesterText(ticket), ticket.requester ? "" : "secret"],
    ["企业名称", ticket.enterprise_name], ["诉求摘要", ticket.summary],
    ["诉求内容", ticket.content, "long"], ["登记时间", when(ticket.created_at)],
    ["不予受理原因", ticket.refusal_reason && label("refusal", ticket.refusal_reason)],
  ]), deadlines(ticket, now), assignments(ticket, units));
  if (ticket.reply) {
    node.append(section("单位答复", facts([["答复内容", ticket.reply, "long"],
      ["答复时间", when(ticket.replied_at)], ["超期答复", ticket.replied_late ? "是" : ""]])));
  }
  if (merged.length) node.append(section("并单（已并入本工单）", mergedList(merged)));
  node.append(section("办理记录", historyList(history, units)));
}

function deadlines(ticket, now) {
  const d = ticket.deadlines;
  const overdue = isOverdue(ticket.state, d.handle_due, now);
  const due = `${when(d.handle_due)}${d.provisional ? "（暂定：该年节假日尚未导入）" : ""}${
    overdue ? "（已超期）" : ""}`;
  const list = facts([
    ["审核派单期限", d.review_due && when(d.review_due)],
    ["退回期限", d.return_due && when(d.return_due)],
    ["办理期限", d.handle_due && due, overdue ? "overdue" : ""],
    ["已延期", ticket.extension_count ? `${ticket.extension_count} 次` : ""],
    ["重办次数", ticket.rehandle_count ? `${ticket.rehandle_count} 次` : ""],
  ]);
  return section("办理期限", list.childElementCount ? list
    : el("p", "受理后按本地规定起算", "muted"));
}

function assignments(ticket, units) {
  const list = el("ul", undefined, "assignments");
  for (const a of ticket.assignments) {
    const text = `${unitName(units, a.unit_id)}（${label("unitRole", a.role)}）`;
    list.append(el("li", a.active ? text : `${text}，已结束`, a.active ? "" : "muted"));
  }
  if (!ticket.assignments.length) list.append(el("li", "尚未派单", "muted"));
  return section("承办单位", list);
}

function mergedList(merged) {
  const list = el("ul", undefined, "merged");
  for (const t of merged) {
    const item = el("li");
    item.append(el("strong", t.number), el("span", `来电人：${requesterText(t)}`),
      el("span", `${t.summary} · 登记于 ${when(t.created_at)}`, "muted"));
    list.append(item);
  }
  return list;
}

function historyList(history, units) {
  const list = el("ol", undefined, "history");
  for (const step of history) {
    const item = el("li");
    const moved = step.from_state && step.from_state !== step.to_state
      ? `${label("state", step.from_state)} → ${label("state", step.to_state)}` : "";
    item.append(el("span", when(step.at), "at"), el("span", step.actor, "actor"),
      el("strong", label("event", step.event)), el("span", moved, "muted"));
    const why = [step.reason, stepDetails(step.data || {}, units)].filter(Boolean).join("；");
    if (why) item.append(el("span", why, "why"));
    list.append(item);
  }
  return list;
}

const FIELD_NAMES = {category: "诉求分类", urgency: "紧急程度", place: "地点", summary: "摘要",
  content: "诉求内容", district: "所属区域", request_type: "诉求类型", requester: "来电人"};

function stepDetails(d, units) {
  const out = [];
  if (d.fields?.length) out.push(`更正：${d.fields.map((f) => FIELD_NAMES[f] || f).join("、")}`);
  if (d.refusal_reason) out.push(`原因：${label("refusal", d.refusal_reason)}`);
  if (d.lead) out.push(`主办：${unitName(units, d.lead)}`);
  if (d.co?.length) out.push(`协办：${d.co.map((id) => unitName(units, id)).join("、")}`);
  if (d.new_due) out.push(`新期限：${when(d.new_due)}`);
  if (d.leader_signoff) out.push("单位负责人已签批");
  if (d.until) out.push(`挂单至：${when(d.until)}`);
  if (d.late) out.push("超期答复");
  if (d.master) out.push(`已并入主工单 ${d.master}`);
  if (d.merged) out.push(`并入工单 ${d.merged}`);
  if (d.earlier) out.push(`重复件，关联工单 ${d.earlier}`);
  if (d.article) out.push(`依据：${d.article}`);
  return out.join("；");
}

// Each command's form is shown when the ticket's state admits it and may(event) says the
// reader may give it (the API has the last word either way).
export function showCommands(ticket, may = () => true) {
  $("actions").hidden = !ticket;
  if (!ticket) return;
  const allowed = new Set(ticket.allowed_events.filter(may));
  for (const box of document.querySelectorAll("#actions [data-action]")) {
    box.hidden = !box.dataset.action.split(" ").some((name) => allowed.has(name));
  }
  for (const button of document.querySelectorAll("#actions [data-step]")) {
    button.hidden = !allowed.has(button.dataset.step);
  }
  const boxes = [...document.querySelectorAll("#actions [data-action]")];
  $("no-commands").hidden = boxes.some((box) => !box.hidden);
}

// A period of the profile in words: {amount, unit} -> "5个工作日".
export function periodText(period) {
  return period ? `${period.amount}${TEXT.period[period.unit] || period.unit}` : "";
}
