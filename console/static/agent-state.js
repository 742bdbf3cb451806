// What the agent's screen knows: one state object the desk's modules share, and its rules.

export const LIVE_CALL = new Set(["connected", "in_conference"]);
// Everything the desk holds per call, forgotten with the call.
export const PER_CALL = ["drafts", "partials", "suggestions", "handoffs", "tickets", "edits",
  "presets"];

export const state = {
  user: null,
  seat: "", // the interface of the seat an administrator bound to the user
  seatInterfaces: new Set(), // every interface of that seat (a simulated answerer too)
  queues: [], // the queues of the PBX the seat may join
  chosenQueues: new Set(), // the queues the agent chose to join at 签入 (remembered)
  units: [], // the units, with their registered numbers (三方通话)
  calls: new Map(), // linkedid -> {linkedid, state, caller, agent, source_line, ...}
  agents: new Map(), // interface -> {state, pause_reason, queues}
  drafts: new Map(), // linkedid -> {draft, transcript, final, seq}
  partials: new Map(), // linkedid -> Map(speaker -> text still being recognised)
  suggestions: new Map(), // linkedid -> {units, similar_open_tickets, knowledge}
  handoffs: new Map(), // linkedid -> Map(kind -> what the linkage announced last)
  tickets: new Map(), // linkedid -> the ticket registered for the call
  edits: new Map(), // linkedid -> Map(field -> the agent's value): drafts leave these alone
  presets: new Map(), // linkedid -> Map(field -> value the IVR's emergency key set)
  autoPicked: new Set(), // calls picked for the agent once (they may pick another after)
  picked: null,
  socket: null,
  retries: 0,
  reconnect: null,
};

export function isMine(call) {
  return Boolean(call?.agent) && state.seatInterfaces.has(call.agent);
}

// The seat's own view on the line (state, pause reason, queues), if the line knows it.
export function mySeat() {
  return [...state.seatInterfaces].map((name) => state.agents.get(name)).find(Boolean);
}

export function pickedCall() {
  return state.calls.get(state.picked);
}

export function forget(linkedid) {
  state.calls.delete(linkedid);
  for (const name of PER_CALL) state[name].delete(linkedid);
}
