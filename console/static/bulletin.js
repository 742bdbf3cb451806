// The monthly bulletin (月通报) as a section of the supervisor's screen: its figures, charts
// by request type, category, district and unit, the overdue tickets, and its CSV file.

import {api, attempt, download} from "./api.js";
import {barChart, percent} from "./charts.js";
import {$, el, when} from "./ticket-view.js";

const BEIJING_MONTH = new Intl.DateTimeFormat("en-CA", {timeZone: "Asia/Shanghai",
  year: "numeric", month: "2-digit"});

function month() {
  const [year, number] = $("bulletin-month").value.split("-").map(Number);
  return {year, month: number};
}

function path({year, month: m}, kind) {
  return `/stats/bulletin/${year}/${m}.${kind}`;
}

function figure(name, value, detail = "") {
  const box = el("div", undefined, "card");
  box.append(el("span", name, "card-name"), el("strong", value, "card-value"),
    el("span", detail, "card-detail"));
  return box;
}

function rateText(r) {
  return `${percent(r.value)}（${r.numerator}/${r.denominator}）`;
}

function counts(list) {
  return list.map((c) => ({label: c.key || "未填", value: c.count, text: String(c.count)}));
}

function chart(title, rows, options = {}) {
  const box = el("figure", undefined, "chart-box");
  box.append(el("figcaption", title), barChart(rows, {title, ...options}));
  return box;
}

function unitTable(units) {
  const table = el("table", undefined, "grid");
  const head = el("tr");
  for (const name of ["承办单位", "受理量", "已答复", "按时答复", "逾期未答复", "逾期未办结",
    "按时答复率", "满意率"]) head.append(el("th", name));
  table.append(head, ...units.map((u) => {
    const row = el("tr");
    for (const value of [u.unit_name, u.received, u.replied, u.replied_on_time, u.late_open,
      u.overdue, percent(u.on_time.value), percent(u.satisfaction.value)]) {
      row.append(el("td", String(value)));
    }
    return row;
  }));
  return table;
}

function overdueList(tickets) {
  const list = el("ol", undefined, "overdue-list");
  for (const t of tickets) {
    list.append(el("li", `${t.number} · ${t.unit_name || "未派单"} · ${t.summary} · 期限 ` +
      `${when(t.handle_due)} · 逾期 ${t.days_overdue} 天${t.under_supervision ? " · 督办中" : ""}`));
  }
  if (!tickets.length) list.append(el("li", "本月无逾期未办结工单", "muted"));
  return list;
}

function render(b) {
  const s = b.summary;
  $("bulletin-title").textContent = `${b.year}年${b.month}月 12345热线月通报（${b.profile}）`;
  $("bulletin-period").textContent = `统计区间 ${when(s.start)} 至 ${when(s.end)}；` +
    `时限判定时点 ${when(s.as_of)}；生成于 ${when(b.generated_at)}`;
  $("bulletin-figures").replaceChildren(
    figure("受理总量", String(s.total)), figure("已答复", String(s.replied)),
    figure("逾期未答复", String(s.late_open)),
    figure("按时答复率", percent(s.on_time.value), `${s.on_time.numerator}/${s.on_time.denominator}`),
    figure("满意率", percent(s.satisfaction.value), rateText(s.satisfaction)),
    figure("退回率", percent(s.returns.value), rateText(s.returns)),
    figure("逾期未办结", String(s.overdue.length)));
  const onTime = b.units.map((u) => ({label: u.unit_name || `单位 ${u.unit_id}`,
    value: u.on_time.value ?? 0, text: rateText(u.on_time), known: u.on_time.value !== null}));
  $("bulletin-charts").replaceChildren(
    chart("诉求类型", counts(s.by_request_type)), chart("诉求分类", counts(s.by_category)),
    chart("所属区域", counts(s.by_district)),
    chart("承办单位按时答复率", onTime, {max: 1, width: 620,
      tone: (row) => (!row.known ? undefined : row.value >= 0.9 ? "good" : "bad")}));
  $("bulletin-units").replaceChildren(unitTable(b.units));
  $("bulletin-overdue").replaceChildren(overdueList(s.overdue));
  $("bulletin-view").hidden = false;
}

async function show() {
  const chosen = month();
  const b = await attempt($("bulletin-error"), () => api("GET", path(chosen, "json")));
  if (b) render(b);
}

async function csv() {
  const chosen = month();
  const name = `bulletin-${chosen.year}-${String(chosen.month).padStart(2, "0")}.csv`;
  $("bulletin-result").textContent = "";
  const done = await attempt($("bulletin-error"), async () => {
    await download(path(chosen, "csv"), name);
    return true;
  });
  if (done) $("bulletin-result").textContent = `已下载 ${name}（UTF-8，Excel 可直接打开）`;
}

export function startBulletin() {
  $("bulletin-month").value = BEIJING_MONTH.format(Date.now()); // this month, Beijing time
  $("bulletin-form").addEventListener("submit", (event) => {
    event.preventDefault();
    show();
  });
  $("bulletin-csv").addEventListener("click", csv);
  show();
}
