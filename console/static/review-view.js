// Drawing the reviewer's screen: the queues' tabs, the commands a ticket admits now, the
// dispatch form with the suggested units first. Text only, never markup.

import {$, el, showCommands} from "./ticket-view.js";
import {label} from "./text.js";

// queue -> the GET /tickets filters it stands for
export const QUEUES = {
  intake: [["state", "draft"]],
  dispatch: [["state", "accepted"], ["state", "reviewed"]],
  returned: [["state", "returned"]],
  replied: [["state", "replied"]],
  open: [["open", "true"]],
};
const TAB_NAMES = {intake: "待受理", dispatch: "待审核派单", returned: "退回待定",
  replied: "答复待审", open: "全部未结"};

export function renderTabs(current, counts) {
  for (const tab of document.querySelectorAll("[data-queue]")) {
    const name = tab.dataset.queue;
    tab.setAttribute("aria-selected", String(name === current));
    const count = counts[name];
    tab.textContent = count === undefined ? TAB_NAMES[name] : `${TAB_NAMES[name]}（${count}）`;
  }
}

// The profile's reasons, each with its article (a refusal must tell the caller why).
export function renderRefusals(policy) {
  $("refusal-reason").replaceChildren(...Object.entries(policy.refusal_reasons)
    .map(([reason, article]) => {
      const option = el("option", `${label("refusal", reason)}（${article}）`);
      option.value = reason;
      return option;
    }));
}

const EDITABLE = new Set(["draft", "accepted", "reviewed"]); // intake.EDITABLE_STATES
export const EDITED = ["category", "urgency", "place", "summary"];

// The commands the ticket admits now (corrections while at intake); a return accepted is
// dispatched again.
export function renderActions(ticket) {
  const editable = Boolean(ticket) && EDITABLE.has(ticket.state);
  showCommands(ticket && {...ticket,
    allowed_events: [...ticket.allowed_events, ...(editable ? ["update"] : [])]});
  for (const name of EDITED) $(`edit-${name}`).value = ticket?.[name] ?? "";
  const redispatch = Boolean(ticket?.allowed_events.includes("redispatch"));
  $("dispatch-title").textContent = redispatch ? "同意退回并改派" : "派单";
  $("do-dispatch").textContent = redispatch ? "同意退回并改派" : "派单";
}

// The unit's reason for its return, from the ticket's newest return step.
export function renderReturnReason(history) {
  const step = [...history].reverse().find((s) => s.event === "return");
  $("return-reason").textContent = step ? `退回理由：${step.reason}（${step.actor}）` : "";
}

// suggestions: [{id, name, territory, duty_words}] best first; units: Map(id -> unit);
// returning: the unit that asked to return the ticket (offered last, never by default).
export function renderDispatch(units, suggestions, returning = null) {
  const suggested = suggestions.filter((s) => units.get(s.id)?.active !== false
    && s.id !== returning);
  const others = [...units.values()].filter((u) => u.active
    && !suggested.some((s) => s.id === u.id))
    .sort((a, b) => (a.id === returning) - (b.id === returning));
  const named = (u) => (u.id === returning ? `${u.name}（申请退回）` : u.name);
  const lead = $("lead-unit");
  const best = el("optgroup");
  best.label = suggested.length ? "推荐承办单位" : "推荐承办单位（无）";
  best.append(...suggested.map((s) => option(s.id, `${s.name}（推荐：${why(s)}）`)));
  const rest = el("optgroup");
  rest.label = "其他单位";
  rest.append(...others.map((u) => option(u.id, named(u))));
  lead.replaceChildren(best, rest);
  const ordered = [...suggested.map((s) => [s.id, `${s.name}（推荐）`]),
    ...others.map((u) => [u.id, named(u)])];
  $("co-units").replaceChildren(...ordered.map(([id, text]) => {
    const box = el("label", undefined, "choice");
    const input = el("input");
    Object.assign(input, {type: "checkbox", name: "co_unit_ids", value: String(id)});
    box.append(input, ` ${text}`);
    return box;
  }));
}

function why(suggestion) {
  const reasons = [];
  if (suggestion.territory) reasons.push(`辖区 ${suggestion.territory}`);
  if (suggestion.duty_words.length) reasons.push(`职责 ${suggestion.duty_words.join("、")}`);
  return reasons.join("，");
}

function option(value, text) {
  const node = el("option", text);
  node.value = String(value);
  return node;
}
