// The ticket API as the reviewer's and the unit's screens use it.

import {api} from "./api.js";

// The profile this deployment runs (its refusal reasons, extension and suspension limits).
export async function loadPolicy() {
  const {active} = await api("GET", "/policies"); // not /health: it answers 503 when degraded
  return api("GET", `/policies/${encodeURIComponent(active)}`);
}

export async function loadUnits() {
  return new Map((await api("GET", "/units")).map((unit) => [unit.id, unit]));
}

// query: [[name, value], ...] of GET /tickets (a filter may repeat, e.g. state).
export function listTickets(query) {
  return api("GET", `/tickets?${new URLSearchParams(query)}`);
}

// A ticket with everything its full view shows: history and the duplicates merged into it.
export async function loadTicket(number) {
  const path = `/tickets/${encodeURIComponent(number)}`;
  const [ticket, history, merged] = await Promise.all([
    api("GET", path), api("GET", `${path}/history`), api("GET", `${path}/merged`)]);
  return {ticket, history, merged};
}

// A workflow step on the ticket as loaded: its version refuses a step on a stale view.
export function act(ticket, action, body = {}) {
  return api("POST", `/tickets/${encodeURIComponent(ticket.number)}/${action}`,
    {version: ticket.version, ...body});
}

// Corrections of a ticket still at intake (only the fields given change).
export function update(ticket, changes) {
  return api("PATCH", `/tickets/${encodeURIComponent(ticket.number)}`,
    {version: ticket.version, ...changes});
}

// Whose clock runs and is past its due time: the API's own rule (machine.AWAITING_REPLY).
const AWAITING_REPLY = new Set(["dispatched", "handling", "returned"]);

export function isOverdue(state, due, now = new Date()) {
  return AWAITING_REPLY.has(state) && Boolean(due) && new Date(due) < now;
}

// A form's fields as a request body (each name once).
export function formFields(form) {
  const data = new FormData(form);
  return Object.fromEntries([...data.keys()].map((key) => [key, data.get(key)]));
}
