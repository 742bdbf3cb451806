// The supervisor's screen (班长席): the live wallboard, monitoring a call, the supervision
// lists and the monthly bulletin. The live picture comes from /telephony/events; the day's
// figures from /telephony/figures, fetched again whenever a call ends.

import {api, attempt, describe} from "./api.js";
import {startBulletin} from "./bulletin.js";
import {LiveFeed} from "./live.js";
import {enter} from "./shell.js";
import {label} from "./text.js";
import {startSupervision} from "./supervision.js";
import {
  orderQueues, renderAgents, renderCallbacks, renderCalls, renderQueues, renderRates, renderSeat,
  tick,
} from "./supervisor-view.js";
import {$} from "./ticket-view.js";

const FIGURES_EVERY_MS = 60_000; // besides every call's end
const DAY_MS = 86_400_000;

const state = {
  seat: "", // the supervisor's own extension, which rings to listen
  queues: ["main"],
  calls: new Map(), // linkedid -> {linkedid, state, caller, queue, agent, callback, ...since}
  agents: new Map(), // interface -> {interface, state, pause_reason, queues, since}
  today: undefined, // Figures of today (Beijing), overall
  day24: undefined, // Figures of the last 24 hours, overall
  byQueue: new Map(), // queue -> today's Figures
  owed: [], // callbacks pending or calling
  refetch: null,
};

// -- the live picture -------------------------------------------------------------------

// When a server time is given (ISO), else now: a screen opened late still counts from then.
function since(iso, fallback) {
  const at = iso ? Date.parse(iso) : NaN;
  return Number.isNaN(at) ? fallback : Math.min(at, Date.now());
}

function onSnapshot(message) {
  const now = Date.now();
  state.calls = new Map(message.calls.map((c) => [c.linkedid, {
    linkedid: c.linkedid, state: c.state, caller: c.caller, queue: c.queue, agent: c.agent,
    callback: Boolean(c.callback_id), stateSince: since(c.started_at, now),
    waitingSince: since(c.queued_at || c.started_at, now)}]));
  state.agents = new Map(message.agents.map((a) => [a.interface, {
    ...a, since: since(a.since, now)}]));
  scheduleFigures(); // calls may have ended while the link was down
  draw();
}

function onCall({key, state: callState, data}) {
  const before = state.calls.get(key);
  if (callState === "ended") {
    state.calls.delete(key);
    scheduleFigures();
  } else {
    const moved = before?.state !== callState;
    const now = Date.now();
    state.calls.set(key, {linkedid: key, state: callState, caller: data.caller_number,
      queue: data.queue, agent: data.agent,
      callback: Boolean(data.callback_id ?? before?.callback),
      stateSince: moved ? now : before.stateSince,
      waitingSince: data.queued_at ? since(data.queued_at, now)
        : callState === "queued" && moved ? now : before?.waitingSince ?? now});
  }
  draw();
}

function onAgent({key, state: agentState, data}) {
  const before = state.agents.get(key);
  const moved = before?.state !== agentState || before?.pause_reason !== data.pause_reason;
  state.agents.set(key, {interface: key, state: agentState, pause_reason: data.pause_reason,
    queues: data.queues || before?.queues || [],
    since: moved ? since(data.since, Date.now()) : before.since});
  draw();
}

const HANDLERS = {snapshot: onSnapshot, call: onCall, agent: onAgent};

// -- the day's figures ------------------------------------------------------------------

const BEIJING_DAY = new Intl.DateTimeFormat("en-CA", {timeZone: "Asia/Shanghai",
  year: "numeric", month: "2-digit", day: "2-digit"});

// Today in Beijing time as [start, end) instants, whatever the browser's own zone.
export function beijingToday(now = Date.now()) {
  const day = BEIJING_DAY.format(now);
  const start = `${day}T00:00:00+08:00`;
  const next = BEIJING_DAY.format(Date.parse(start) + DAY_MS + 3_600_000);
  return [start, `${next}T00:00:00+08:00`];
}

function figuresPath(start, end, by) {
  const query = new URLSearchParams({start, end});
  if (by) query.set("by", by);
  return `/telephony/figures?${query}`;
}

async function loadFigures() {
  const [start, end] = beijingToday();
  const now = Date.now();
  await attempt($("figures-error"), async () => {
    const [today, byQueue, day24, pending, calling] = await Promise.all([
      api("GET", figuresPath(start, end)), api("GET", figuresPath(start, end, "queue")),
      api("GET", figuresPath(new Date(now - DAY_MS).toISOString(),
        new Date(now + 1000).toISOString())),
      api("GET", "/telephony/callbacks?state=pending"),
      api("GET", "/telephony/callbacks?state=calling")]);
    Object.assign(state, {today: today[0], day24: day24[0], owed: [...calling, ...pending],
      byQueue: new Map(byQueue.map((f) => [f.group, f]))});
  });
  draw();
}

// Several calls ending together ask once.
function scheduleFigures() {
  clearTimeout(state.refetch);
  state.refetch = setTimeout(loadFigures, 500);
}

// -- listening, whispering, barging -----------------------------------------------------

async function monitor(linkedid, mode) {
  $("monitor-result").textContent = "";
  const call = state.calls.get(linkedid);
  const done = await attempt($("monitor-error"), () => api("POST",
    `/telephony/calls/${encodeURIComponent(linkedid)}/monitor`,
    {mode, supervisor_phone: state.seat}));
  if (done) {
    $("monitor-result").textContent = `${label("monitor", mode)}：正在呼叫您的分机 ${state.seat}，` +
      `接听后接入 ${call?.caller || linkedid} 与坐席 ${done.channel || call?.agent || ""} 的通话`;
  }
}

async function loadSeat() {
  try {
    const mine = await api("GET", "/telephony/seats/mine");
    state.seat = mine.extension || "";
    state.queues = orderQueues(mine.queues);
  } catch (error) {
    $("monitor-error").textContent = describe(error);
  }
  renderSeat(state.seat);
}

// -- drawing on every change; the waits and durations tick each second -------------------

function draw() {
  const now = Date.now();
  const calls = [...state.calls.values()];
  const agents = [...state.agents.values()];
  renderRates(state.today, state.day24, state.owed);
  renderQueues(state.queues, calls, agents, now, state.byQueue);
  renderAgents(agents);
  renderCalls(calls, state.seat, monitor);
  renderCallbacks(state.owed);
  tick(now);
}

function setLink(kind, text) {
  $("link-status").dataset.state = kind;
  $("link-status").textContent = text;
}

async function start() {
  if (!await enter("supervisor")) return;
  const feed = new LiveFeed((message) => HANDLERS[message.kind]?.(message), setLink);
  $("logout").addEventListener("click", () => feed.stop());
  await loadSeat();
  draw();
  feed.connect();
  loadFigures();
  setInterval(loadFigures, FIGURES_EVERY_MS);
  setInterval(() => tick(Date.now()), 1000);
  startSupervision();
  startBulletin();
}

start();
