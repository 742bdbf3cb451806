// The agent's screen: one state object, the live events that change it, the agent's commands.

import {api, attempt, describe, eventsUrl} from "./api.js";
import {enter, leave} from "./shell.js";
import {TEXT} from "./text.js";
import {
  $, FIELDS, TERMINAL, renderCalls, renderDraft, renderEmergency, renderSeat,
  renderSuggestions, renderTicket, renderTitle, renderTranscript, setLink, showConfidence,
} from "./agent-view.js";

const PHONE = /^\+?[0-9-]{3,20}$/; // what the ticket API takes as a phone number
const LIVE_CALL = new Set(["connected", "in_conference"]);
const PER_CALL = ["drafts", "partials", "suggestions", "handoffs", "tickets", "edits"];

const state = {
  user: null,
  seat: "", // the interface of the seat an administrator bound to the user
  seatInterfaces: new Set(), // every interface of that seat (a simulated answerer too)
  calls: new Map(), // linkedid -> {linkedid, state, caller, agent, source_line, ...}
  agents: new Map(), // interface -> {state, pause_reason}
  drafts: new Map(), // linkedid -> {draft, transcript, final, seq}
  partials: new Map(), // linkedid -> Map(speaker -> text still being recognised)
  suggestions: new Map(), // linkedid -> {units, similar_open_tickets, knowledge}
  handoffs: new Map(), // linkedid -> Map(kind -> what the linkage announced last)
  tickets: new Map(), // linkedid -> the ticket registered for the call
  edits: new Map(), // linkedid -> Map(field -> the agent's value): drafts leave these alone
  autoPicked: new Set(), // calls picked for the agent once (they may pick another after)
  picked: null,
  socket: null,
  retries: 0,
  reconnect: null,
};

// -- entering the page and leaving it ---------------------------------------------------

async function start() {
  state.user = await enter("agent");
  if (!state.user) return;
  await loadSeat();
  connect();
}

// Leaving the desk: the live link is closed first, so it does not try to reconnect.
function stopLive() {
  clearTimeout(state.reconnect);
  const socket = state.socket;
  state.socket = null;
  socket?.close();
}

// The seat is the administrator's binding, never typed in: an agent steers only their own.
async function loadSeat() {
  try {
    const mine = await api("GET", "/telephony/seats/mine");
    state.seat = mine.interfaces[0] || "";
    state.seatInterfaces = new Set(mine.interfaces);
  } catch (error) {
    $("seat-error").textContent = describe(error);
  }
  showSeat();
}

function isMine(call) {
  return Boolean(call?.agent) && state.seatInterfaces.has(call.agent);
}

// -- the live events, reconnecting with back-off ------------------------------------------

function connect() {
  const socket = new WebSocket(eventsUrl());
  state.socket = socket;
  socket.onmessage = (event) => onMessage(JSON.parse(event.data));
  socket.onclose = () => reconnectLater(socket);
  setLink("connecting", "实时连接：连接中…");
}

function reconnectLater(socket) {
  if (state.socket !== socket) return; // logged out, or already replaced
  state.socket = null;
  const delay = Math.min(30, 2 ** state.retries); // 1, 2, 4 … 30 s
  state.retries += 1;
  setLink("off", `实时连接：已断开，${delay} 秒后重连`);
  state.reconnect = setTimeout(async () => {
    try {
      await api("GET", "/auth/me"); // an expired login is not worth reconnecting for
    } catch (error) {
      if (error.status === 401) {
        stopLive();
        return leave("登录已过期，请重新登录");
      }
    }
    connect();
  }, delay * 1000);
}

const HANDLERS = {snapshot: onSnapshot, call: onCall, agent: onAgent, draft: onDraft,
  transcript: onPartial, suggestions: onSuggestions, emergency: onEmergency};

function onMessage(message) {
  HANDLERS[message.kind]?.(message);
}

function onSnapshot(message) {
  state.retries = 0; // the link is up again: the next drop starts the back-off afresh
  setLink("on", "实时连接：已连接");
  const before = state.calls;
  state.calls = new Map(message.calls.map((call) => [call.linkedid, call]));
  for (const [linkedid, call] of before) {
    if (state.calls.has(linkedid)) continue;
    state.calls.set(linkedid, {...call, state: "ended"}); // ended while the link was down
    if (!worthKeeping(linkedid)) forget(linkedid);
  }
  state.agents = new Map(message.agents.map((agent) => [agent.interface, agent]));
  showCalls();
  showSeat();
  autoPick();
}

function onCall({key, state: callState, data}) {
  const call = {...state.calls.get(key), linkedid: key, state: callState,
    caller: data.caller_number, caller_name: data.caller_name, queue: data.queue,
    agent: data.agent, source_line: data.source_line};
  state.calls.set(key, call);
  if (callState === "ended" && !worthKeeping(key)) forget(key);
  showCalls();
  autoPick();
  if (key === state.picked) renderTitle(key, call);
}

function onAgent({key, state: agentState, data}) {
  state.agents.set(key, {interface: key, state: agentState, pause_reason: data.pause_reason});
  showSeat();
}

function onDraft({key, state: draftState, data}) {
  storeDraft(key, data, draftState === "final");
  state.partials.delete(key); // the words being recognised are final now
  if (key === state.picked) showCall();
}

function storeDraft(key, data, final) {
  const seq = (state.drafts.get(key)?.seq || 0) + 1;
  state.drafts.set(key, {draft: data.draft, transcript: data.transcript || [], final, seq});
}

function onPartial({key, data}) {
  if (!state.partials.has(key)) state.partials.set(key, new Map());
  state.partials.get(key).set(data.speaker, data.readable ?? data.text);
  if (key === state.picked) showTranscript();
}

function onSuggestions({key, data}) {
  state.suggestions.set(key, data);
  if (key === state.picked) renderSuggestions(data);
}

function onEmergency({key, state: what, data}) {
  const kinds = state.handoffs.get(key) || new Map();
  const change = what in TEXT.data ? {data_note: what} : {...data, state: what};
  kinds.set(data.kind, {...kinds.get(data.kind), ...change, linkedid: key});
  state.handoffs.set(key, kinds);
  if (!state.picked) pick(key);
  showCalls();
  if (key === state.picked) renderEmergency(currentHandoff());
}

// -- picking a call ---------------------------------------------------------------------

function autoPick() {
  const mine = [...state.calls.values()].find((call) => isMine(call)
    && LIVE_CALL.has(call.state) && !state.autoPicked.has(call.linkedid));
  if (!mine) return;
  state.autoPicked.add(mine.linkedid);
  pick(mine.linkedid);
}

function pick(linkedid) {
  if (state.picked === linkedid) return;
  const left = state.picked;
  state.picked = linkedid;
  if (state.calls.get(left)?.state === "ended" && !worthKeeping(left)) forget(left);
  $("draft-form").reset();
  $("form-error").textContent = "";
  $("emergency-error").textContent = "";
  showCalls();
  showCall();
  fetchDraft(linkedid);
}

// A screen opened (or a call picked) after the call began: the draft so far, from the server.
async function fetchDraft(linkedid) {
  const seq = state.drafts.get(linkedid)?.seq || 0;
  try {
    const out = await api("GET", `/calls/${encodeURIComponent(linkedid)}/draft`);
    if ((state.drafts.get(linkedid)?.seq || 0) !== seq) return; // a live draft is newer
    storeDraft(linkedid, out, state.calls.get(linkedid)?.state === "ended");
    state.suggestions.set(linkedid, out.suggestions);
    if (linkedid === state.picked) showCall();
  } catch (error) {
    if (error.status === 404 || linkedid !== state.picked) return; // nothing said yet
    $("form-error").textContent = describe(error);
  }
}

// An ended call stays listed while the agent may still register its ticket.
function worthKeeping(linkedid) {
  const call = state.calls.get(linkedid);
  const theirs = state.edits.has(linkedid) || isMine(call);
  return linkedid === state.picked || (theirs && !state.tickets.has(linkedid));
}

function forget(linkedid) {
  state.calls.delete(linkedid);
  for (const name of PER_CALL) state[name].delete(linkedid);
}

function currentHandoff() {
  const all = [...(state.handoffs.get(state.picked)?.values() || [])];
  return all.reverse().find((h) => !TERMINAL.has(h.state)) || all[0];
}

// -- what the page shows ----------------------------------------------------------------

function showSeat() {
  const agent = [...state.seatInterfaces].map((name) => state.agents.get(name))
    .find(Boolean);
  renderSeat(state.seat, agent);
}

function showCalls() {
  const calls = [...state.calls.values()].map((call) => ({call,
    picked: call.linkedid === state.picked, mine: isMine(call),
    emergency: state.handoffs.has(call.linkedid)}));
  renderCalls(calls, pick);
}

function showTranscript() {
  renderTranscript(state.drafts.get(state.picked)?.transcript || [],
    state.partials.get(state.picked) || new Map());
}

function showTicket() {
  const ticket = state.tickets.get(state.picked);
  renderTicket(ticket, Boolean(ticket && state.picked)); // one ticket per call
}

function showCall() {
  renderTitle(state.picked, state.calls.get(state.picked));
  renderDraft(state.drafts.get(state.picked), state.edits.get(state.picked) || new Map());
  showTranscript();
  renderSuggestions(state.suggestions.get(state.picked) || {});
  renderEmergency(currentHandoff());
  showTicket();
}

// -- the agent's commands ---------------------------------------------------------------

function onEdit({target}) {
  if (!FIELDS.includes(target.name) || !state.picked) return;
  if (!state.edits.has(state.picked)) state.edits.set(state.picked, new Map());
  state.edits.get(state.picked).set(target.name,
    target.type === "checkbox" ? target.checked : target.value);
  showConfidence(target.name, undefined, true);
}

async function seatAction(action, extra = {}) {
  if (!state.seat) return;
  const agent = [...state.seatInterfaces].find((name) => state.agents.has(name));
  await attempt($("seat-error"), () => api("POST", `/telephony/agents/${action}`,
    {interface: agent || state.seat, ...extra}));
}

async function linkageAction(action) {
  const h = currentHandoff();
  if (!h) return;
  const call = encodeURIComponent(h.linkedid);
  await attempt($("emergency-error"), async () => {
    if (action === "agent-leaves") return api("POST", `/telephony/calls/${call}/agent-leaves`);
    const body = {kind: h.kind};
    if (action === "cancel") body.reason = "坐席核实为误报";
    const ticket = state.tickets.get(h.linkedid);
    if (action === "confirm" && ticket) body.ticket_number = ticket.number;
    const out = await api("POST", `/linkage/calls/${call}/${action}`, body);
    onEmergency({key: h.linkedid, state: out.state, data: {kind: h.kind, number: out.number}});
  });
}

async function raiseAlert() {
  const kind = $("f-emergency").value;
  if (!state.picked || !kind) {
    $("form-error").textContent = "请先选择通话和应急联动类型";
    return;
  }
  await attempt($("form-error"), () => api("POST",
    `/linkage/calls/${encodeURIComponent(state.picked)}/alert`,
    {kind, excerpt: $("f-summary").value.slice(0, 500)}));
}

// The form as the ticket API's TicketCreate: the caller's number when the draft has none.
function ticketBody() {
  const value = (name) => $(`f-${name}`).value.trim();
  const call = state.calls.get(state.picked) || {};
  const callerNumber = PHONE.test(call.caller || "") ? call.caller : null;
  const said = (state.drafts.get(state.picked)?.transcript || [])
    .map((t) => `${TEXT.speaker[t.speaker] || t.speaker}：${t.text}`);
  const body = {channel: "phone", media: "voice", request_type: value("request_type"),
    category: value("category") || null, urgency: value("urgency"),
    requester: {phone: value("phone") || callerNumber},
    requester_kind: $("f-enterprise").checked ? "enterprise" : "citizen",
    identity_disclosable: !$("f-confidential").checked, place: value("address"),
    summary: value("summary"), content: said.join("\n").slice(0, 20000) || value("summary"),
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

// -- wiring -----------------------------------------------------------------------------

function init() {
  $("logout").addEventListener("click", () => stopLive());
  $("draft-form").addEventListener("submit", submitTicket);
  $("draft-form").addEventListener("input", onEdit);
  $("seat-login").addEventListener("click", () => seatAction("login", {queue: "main"}));
  $("seat-logout").addEventListener("click", () => seatAction("logout", {queue: "main"}));
  $("seat-pause").addEventListener("click", () => seatAction("pause",
    {reason: $("pause-reason").value}));
  $("seat-unpause").addEventListener("click", () => seatAction("unpause"));
  for (const button of document.querySelectorAll("[data-linkage]")) {
    button.addEventListener("click", () => linkageAction(button.dataset.linkage));
  }
  $("raise-alert").addEventListener("click", raiseAlert);
  showSeat();
  showCall();
  start();
}

init();
