// The live line over /telephony/events: reconnecting with back-off (1, 2, 4 … 30 s), and
// not at all once the log-in has expired.

import {api, eventsUrl} from "./api.js";
import {leave} from "./shell.js";

export class LiveFeed {
  // onMessage(message) for each frame; onStatus(kind, text): "connecting" | "on" | "off".
  constructor(onMessage, onStatus) {
    Object.assign(this, {onMessage, onStatus});
    this.socket = null;
    this.retries = 0;
    this.timer = null;
  }

  connect() {
    const socket = new WebSocket(eventsUrl());
    this.socket = socket;
    socket.onmessage = (event) => {
      const message = JSON.parse(event.data);
      if (message.kind === "snapshot") {
        this.retries = 0; // up again: the next drop starts the back-off afresh
        this.onStatus("on", "实时连接：已连接");
      }
      this.onMessage(message);
    };
    socket.onclose = () => this.later(socket);
    this.onStatus("connecting", "实时连接：连接中…");
  }

  // Leaving the page: closed first, so it does not try to reconnect.
  stop() {
    clearTimeout(this.timer);
    const socket = this.socket;
    this.socket = null;
    socket?.close();
  }

  later(socket) {
    if (this.socket !== socket) return; // stopped, or already replaced
    this.socket = null;
    const delay = Math.min(30, 2 ** this.retries);
    this.retries += 1;
    this.onStatus("off", `实时连接：已断开，${delay} 秒后重连`);
    this.timer = setTimeout(async () => {
      try {
        await api("GET", "/auth/me"); // an expired log-in is not worth reconnecting for
      } catch (error) {
        if (error.status === 401) {
          this.stop();
          leave("登录已过期，请重新登录");
          return;
        }
      }
      this.connect();
    }, delay * 1000);
  }
}
