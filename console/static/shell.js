// Every page's frame: who is logged in, the pages their role may open, logging out.

import {api, loggedIn, setToken} from "./api.js";
import {TEXT} from "./text.js";

export const PAGES = {agent: "坐席工作台", review: "审核派单", unit: "承办单位工作台",
  supervisor: "班长席", admin: "系统管理"};

// The first page is the role's own; the others are offered in the header.
const ROLE_PAGES = {
  agent: ["agent"],
  reviewer: ["review"],
  unit_handler: ["unit"],
  supervisor: ["supervisor", "review", "agent"],
  admin: ["admin", "supervisor", "review", "agent"],
};

export function homeOf(role) {
  return `/console/${(ROLE_PAGES[role] || ["agent"])[0]}`;
}

const NOTICE = "hotline.notice"; // a message the log-in page shows after leaving a page

// Back to the log-in page, saying why (an expired log-in, a log-out).
export function leave(message = "") {
  setToken(null);
  if (message) sessionStorage.setItem(NOTICE, message);
  location.assign("/console");
}

export function takeNotice() {
  const message = sessionStorage.getItem(NOTICE) || "";
  sessionStorage.removeItem(NOTICE);
  return message;
}

// Open a role's page: the user, or null when the page is not theirs (sent to their own).
export async function enter(page) {
  if (!loggedIn()) {
    location.assign("/console");
    return null;
  }
  let user;
  try {
    user = await api("GET", "/auth/me");
  } catch (error) {
    if (error.status === 401) leave("登录已过期，请重新登录");
    else document.body.prepend(`无法连接平台：${error.message}`);
    return null;
  }
  if (!(ROLE_PAGES[user.role] || []).includes(page)) {
    location.assign(homeOf(user.role)); // never a page that only answers 403
    return null;
  }
  showFrame(user, page);
  return user;
}

function showFrame(user, page) {
  const who = document.getElementById("who");
  if (who) who.textContent = `${user.username}（${TEXT.role[user.role] || user.role}）`;
  const nav = document.getElementById("pages");
  if (nav) {
    nav.replaceChildren(...ROLE_PAGES[user.role].map((name) => {
      const link = document.createElement("a");
      link.href = `/console/${name}`;
      link.textContent = PAGES[name];
      if (name === page) link.setAttribute("aria-current", "page");
      return link;
    }));
  }
  const button = document.getElementById("logout");
  if (button) {
    button.hidden = false;
    button.addEventListener("click", () => logOut());
  }
}

// Log out: the token is revoked where the platform can, and forgotten here in any case.
export async function logOut(message = "") {
  try {
    await api("POST", "/auth/logout");
  } catch {
    // an expired or already revoked token: nothing left to revoke
  }
  leave(message);
}
