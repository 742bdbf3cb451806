// The platform's HTTP API as the screen uses it: the bearer token, the error shape.

let token = sessionStorage.getItem("hotline.token");

export function loggedIn() {
  return Boolean(token);
}

export function setToken(value) {
  token = value;
  if (value) sessionStorage.setItem("hotline.token", value);
  else sessionStorage.removeItem("hotline.token");
}

export function eventsUrl() {
  const scheme = location.protocol === "https:" ? "wss" : "ws";
  // A browser's WebSocket cannot send headers: the API takes the token as ?token=.
  return `${scheme}://${location.host}/telephony/events?token=${encodeURIComponent(token)}`;
}

export class ApiError extends Error {
  constructor(status, body) {
    super(body.message || `HTTP ${status}`);
    this.status = status;
    this.errorId = body.error_id || `http-${status}`;
    this.problems = (body.details && body.details.problems) || [];
  }

  describe() {
    const where = this.problems.map((p) => `${p.where.slice(1).join(".")}：${p.problem}`);
    return [`${this.message}（${this.errorId}，HTTP ${this.status}）`, ...where].join("；");
  }
}

export async function api(method, path, body) {
  const headers = {Accept: "application/json"};
  if (token) headers.Authorization = `Bearer ${token}`;
  if (body !== undefined) headers["Content-Type"] = "application/json";
  const response = await fetch(path, {method, headers,
    body: body === undefined ? undefined : JSON.stringify(body)});
  const data = await response.json().catch(() => ({}));
  if (!response.ok) throw new ApiError(response.status, data);
  return data;
}

export function describe(error) {
  return error instanceof ApiError ? error.describe() : `无法连接平台：${error.message}`;
}

// Run an API action; its failure is shown in errorNode, never swallowed.
export async function attempt(errorNode, action) {
  errorNode.textContent = "";
  try {
    return await action();
  } catch (error) {
    errorNode.textContent = describe(error);
    return undefined;
  }
}

// A file the API serves (a CSV): fetched with the token, offered to the browser as a download.
export async function download(path, fallbackName) {
  const headers = token ? {Authorization: `Bearer ${token}`} : {};
  const response = await fetch(path, {headers});
  if (!response.ok) throw new ApiError(response.status, await response.json().catch(() => ({})));
  const named = /filename="([^"]+)"/.exec(response.headers.get("Content-Disposition") || "");
  const link = document.createElement("a");
  link.href = URL.createObjectURL(await response.blob());
  link.download = named ? named[1] : fallbackName;
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(link.href), 10_000); // the download has started
}
