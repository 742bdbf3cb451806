// What the reviewer's and the unit's screens share: a queue of tickets, the ticket picked and
// its full view, workflow steps with their outcome or error. Each page says what its queue
// holds and which commands it draws.

import {attempt, describe} from "./api.js";
import {label} from "./text.js";
import {$, renderQueue, renderTicketView} from "./ticket-view.js";
import {act, formFields, loadPolicy, loadTicket, loadUnits} from "./tickets.js";

const POLL_MS = 30_000; // new tickets reach the queue without a reload

export class TicketDesk {
  // fetchQueue() -> {items, counts}; extra(item) -> nodes for a row; onView(view) draws the
  // page's commands for the ticket shown (view null: none picked).
  constructor({fetchQueue, extra, onView, onQueue}) {
    Object.assign(this, {fetchQueue, extra, onView, onQueue});
    this.policy = null;
    this.units = new Map(); // id -> unit
    this.items = [];
    this.counts = {};
    this.picked = null; // the number of the ticket shown
    this.view = null; // {ticket, history, merged}
    this.drawn = ""; // what the queue last drew (redrawn only when it changed)
  }

  // The profile and the units, then the queue, kept fresh by polling.
  async start() {
    const ready = await attempt($("queue-error"), async () => {
      [this.policy, this.units] = await Promise.all([loadPolicy(), loadUnits()]);
      return true;
    });
    if (!ready) return false;
    await this.refresh();
    setInterval(() => this.refresh(), POLL_MS);
    return true;
  }

  async refresh() {
    await attempt($("queue-error"), async () => {
      Object.assign(this, await this.fetchQueue());
    });
    this.showQueue();
  }

  showQueue(force = false) {
    const drawn = JSON.stringify([this.counts, this.items, this.picked]);
    if (drawn === this.drawn && !force) return; // nothing new: rows under the pointer stay
    this.drawn = drawn;
    this.onQueue?.(this.counts);
    renderQueue($("queue"), this.items, {picked: this.picked,
      onPick: (number) => this.pick(number), extra: this.extra});
  }

  async pick(number) {
    this.picked = number;
    this.showQueue();
    $("action-result").textContent = "";
    $("action-error").textContent = "";
    await this.reload();
  }

  async reload() {
    const number = this.picked;
    let view;
    try {
      view = await loadTicket(number);
    } catch (error) {
      $("ticket-error").textContent = describe(error);
      return;
    }
    if (number !== this.picked) return; // another ticket was picked meanwhile
    $("ticket-error").textContent = "";
    this.view = view;
    this.showTicket();
  }

  showTicket() {
    const {view} = this;
    $("no-ticket").hidden = Boolean(view);
    $("ticket-view").hidden = !view;
    if (view) renderTicketView($("ticket-view"), view, this.units);
    this.onView(view);
  }

  // One workflow step on the ticket shown; the outcome or the API's error is shown.
  step(action, body = {}) {
    const event = action === "link" ? "link-repeat" : action;
    return this.perform(event, (ticket) => act(ticket, action, body));
  }

  // call(ticket) -> the ticket after the change named by event (a history event's name).
  async perform(event, call) {
    const ticket = this.view?.ticket;
    if (!ticket) return;
    $("action-result").textContent = "";
    const done = await attempt($("action-error"), () => call(ticket));
    if (done === undefined) return;
    for (const form of document.querySelectorAll("#actions form")) form.reset();
    $("action-result").textContent = `工单 ${done.number}：${label("event", event)}完成，` +
      `当前状态 ${label("state", done.state)}`;
    await Promise.all([this.reload(), this.refresh()]);
  }

  // The page's buttons (data-step) and forms: build(form) -> [action, body] on submit.
  wire(forms) {
    $("refresh").addEventListener("click", () => this.refresh());
    for (const button of document.querySelectorAll("#actions [data-step]")) {
      button.addEventListener("click", () => this.step(button.dataset.step));
    }
    for (const [id, build] of Object.entries(forms)) {
      $(id).addEventListener("submit", (event) => {
        event.preventDefault();
        const built = build(event.target, formFields(event.target));
        if (built) this.step(...built);
      });
    }
  }
}
