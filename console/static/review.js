// The reviewer's and dispatcher's screen (审核派单): the intake queue and the centre's
// decisions on a ticket — accept, refuse, review, dispatch, returns, replies, repeats, 并单.

import {api, describe} from "./api.js";
import {
  EDITED, QUEUES, renderActions, renderDispatch, renderRefusals, renderReturnReason, renderTabs,
} from "./review-view.js";
import {enter} from "./shell.js";
import {TicketDesk} from "./ticket-desk.js";
import {$} from "./ticket-view.js";
import {listTickets, update} from "./tickets.js";

let queue = "intake";

// The queue shown, and how many tickets wait in each (one small request per queue).
async function fetchQueue() {
  const [page, ...totals] = await Promise.all([
    listTickets([...QUEUES[queue], ["size", "200"]]),
    ...Object.values(QUEUES).map((q) => listTickets([...q, ["size", "1"], ["total", "true"]])),
  ]);
  const counts = Object.fromEntries(Object.keys(QUEUES).map((q, i) => [q, totals[i].total]));
  return {items: page.items, counts};
}

const desk = new TicketDesk({fetchQueue, onView, onQueue: (counts) => renderTabs(queue, counts)});

function onView(view) {
  renderActions(view?.ticket);
  if (!view) return;
  renderReturnReason(view.history);
  const allowed = view.ticket.allowed_events;
  if (allowed.includes("dispatch")) loadSuggestions(view.ticket.number, null);
  if (allowed.includes("redispatch")) loadSuggestions(view.ticket.number, view.ticket.lead_unit_id);
}

// The drafting's units for the ticket first; without them every unit is still offered.
async function loadSuggestions(number, returning) {
  let suggestions = [];
  try {
    suggestions = await api("GET", `/tickets/${encodeURIComponent(number)}/suggested-units`);
  } catch (error) {
    $("action-error").textContent = describe(error);
  }
  if (number === desk.picked) renderDispatch(desk.units, suggestions, returning);
}

function choose(name) {
  queue = name;
  desk.items = [];
  desk.showQueue(true);
  desk.refresh();
}

function dispatchBody(form, fields) {
  const co = [...form.querySelectorAll("[name=co_unit_ids]:checked")].map((c) => Number(c.value));
  const action = desk.view.ticket.allowed_events.includes("redispatch")
    ? "redispatch" : "dispatch";
  return [action, {lead_unit_id: Number($("lead-unit").value), co_unit_ids: co,
    reason: fields.reason}];
}

// Only what the reviewer changed is sent (an empty category cannot be set back).
function saveEdits(event) {
  event.preventDefault();
  const ticket = desk.view?.ticket;
  if (!ticket) return;
  const changes = Object.fromEntries(EDITED.map((name) => [name, $(`edit-${name}`).value])
    .filter(([name, value]) => value !== (ticket[name] ?? "") && value !== ""));
  desk.perform("update", (shown) => update(shown, changes));
}

async function start() {
  if (!await enter("review")) return;
  for (const tab of document.querySelectorAll("[data-queue]")) {
    tab.addEventListener("click", () => choose(tab.dataset.queue));
  }
  $("edit-form").addEventListener("submit", saveEdits);
  desk.wire({
    "dispatch-form": dispatchBody,
    "refuse-return-form": (_, fields) => ["refuse-return", fields],
    "approve-form": (_, fields) => ["approve-reply", fields],
    "reject-form": (_, fields) => ["reject-reply", fields],
    "refuse-form": (_, fields) => ["refuse", fields],
    "link-form": (_, fields) => ["link", fields],
    "merge-form": (_, fields) => ["merge", fields],
  });
  desk.showTicket();
  if (await desk.start()) renderRefusals(desk.policy);
}

start();
