// The agent's screen: the live events that change the desk's state, picking a call, the
// emergency hand-off's commands. The seat, the call buttons and the ticket form have modules
// of their own.

import {api, attempt, describe, eventsUrl} from "./api.js";
import {enter, leave} from "./shell.js";
import {TEXT} from "./text.js";
import {LIVE_CALL, forget, isMine, state} from "./agent-state.js";
import {initControls, loadUnits, showControls, showTargets} from "./agent-controls.js";
import {callerPhone, contentOf, initForm, presetEmergency, showTicket} from "./agent-form.js";
import {initSeat, loadSeat, showSeat} from "./agent-seat.js";
import {
  $, TERMINAL, renderCalls, renderDraft, renderEmergency, renderSuggestions, renderTitle,
  renderTranscript, setLink,
} from "./agent-view.js";

// -- entering the page and leaving it ---------------------------------------------------

async function start() {
  state.user = await enter("agent");
  if (!state.user) return;
  await loadSeat();
  showTargets();
  loadUnits();
  connect();
}

// Leaving the desk: the live link is closed first, so it does not try to reconnect.
function stopLive() {
  clearTimeout(state.reconnect);
  const socket = state.socket;
  state.socket = null;
  socket?.close();
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
  if (key === state.picked) {
    renderTitle(key, call);
    showControls();
  }
}

function onAgent({key, state: agentState, data}) {
  state.agents.set(key, {interface: key, state: agentState, pause_reason: data.pause_reason,
    queues: data.queues || []});
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
  if (key !== state.picked) return;
  renderSuggestions(data);
  showControls(); // the suggested units come first in the 三方通话 picker
}

function onEmergency({key, state: what, data}) {
  const kinds = state.handoffs.get(key) || new Map();
  const change = what in TEXT.data ? {data_note: what} : {...data, state: what};
  kinds.set(data.kind, {...kinds.get(data.kind), ...change, linkedid: key});
  state.handoffs.set(key, kinds);
  if (data.source === "ivr" && what === "alerted") presetEmergency(key, data.kind);
  if (!state.picked) pick(key);
  showCalls();
  if (key === state.picked) showCall();
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
  loadUnits(); // their numbers as they stand now, for 三方通话
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

// ✕ on an ended call: the agent is done with it (its ticket registered or not needed).
function dismiss(linkedid) {
  forget(linkedid);
  if (state.picked === linkedid) {
    state.picked = null;
    $("draft-form").reset();
    $("form-error").textContent = "";
    showCall();
  }
  showCalls();
}

function currentHandoff() {
  const all = [...(state.handoffs.get(state.picked)?.values() || [])];
  return all.reverse().find((h) => !TERMINAL.has(h.state)) || all[0];
}

// -- what the page shows ----------------------------------------------------------------

function showCalls() {
  const calls = [...state.calls.values()].map((call) => ({call,
    picked: call.linkedid === state.picked, mine: isMine(call),
    emergency: state.handoffs.has(call.linkedid)}));
  renderCalls(calls, pick, dismiss);
}

function showTranscript() {
  renderTranscript(state.drafts.get(state.picked)?.transcript || [],
    state.partials.get(state.picked) || new Map());
}

function showCall() {
  renderTitle(state.picked, state.calls.get(state.picked));
  const entry = state.drafts.get(state.picked);
  renderDraft(entry, state.edits.get(state.picked) || new Map(),
    state.presets.get(state.picked) || new Map(),
    {content: contentOf(entry?.transcript), caller: callerPhone(state.calls.get(state.picked))});
  showTranscript();
  renderSuggestions(state.suggestions.get(state.picked) || {});
  renderEmergency(currentHandoff());
  showTicket();
  showControls();
}

// -- the agent's commands ---------------------------------------------------------------

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

// -- wiring -----------------------------------------------------------------------------

function init() {
  $("logout").addEventListener("click", () => stopLive());
  initSeat();
  initControls();
  initForm();
  for (const button of document.querySelectorAll("[data-linkage]")) {
    button.addEventListener("click", () => linkageAction(button.dataset.linkage));
  }
  $("raise-alert").addEventListener("click", raiseAlert);
  showCall();
  start();
}

init();
