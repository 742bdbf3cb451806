// The ticket form: the draft's fields, the caller's name and the full content, each kept
// once the agent edits it; 登记工单, then the ticket's number, state and deadline, and its
// full view (fields, deadlines, history) in a dialog.

import {api, attempt} from "./api.js";
import {TEXT} from "./text.js";
import {pickedCall, state} from "./agent-state.js";
import {$, FORM_FIELDS, renderTicket, showConfidence} from "./agent-view.js";
import {renderTicketView, when} from "./ticket-view.js";

const PHONE = /^\+?[0-9-]{3,20}$/; // what the ticket API takes as a phone number

// The number the call came from, when it is one a ticket can keep (not "anonymous").
export function callerPhone(call) {
  return PHONE.test(call?.caller || "") ? call.caller : null;
}

// The call's transcript as the content's first text: readable words, one turn a line.
export function contentOf(transcript) {
  return (transcript || []).map((t) => `${TEXT.speaker[t.speaker] || t.speaker}：${
    t.readable ?? t.text}`).join("\n").slice(0, 20000);
}

export function onEdit({target}) {
  if (!FORM_FIELDS.includes(target.name) || !state.picked) return;
  if (!state.edits.has(state.picked)) state.edits.set(state.picked, new Map());
  state.edits.get(state.picked).set(target.name,
    target.type === "checkbox" ? target.checked : target.value);
  showConfidence(target.name, undefined, true);
  if (target.name === "phone") $("phone-source").textContent = "";
}

// An emergency the caller keyed in the IVR: its kind and 非常紧急, under the agent's edits.
export function presetEmergency(linkedid, kind) {
  const known = [...$("f-emergency").options].some((o) => o.value === kind);
  const preset = new Map([["urgency", "非常紧急"]]);
  if (known) preset.set("emergency", kind);
  state.presets.set(linkedid, preset);
}

// The form as the ticket API's TicketCreate: the caller's number when the form has none.
function ticketBody() {
  const value = (name) => $(`f-${name}`).value.trim();
  const call = pickedCall() || {};
  const callerNumber = callerPhone(call);
  const body = {channel: "phone", media: "voice", request_type: value("request_type"),
    category: value("category") || null, urgency: value("urgency"),
    requester: {name: value("name") || null, phone: value("phone") || callerNumber},
    requester_kind: $("f-enterprise").checked ? "enterprise" : "citizen",
    identity_disclosable: !$("f-confidential").checked, place: value("address"),
    summary: value("summary"), content: value("content") || value("summary"),
    accept: !value("not_accepted")};
  if (state.picked) Object.assign(body, {calls: [state.picked], transcript_ref: state.picked});
  if (call.source_line) body.source_line = call.source_line;
  return body;
}

async function submitTicket(event) {
  event.preventDefault();
  const linkedid = state.picked;
  $("ticket-result").textContent = "";
  await attempt($("form-error"), async () => {
    const ticket = await api("POST", "/tickets", ticketBody());
    state.tickets.set(linkedid, ticket);
    const reason = $("f-not_accepted").value;
    if (!reason) return;
    showTicket(); // registered, whatever becomes of the refusal below
    state.tickets.set(linkedid, await api("POST", `/tickets/${ticket.number}/refuse`,
      {version: ticket.version, refusal_reason: reason, reason: $("f-summary").value}));
  });
  if (linkedid === state.picked) showTicket();
}

// The deadlines the ticket has now: handling once dispatched, the review's before.
export function dueText(ticket) {
  const d = ticket.deadlines || {};
  const mark = d.provisional ? "（暂定：该年节假日尚未导入）" : "";
  if (d.handle_due) return `办理期限 ${when(d.handle_due)}${mark}`;
  if (d.review_due) return `审核派单期限 ${when(d.review_due)}${mark}（办理期限派单后起算）`;
  return ticket.is_open ? "办理期限派单后起算" : "";
}

export function showTicket() {
  const ticket = state.tickets.get(state.picked);
  renderTicket(ticket, Boolean(ticket && state.picked), ticket ? dueText(ticket) : "");
}

// The ticket as it stands now, with its history: the reviewer may already have moved it.
async function openTicket() {
  const ticket = state.tickets.get(state.picked);
  if (!ticket) return;
  $("ticket-view").replaceChildren();
  $("ticket-dialog").showModal();
  await attempt($("ticket-error"), async () => {
    const path = `/tickets/${encodeURIComponent(ticket.number)}`;
    const [now, history] = await Promise.all([api("GET", path), api("GET", `${path}/history`)]);
    const units = new Map(state.units.map((u) => [u.id, u]));
    renderTicketView($("ticket-view"), {ticket: now, history, merged: []}, units);
  });
}

export function initForm() {
  $("draft-form").addEventListener("submit", submitTicket);
  $("draft-form").addEventListener("input", onEdit);
  $("ticket-open").addEventListener("click", openTicket);
  $("ticket-close").addEventListener("click", () => $("ticket-dialog").close());
}
