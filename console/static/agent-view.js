// Drawing the state: each function renders what it is given. Data reaches the page as text
// (textContent, value, dataset) only, never as markup.

import {TEXT, label} from "./text.js";

export const FIELDS = ["request_type", "category", "urgency", "emergency", "enterprise",
  "confidential", "phone", "address", "not_accepted", "summary"]; // what the drafting fills
export const FORM_FIELDS = [...FIELDS, "name", "content"]; // and what the agent adds
export const TERMINAL = new Set(["cancelled", "ended", "agent-left"]);
const LOW_CONFIDENCE = 0.7; // below this a drafted field is highlighted for the agent to check
const ACTIONS = { // the agent's commands each hand-off state admits (the API has the last word)
  alerted: ["confirm", "cancel"], confirmed: ["retry", "cancel"],
  "line-unanswered": ["retry", "cancel"], joined: ["agent-leaves"],
};

export const $ = (id) => document.getElementById(id);

export function el(tag, text, className) {
  const node = document.createElement(tag);
  if (text !== undefined) node.textContent = text;
  if (className) node.className = className;
  return node;
}

export function setLink(kind, text) {
  $("link-status").dataset.state = kind;
  $("link-status").textContent = text;
}

// calls: [{call, picked, mine, emergency}]; onPick(linkedid) when the agent picks one,
// onDismiss(linkedid) when they take an ended call off the list (✕).
export function renderCalls(calls, onPick, onDismiss) {
  $("calls").replaceChildren(...calls.map(({call, picked, mine, emergency}) => {
    const button = el("button", undefined, picked ? "call-pick picked" : "call-pick");
    button.type = "button";
    button.dataset.linkedid = call.linkedid;
    button.append(el("strong", call.caller || "未知号码"),
      el("span", label("call", call.state), "call-state"));
    if (call.agent) button.append(el("span", mine ? "我的通话" : call.agent, "muted"));
    if (emergency) button.append(el("span", "紧急", "tag-emergency"));
    button.addEventListener("click", () => onPick(call.linkedid));
    const item = el("li", undefined, "call-row");
    item.append(button);
    if (call.state === "ended") {
      const dismiss = el("button", "✕", "dismiss");
      dismiss.type = "button";
      dismiss.title = "从列表中移除";
      dismiss.setAttribute("aria-label", `移除通话 ${call.caller || call.linkedid}`);
      dismiss.addEventListener("click", () => onDismiss(call.linkedid));
      item.append(dismiss);
    }
    return item;
  }));
  $("no-calls").hidden = calls.length > 0;
}

export function renderTitle(linkedid, call) {
  $("call-title").textContent = !linkedid ? "（未选择通话）"
    : `${call?.caller || linkedid} · ${call ? label("call", call.state) : "通话"}`;
}

// entry: {draft, transcript, final} or undefined; edits: Map(field -> the agent's value),
// which nothing overwrites; presets: Map(field -> value) an IVR emergency key set, over the
// draft's; content: the transcript as the content's text; caller: the caller ID, the
// callback number until a draft says otherwise.
export function renderDraft(entry, edits, presets, {content, caller}) {
  $("draft-state").textContent = !entry ? ""
    : entry.final ? "草稿已完成（市民已挂机）" : "草稿随通话实时更新";
  const drafted = {...entry?.draft, content, name: undefined};
  let source = entry?.draft.phone_source;
  if (!entry && caller) [drafted.phone, source] = [caller, "caller_id"];
  for (const name of FORM_FIELDS) {
    if (edits.has(name)) setValue(name, edits.get(name));
    else if (presets.has(name)) setValue(name, presets.get(name));
    else if (entry || name in drafted) setValue(name, drafted[name]);
    const preset = presets.has(name) && !edits.has(name);
    showConfidence(name, preset ? undefined : entry?.draft.confidence?.[name], edits.has(name),
      preset ? "语音导航按键" : "");
  }
  if (edits.has("phone")) source = "";
  $("phone-source").textContent = TEXT.phoneSource[source] || "";
  $("phone-source").dataset.source = source || "";
}

function setValue(name, value) {
  const input = $(`f-${name}`);
  if (input.type === "checkbox") input.checked = Boolean(value);
  else input.value = value ?? "";
}

// note: where a value came from when no confidence says it (an IVR key).
export function showConfidence(name, confidence, edited, note = "") {
  const box = document.querySelector(`[data-field="${name}"]`);
  let meter = box.querySelector("meter");
  if (!meter) {
    meter = Object.assign(el("meter"), {min: 0, max: 1, low: LOW_CONFIDENCE, high: 0.85,
      optimum: 1});
    box.append(meter, el("span", "", "confidence"));
  }
  const known = typeof confidence === "number";
  meter.value = known ? confidence : 0;
  meter.hidden = !known || edited;
  box.querySelector(".confidence").textContent = edited ? "已人工修改"
    : known ? `置信度 ${Math.round(confidence * 100)}%` : note;
  box.classList.toggle("low", known && !edited && confidence < LOW_CONFIDENCE);
  box.classList.toggle("edited", edited);
}

// transcript: [{speaker, text, readable}] final turns; partials: Map(speaker -> text being
// recognised). The readable text (joined, numbers in digits) when the server sends it.
export function renderTranscript(transcript, partials) {
  const turns = transcript.map((t) => turn({speaker: t.speaker, text: t.readable ?? t.text}, false));
  for (const [speaker, text] of partials) turns.push(turn({speaker, text}, true));
  $("transcript").replaceChildren(...turns);
}

function turn({speaker, text}, partial) {
  const item = el("li", undefined, `turn ${speaker}${partial ? " partial" : ""}`);
  item.append(el("span", TEXT.speaker[speaker] || speaker, "speaker"), el("span", text, "text"));
  return item;
}

export function renderSuggestions(found) {
  fillList("suggest-units", found.units, (u) => [u.name, u.territory ? `辖区：${u.territory}` : ""]);
  fillList("suggest-tickets", found.similar_open_tickets, (t) => [`${t.number}（${t.state}）`,
    `${t.summary} · 相似度 ${Math.round(t.similarity * 100)}%`]);
  fillList("suggest-knowledge", found.knowledge, (k) => [k.title, `匹配度 ${k.score}`]);
}

function fillList(id, items, describe) {
  $(id).replaceChildren(...(items || []).map((entry) => {
    const [title, detail] = describe(entry);
    const item = el("li");
    item.append(el("strong", title), el("span", detail, "muted"));
    return item;
  }));
}

// h: what the linkage announced last of the hand-off shown, or undefined.
export function renderEmergency(h) {
  $("emergency").hidden = !h;
  if (!h) return;
  $("emergency").classList.toggle("finished", TERMINAL.has(h.state));
  const named = h.label ? `（${h.label}）` : "";
  $("emergency-title").textContent = `紧急情况：${label("kind", h.kind)}${named}`;
  const facts = [`状态：${label("handoff", h.state)}`];
  if (h.listed === false) facts.push(`应急联动清单中没有“${h.kind}”，请按预案处置`);
  if (h.number) facts.push(`当前号码 ${h.number}`);
  if (h.numbers?.length) facts.push(`号码顺序 ${h.numbers.join("、")}`);
  if (h.data_note) facts.push(label("data", h.data_note));
  $("emergency-detail").textContent = facts.join("；");
  $("emergency-excerpt").textContent = h.excerpt ? `来电原话：${h.excerpt}` : "";
  for (const button of document.querySelectorAll("[data-linkage]")) {
    button.disabled = !(ACTIONS[h.state] || []).includes(button.dataset.linkage);
  }
}

// ticket: the one registered for the call, or undefined; due: its deadline in words.
export function renderTicket(ticket, locked, due) {
  $("ticket-box").hidden = !ticket;
  $("ticket-result").textContent = ticket
    ? `已登记工单 ${ticket.number}（${label("state", ticket.state)}）` : "";
  $("ticket-due").textContent = due || "";
  $("submit-ticket").disabled = locked;
}
