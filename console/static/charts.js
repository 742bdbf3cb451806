// Plain SVG charts built with DOM calls (no markup strings, no library): horizontal bars
// with their labels and values, an optional target line (a rate's threshold).

const SVG = "http://www.w3.org/2000/svg";
const ROW = 26; // px per bar
const LABEL = 150; // px for the labels on the left
const VALUE = 90; // px for the value on the right

function node(tag, attributes = {}, text) {
  const made = document.createElementNS(SVG, tag);
  for (const [name, value] of Object.entries(attributes)) made.setAttribute(name, String(value));
  if (text !== undefined) made.textContent = text;
  return made;
}

function clip(text, max = 11) {
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}

// rows: [{label, value, text}] (value a number, text what is written beside the bar);
// options: {title, max (default: the largest value), width, target: {value, text},
// tone(row) -> "good" | "bad" | undefined}.
export function barChart(rows, {title, max, width = 560, target, tone} = {}) {
  const top = max ?? Math.max(1, ...rows.map((r) => r.value));
  const span = width - LABEL - VALUE;
  const height = Math.max(1, rows.length) * ROW + 8;
  const svg = node("svg", {viewBox: `0 0 ${width} ${height}`, width, height, role: "img",
    class: "chart"});
  svg.append(node("title", {}, title || ""));
  rows.forEach((row, i) => {
    const y = 4 + i * ROW;
    const length = top > 0 ? Math.max(0, Math.min(1, row.value / top)) * span : 0;
    const kind = tone?.(row);
    const group = node("g", {class: `bar${kind ? ` ${kind}` : ""}`});
    group.append(
      node("text", {x: LABEL - 8, y: y + ROW / 2 + 5, "text-anchor": "end", class: "label"},
        clip(row.label)),
      node("rect", {x: LABEL, y: y + 4, width: Math.max(length, 1), height: ROW - 8, rx: 2}),
      node("text", {x: LABEL + length + 6, y: y + ROW / 2 + 5, class: "value"}, row.text));
    if (row.label.length > 11) group.append(node("title", {}, row.label));
    svg.append(group);
  });
  if (!rows.length) {
    svg.append(node("text", {x: LABEL, y: ROW / 2 + 8, class: "value"}, "本月暂无数据"));
  }
  if (target) {
    const x = LABEL + Math.min(1, target.value / top) * span;
    svg.append(node("line", {x1: x, x2: x, y1: 0, y2: height, class: "target"}),
      node("text", {x: x + 3, y: height - 4, class: "target-text"}, target.text));
  }
  return svg;
}

export function percent(value) {
  return value === null || value === undefined ? "—" : `${(value * 100).toFixed(1)}%`;
}
