// The unit handler's screen (承办单位): the unit's own inbox in due order, overdue marked, and
// what the unit does with a ticket — sign for it, return it, suspend it, extend it, reply.
// A requester who asked for confidentiality is never sent to a unit (the API leaves it out).

import {enter} from "./shell.js";
import {TicketDesk} from "./ticket-desk.js";
import {$, unitName} from "./ticket-view.js";
import {listTickets} from "./tickets.js";
import {renderActions, roleTag} from "./unit-view.js";

let user = null;

// The unit's open tickets, soonest due first (the API's inbox order).
async function fetchQueue() {
  const page = await listTickets([["open", "true"], ["size", "200"]]);
  return {items: page.items, counts: {}};
}

const desk = new TicketDesk({
  fetchQueue,
  extra: (item) => roleTag(item, user),
  onView: (view) => renderActions(view?.ticket, user, desk.units, desk.policy),
});

// datetime-local gives Beijing wall time without a zone: the platform's zone is Beijing's.
function beijingTime(local) {
  return local ? `${local.length === 16 ? `${local}:00` : local}+08:00` : null;
}

function extendBody(_, fields) {
  const days = fields.working_days ? Number(fields.working_days) : null;
  return ["extend", {working_days: days, leader_signoff: fields.leader_signoff === "on",
    reason: fields.reason}];
}

async function start() {
  user = await enter("unit");
  if (!user) return;
  desk.wire({
    "reply-form": (_, fields) => ["reply", fields],
    "extend-form": extendBody,
    "suspend-form": (_, fields) => ["suspend",
      {until: beijingTime(fields.until), legal_basis: fields.legal_basis}],
    "return-form": (_, fields) => ["return", fields],
  });
  desk.showTicket();
  if (await desk.start()) $("unit-name").textContent = `本单位：${unitName(desk.units, user.unit_id)}`;
}

start();
