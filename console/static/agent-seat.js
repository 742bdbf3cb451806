// The agent's own seat: which one (the administrator's binding), the queues it serves (the
// agent's choice, remembered in this browser), 签入/签出 to each, 示忙/示闲.

import {api, attempt, describe} from "./api.js";
import {label, queueLabel} from "./text.js";
import {mySeat, state} from "./agent-state.js";
import {$, el} from "./agent-view.js";

const CHOSEN = "hotline.queues."; // + the username: the queues this agent joins at 签入
const FIRST = ["main", "enterprise", "dialect"]; // then the legacy lines' queues, by name

function ordered(queues) {
  const rank = (q) => (FIRST.includes(q) ? FIRST.indexOf(q) : FIRST.length);
  return [...queues].sort((a, b) => rank(a) - rank(b) || a.localeCompare(b));
}

// The seat is the administrator's binding, never typed in: an agent steers only their own.
export async function loadSeat() {
  try {
    const mine = await api("GET", "/telephony/seats/mine");
    state.seat = mine.interfaces[0] || "";
    state.seatInterfaces = new Set(mine.interfaces);
    state.queues = ordered(mine.queues);
    state.chosenQueues = rememberedChoice(mine.queues);
  } catch (error) {
    $("seat-error").textContent = describe(error);
  }
  drawChoices();
  showSeat();
}

function storageKey() {
  return CHOSEN + (state.user?.username || "");
}

// What the agent chose last time, of the queues the PBX still has; the main queue at first.
function rememberedChoice(queues) {
  let stored = null;
  try {
    stored = JSON.parse(localStorage.getItem(storageKey()) || "null");
  } catch {
    stored = null; // an unreadable entry is a first visit
  }
  const known = Array.isArray(stored) ? stored.filter((q) => queues.includes(q)) : [];
  if (Array.isArray(stored)) return new Set(known);
  return new Set(queues.includes("main") ? ["main"] : queues.slice(0, 1));
}

function drawChoices() {
  $("queue-choices").replaceChildren(...state.queues.map((queue) => {
    const box = Object.assign(el("input"), {type: "checkbox", value: queue,
      checked: state.chosenQueues.has(queue)});
    box.dataset.queue = queue;
    box.addEventListener("change", () => choose(queue, box.checked));
    const item = el("label", undefined, "choice");
    item.append(box, el("span", queueLabel(queue)), el("span", "", "joined"));
    return item;
  }));
  $("seat-queues").hidden = state.queues.length === 0;
}

function choose(queue, chosen) {
  if (chosen) state.chosenQueues.add(queue);
  else state.chosenQueues.delete(queue);
  localStorage.setItem(storageKey(), JSON.stringify([...state.chosenQueues]));
  showSeat();
}

export function showSeat() {
  const agent = mySeat();
  const current = agent?.state || "logged_out";
  const joined = new Set(current === "logged_out" ? [] : agent?.queues || []);
  const seat = state.seat;
  $("seat-interface").textContent = seat || "未绑定（请联系管理员绑定分机）";
  $("seat-state").textContent = label("agent", current);
  $("seat-reason").textContent = agent?.pause_reason ? `（${agent.pause_reason}）` : "";
  $("seat-in").textContent = joined.size ? ordered(joined).map(queueLabel).join("、") : "无";
  for (const box of document.querySelectorAll("#queue-choices input")) {
    box.closest("label").querySelector(".joined").textContent =
      joined.has(box.value) ? "（已签入）" : "";
  }
  const toJoin = [...state.chosenQueues].filter((q) => !joined.has(q));
  $("seat-login").disabled = !seat || toJoin.length === 0;
  $("seat-logout").disabled = !seat || joined.size === 0 || current === "on_call";
  $("seat-pause").disabled = !seat
    || !["available", "after_call_work", "paused"].includes(current);
  $("seat-unpause").disabled = !seat || current !== "paused";
}

// The interface the line knows the seat by (the simulator's answerer, or the softphone).
function seatInterface() {
  return [...state.seatInterfaces].find((name) => state.agents.has(name)) || state.seat;
}

// 签入: each chosen queue the seat is not in yet; 签出: each queue it is in. Each queue's
// refusal is shown with its error_id; the others still go ahead.
async function eachQueue(action, queues) {
  $("seat-error").textContent = "";
  const refused = [];
  for (const queue of queues) {
    try {
      await api("POST", `/telephony/agents/${action}`, {interface: seatInterface(), queue});
    } catch (error) {
      refused.push(`${queueLabel(queue)}：${describe(error)}`);
    }
  }
  $("seat-error").textContent = refused.join("；");
}

function logIn() {
  if (!state.seat) return undefined;
  const agent = mySeat();
  const joined = new Set(agent && agent.state !== "logged_out" ? agent.queues || [] : []);
  return eachQueue("login", state.queues.filter((q) => state.chosenQueues.has(q)
    && !joined.has(q)));
}

function logOut() {
  return eachQueue("logout", ordered(mySeat()?.queues || []));
}

function pauseAction(action, extra = {}) {
  if (!state.seat) return undefined;
  return attempt($("seat-error"), () => api("POST", `/telephony/agents/${action}`,
    {interface: seatInterface(), ...extra}));
}

export function initSeat() {
  $("seat-login").addEventListener("click", logIn);
  $("seat-logout").addEventListener("click", logOut);
  $("seat-pause").addEventListener("click", () => pauseAction("pause",
    {reason: $("pause-reason").value}));
  $("seat-unpause").addEventListener("click", () => pauseAction("unpause"));
  showSeat();
}
