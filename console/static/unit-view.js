// Drawing the unit handler's screen: the commands its part in a ticket admits, the profile's
// limits beside them. Text only, never markup.

import {$, el, periodText, showCommands, unitName, when} from "./ticket-view.js";

// Only the lead unit returns, extends, suspends or replies; a co-unit feeds the lead.
const LEAD_ONLY = new Set(["return", "extend", "suspend", "reply"]);

export function isLead(ticket, user) {
  return ticket.lead_unit_id === user.unit_id;
}

// The unit's part in a row of its inbox.
export function roleTag(item, user) {
  const lead = item.lead_unit_id === user.unit_id;
  return [el("span", lead ? "主办" : "协办", "tag tag-role")];
}

export function renderActions(ticket, user, units, policy) {
  const lead = Boolean(ticket) && isLead(ticket, user);
  showCommands(ticket, (event) => lead || !LEAD_ONLY.has(event));
  $("co-note").hidden = !ticket || lead;
  if (!ticket) return;
  $("co-note").textContent = lead ? "" : `本单位为协办单位：请将办理意见反馈主办单位${
    unitName(units, ticket.lead_unit_id)}，由主办单位答复`;
  $("extend-limits").textContent = extensionLimits(policy.extension, ticket);
  $("suspend-limits").textContent = policy.suspension
    ? `挂单期间办理时限暂停，最长 ${periodText(policy.suspension.max_period)}（${
      policy.suspension.article}）` : "本地规定不允许挂单";
  $("return-limits").textContent = policy.returns
    ? `非本单位职责的，须在 ${when(ticket.deadlines.return_due)} 前说明理由退回（${
      policy.returns.article.split(";")[0]}）` : "本地规定不允许退回";
}

function extensionLimits(rule, ticket) {
  if (!rule) return "本地规定不允许延期";
  const parts = [`最多延期 ${rule.max_count} 次`];
  if (rule.length) parts.push(`每次不超过 ${periodText(rule.length)}`);
  if (rule.min_lead) parts.push(`须在办理期限前 ${periodText(rule.min_lead)}申请`);
  if (rule.leader_signoff_from) parts.push(`第 ${rule.leader_signoff_from} 次起须单位负责人签批`);
  parts.push(`本工单已延期 ${ticket.extension_count} 次`);
  return `${parts.join("，")}（${rule.article}）`;
}
