// The log-in page: after log-in each role goes to its own screen.

import {api, describe, loggedIn, setToken} from "./api.js";
import {homeOf, takeNotice} from "./shell.js";

const error = document.getElementById("login-error");

async function logIn(event) {
  event.preventDefault();
  const form = new FormData(event.target);
  error.textContent = "";
  try {
    const out = await api("POST", "/auth/login",
      {username: form.get("username"), password: form.get("password")});
    setToken(out.access_token);
    location.assign(homeOf(out.role));
  } catch (failure) {
    error.textContent = describe(failure);
  }
}

async function init() {
  document.getElementById("login-form").addEventListener("submit", logIn);
  error.textContent = takeNotice();
  if (!loggedIn()) return;
  try { // already logged in (this tab): straight to the role's screen
    location.assign(homeOf((await api("GET", "/auth/me")).role));
  } catch {
    setToken(null);
  }
}

init();
