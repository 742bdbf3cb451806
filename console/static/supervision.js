// 督办 on the supervisor's screen: the due-soon and overdue lists, a ticket's reminders and
// supervision cases, and the commands on them (催办, 督办, 督办办结). Text only.

import {api, attempt} from "./api.js";
import {label} from "./text.js";
import {$, el, unitName, when} from "./ticket-view.js";
import {loadUnits} from "./tickets.js";

const LISTS = {overdue: "/supervision/overdue", "due-soon": "/supervision/due-soon"};
const POLL_MS = 60_000;

const desk = {units: new Map(), picked: null, lists: {}};

function options(select, table) {
  select.replaceChildren(...Object.entries(table).map(([value, text]) => {
    const option = el("option", text);
    option.value = value;
    return option;
  }));
}

async function loadLists() {
  await attempt($("supervision-error"), async () => {
    const [overdue, soon] = await Promise.all(Object.values(LISTS).map((path) =>
      api("GET", `${path}?size=100`)));
    desk.lists = {overdue, "due-soon": soon};
  });
  for (const [name, page] of Object.entries(desk.lists)) drawList(name, page);
}

function drawList(name, page) {
  const list = $(`list-${name}`);
  $(`count-${name}`).textContent = `（${page.total}）`;
  list.replaceChildren(...page.items.map((item) => {
    const button = el("button", undefined, "ticket-pick");
    button.type = "button";
    button.dataset.number = item.number;
    button.classList.toggle("picked", item.number === desk.picked);
    button.classList.toggle("overdue", name === "overdue");
    const head = el("span", undefined, "row-head");
    head.append(el("strong", item.number), el("span", label("state", item.state), "tag state"));
    if (item.urgency !== "一般") head.append(el("span", item.urgency, "tag tag-urgent"));
    if (item.under_supervision) head.append(el("span", "督办中", "tag tag-overdue"));
    if (item.phone_reminders) head.append(el("span", `电话催办 ${item.phone_reminders} 次`, "tag"));
    const unit = item.lead_unit_id ? unitName(desk.units, item.lead_unit_id) : "未派单";
    button.append(head, el("span", item.summary || "（无摘要）", "row-summary"),
      el("span", `${unit} · 办理期限 ${when(item.handle_due)}${
        item.due_provisional ? "（暂定）" : ""}`, "muted"));
    button.addEventListener("click", () => pick(item.number));
    const row = el("li");
    row.append(button);
    return row;
  }));
  if (!page.items.length) list.append(el("li", "暂无工单", "muted"));
}

async function pick(number) {
  desk.picked = number;
  for (const [name, page] of Object.entries(desk.lists)) drawList(name, page);
  $("case-result").textContent = "";
  await loadCase();
}

async function loadCase() {
  const number = desk.picked;
  const record = await attempt($("case-error"), () => api("GET",
    `/supervision/tickets/${encodeURIComponent(number)}/supervisions`));
  if (!record || number !== desk.picked) return;
  $("case").hidden = false;
  $("case-title").textContent = `工单 ${number} 的催办与督办`;
  $("case-summary").textContent = `电话催办 ${record.phone_reminders} 次` +
    (record.under_supervision ? "；督办中" : "");
  $("case-reminders").replaceChildren(...record.reminders.map((r) => el("li",
    `${when(r.at)} ${r.by} ${label("reminderForm", r.form)}${r.contact ? `（${r.contact}）` : ""}` +
    `${r.note ? `：${r.note}` : ""}`)));
  if (!record.reminders.length) $("case-reminders").append(el("li", "暂无催办", "muted"));
  $("case-supervisions").replaceChildren(...record.supervisions.map(caseItem));
  if (!record.supervisions.length) $("case-supervisions").append(el("li", "暂无督办", "muted"));
}

// One supervision case; an open one carries its own 督办办结 form.
function caseItem(c) {
  const item = el("li", undefined, c.resolved_at ? "resolved" : "open");
  item.dataset.supervision = String(c.id);
  item.append(el("span", `${when(c.at)} ${c.by} ${label("supervisionForm", c.form)}，` +
    `原因：${label("trigger", c.trigger)}${c.note ? `；${c.note}` : ""}`));
  if (c.resolved_at) {
    item.append(el("span", `已办结（${when(c.resolved_at)}）：${c.resolution}`, "muted"));
    return item;
  }
  const form = el("form", undefined, "action");
  const box = el("label", "办结意见 ");
  const input = el("input");
  Object.assign(input, {name: "resolution", required: true, maxLength: 2000});
  box.append(input);
  const submit = el("button", "督办办结");
  submit.type = "submit";
  form.append(box, submit);
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    command("督办办结", `/supervision/supervisions/${c.id}/resolve`,
      {resolution: input.value});
  });
  item.append(form);
  return item;
}

// One command on the picked ticket; its outcome or the API's error (with its error_id).
async function command(what, path, body) {
  const number = desk.picked;
  $("case-result").textContent = "";
  const done = await attempt($("case-error"), () => api("POST", path, body));
  if (done === undefined) return;
  for (const form of document.querySelectorAll("#case form")) form.reset();
  $("case-result").textContent = `工单 ${number}：${what}已记录`;
  await Promise.all([loadLists(), loadCase()]);
}

function fields(form) {
  return Object.fromEntries(new FormData(form));
}

export async function startSupervision() {
  options($("remind-form").elements.form, TEXT_OF.reminderForm());
  options($("supervise-form").elements.trigger, TEXT_OF.trigger());
  options($("supervise-form").elements.form, TEXT_OF.supervisionForm());
  $("remind-form").addEventListener("submit", (event) => {
    event.preventDefault();
    command("催办", `/supervision/tickets/${encodeURIComponent(desk.picked)}/reminders`,
      fields(event.target));
  });
  $("supervise-form").addEventListener("submit", (event) => {
    event.preventDefault();
    command("督办", `/supervision/tickets/${encodeURIComponent(desk.picked)}/supervisions`,
      fields(event.target));
  });
  $("supervision-refresh").addEventListener("click", loadLists);
  await attempt($("supervision-error"), async () => {
    desk.units = await loadUnits();
  });
  await loadLists();
  setInterval(loadLists, POLL_MS);
}

// The select boxes' choices, in the order the API's enums give them.
const TEXT_OF = {
  reminderForm: () => pickLabels("reminderForm", ["phone", "sms", "system"]),
  trigger: () => pickLabels("trigger", ["manual", "overdue", "reminders-exhausted",
    "repeated-complaints", "improper-return", "refused-duty", "second-unsatisfied",
    "same-matter-months", "knowledge-stale"]),
  supervisionForm: () => pickLabels("supervisionForm", ["system", "phone", "sms", "meeting",
    "on_site", "media"]),
};

function pickLabels(table, values) {
  return Object.fromEntries(values.map((value) => [value, label(table, value)]));
}
