/*
 * Clinic chat widget. Embed with one tag; everything it loads comes from the same server:
 *   <script src="https://your-assistant/chat/clinic-chat.js" defer
 *           data-server-url="https://your-assistant" data-title="Ask our clinic"
 *           data-greeting="Hi! Ask me about the benefits of massage." data-color="#0b5563"></script>
 * Talks to Rasa's socketio channel (session_persistence: true). Bot text is only ever inserted as text.
 */
(function () {
  "use strict";

  var script = document.currentScript;
  var data = (script && script.dataset) || {};
  var base = script ? new URL(".", script.src).href : "/chat/";
  var config = {
    serverUrl: data.serverUrl || (script ? new URL(script.src).origin : window.location.origin),
    socketPath: data.socketPath || "/socket.io",
    title: data.title || "Ask our clinic",
    greeting: data.greeting || "Hi! Ask me about the health benefits of massage.",
    color: data.color || "#0b5563",
    disclaimer: data.disclaimer ||
      "General information from our clinic's articles, not medical advice. In an emergency, call your local emergency number.",
    storageKey: data.storageKey || "clinic-chat",
    open: data.open === "true",
  };
  var MAX_STORED_MESSAGES = 200;
  var TYPING_TIMEOUT_MS = 30000;
  var SOURCE_PREFIX = "Source: ";

  // ---- persistence: one session id and the transcript per browser ---------------------------------
  function loadState() {
    try {
      var saved = JSON.parse(window.localStorage.getItem(config.storageKey) || "null");
      if (saved && typeof saved.sessionId === "string" && Array.isArray(saved.messages)) return saved;
    } catch (e) { /* unreadable storage: start afresh */ }
    return { sessionId: newSessionId(), messages: [] };
  }
  function saveState() {
    state.messages = state.messages.slice(-MAX_STORED_MESSAGES);
    try { window.localStorage.setItem(config.storageKey, JSON.stringify(state)); } catch (e) { /* private mode */ }
  }
  function newSessionId() {
    if (window.crypto && window.crypto.randomUUID) return window.crypto.randomUUID();
    return "s-" + Date.now().toString(36) + "-" + Math.random().toString(36).slice(2);
  }
  var state = loadState();

  // ---- DOM ----------------------------------------------------------------------------------------
  function el(tag, attributes, text) {
    var node = document.createElement(tag);
    Object.keys(attributes || {}).forEach(function (name) { node.setAttribute(name, attributes[name]); });
    if (text !== undefined) node.textContent = text;
    return node;
  }

  var root = el("div", { class: "cc-root" });
  root.style.setProperty("--cc-color", config.color);
  var launcher = el("button", { class: "cc-launcher", type: "button", "aria-expanded": "false",
    "aria-controls": "cc-panel" }, config.title);
  var panel = el("section", { id: "cc-panel", class: "cc-panel", role: "dialog", "aria-modal": "false",
    "aria-labelledby": "cc-title" });
  panel.hidden = true;
  var header = el("header", { class: "cc-header" });
  header.appendChild(el("h2", { id: "cc-title", class: "cc-title" }, config.title));
  var closeButton = el("button", { class: "cc-close", type: "button", "aria-label": "Close chat" }, "\u00d7");
  header.appendChild(closeButton);
  var disclaimer = el("p", { class: "cc-disclaimer" }, config.disclaimer);
  var status = el("p", { class: "cc-status", role: "status", "aria-live": "polite" });
  var log = el("ol", { class: "cc-log", role: "log", "aria-live": "polite", "aria-relevant": "additions",
    "aria-label": "Conversation", tabindex: "0" });
  var typing = el("p", { class: "cc-typing", "aria-hidden": "true" });
  typing.appendChild(el("span", { class: "cc-sr" }, "The assistant is typing"));
  for (var i = 0; i < 3; i++) typing.appendChild(el("span", { class: "cc-dot" }));
  typing.hidden = true;
  var form = el("form", { class: "cc-form" });
  form.appendChild(el("label", { for: "cc-input", class: "cc-sr" }, "Your question"));
  var input = el("input", { id: "cc-input", class: "cc-input", type: "text", autocomplete: "off",
    maxlength: "1000", placeholder: "Type your question" });
  var send = el("button", { class: "cc-send", type: "submit" }, "Send");
  form.appendChild(input);
  form.appendChild(send);
  [header, disclaimer, status, log, typing, form].forEach(function (n) { panel.appendChild(n); });
  root.appendChild(panel);
  root.appendChild(launcher);

  function render(message) {
    var item;
    if (message.who === "bot" && message.text.indexOf(SOURCE_PREFIX) === 0) {
      item = el("li", { class: "cc-msg cc-source" }, message.text);
    } else {
      item = el("li", { class: "cc-msg cc-" + message.who });
      item.appendChild(el("span", { class: "cc-sr" }, message.who === "user" ? "You said: " : "Assistant: "));
      item.appendChild(document.createTextNode(message.text));
    }
    log.appendChild(item);
    if (message.buttons && message.buttons.length && !message.answered) {
      var group = el("li", { class: "cc-replies", role: "group", "aria-label": "Suggested questions" });
      message.buttons.forEach(function (button) {
        var choice = el("button", { type: "button", class: "cc-reply" }, button.title);
        choice.addEventListener("click", function () {
          message.answered = true;
          group.remove();
          input.focus(); // the focused button is gone: keep keyboard users in the chat
          sendMessage(button.title, button.payload);
        });
        group.appendChild(choice);
      });
      log.appendChild(group);
    }
    log.scrollTop = log.scrollHeight;
  }

  function add(message) {
    state.messages.push(message);
    saveState();
    render(message);
  }

  function setStatus(text, isError) {
    status.textContent = text;
    status.classList.toggle("cc-error", Boolean(isError));
  }

  function setTyping(on) {
    typing.hidden = !on;
    clearTimeout(setTyping.timer);
    if (on) setTyping.timer = setTimeout(function () { setTyping(false); }, TYPING_TIMEOUT_MS);
  }

  // ---- connection ---------------------------------------------------------------------------------
  var socket = null;
  var connectionFailed = false;
  // Messages wait here until the server confirms the conversation (session_confirm): socket.io sends what it
  // buffered while connecting before the "connect" handler runs, so a message typed while connecting would
  // reach the server before session_request, and its reply go to a room this socket had not joined yet.
  var pending = [];
  var joined = false;

  function connect() {
    if (socket || typeof window.io !== "function") return;
    socket = window.io(config.serverUrl, { path: config.socketPath, transports: ["websocket", "polling"] });
    socket.on("connect", function () {
      // On every (re)connect: rejoin the same conversation after reloads and server restarts.
      connectionFailed = false;
      joined = false;
      socket.emit("session_request", { session_id: state.sessionId });
      setStatus("", false);
    });
    socket.on("session_confirm", function (confirmed) {
      var id = typeof confirmed === "string" ? confirmed : confirmed && confirmed.session_id;
      if (id && id !== state.sessionId) { state.sessionId = id; saveState(); }
      joined = true;
      pending.splice(0).forEach(emit);
    });
    socket.on("connect_error", function () {
      connectionFailed = true;
      setTyping(false);
      setStatus("Can't reach the clinic assistant right now. Retrying\u2026", true);
    });
    socket.on("disconnect", function () {
      joined = false;
      setStatus("Connection lost. Reconnecting\u2026", true);
    });
    socket.on("bot_uttered", function (reply) {
      setTyping(false);
      if (!reply || typeof reply.text !== "string") return;
      var buttons = (reply.quick_replies || reply.buttons || []).filter(function (b) {
        return b && typeof b.title === "string" && typeof b.payload === "string";
      }).map(function (b) { return { title: b.title, payload: b.payload }; });
      add({ who: "bot", text: reply.text, buttons: buttons });
    });
  }

  function sendMessage(shownText, payload) {
    var text = (shownText || "").trim();
    if (!text) return;
    if (connectionFailed) {
      setStatus("Not sent: the clinic assistant can't be reached. Please try again in a moment.", true);
      return false;
    }
    add({ who: "user", text: text });
    var message = { message: payload || text };
    if (joined) emit(message); else pending.push(message);
    setTyping(true);
    return true;
  }

  function emit(message) {
    message.session_id = state.sessionId; // as the server confirmed it
    socket.emit("user_uttered", message);
  }

  function loadClientLibrary(done) {
    if (typeof window.io === "function") return done();
    var tag = el("script", { src: base + "vendor/socket.io.min.js" });
    tag.onload = done;
    tag.onerror = function () { setStatus("The chat could not load. Please reload the page.", true); };
    document.head.appendChild(tag);
  }

  // ---- open / close / keyboard ----------------------------------------------------------------------
  function openPanel() {
    panel.hidden = false;
    launcher.setAttribute("aria-expanded", "true");
    if (!state.messages.length) add({ who: "bot", text: config.greeting, buttons: [] });
    loadClientLibrary(connect);
    input.focus();
  }
  function closePanel() {
    panel.hidden = true;
    launcher.setAttribute("aria-expanded", "false");
    launcher.focus();
  }
  launcher.addEventListener("click", function () { panel.hidden ? openPanel() : closePanel(); });
  closeButton.addEventListener("click", closePanel);
  panel.addEventListener("keydown", function (event) { if (event.key === "Escape") closePanel(); });
  form.addEventListener("submit", function (event) {
    event.preventDefault();
    if (sendMessage(input.value) !== false) input.value = "";
  });

  function mount() {
    var css = el("link", { rel: "stylesheet", href: base + "clinic-chat.css" });
    document.head.appendChild(css);
    document.body.appendChild(root);
    state.messages.forEach(render);
    if (config.open || state.open) openPanel();
  }
  // Remember whether the panel was open, so a reload keeps the chat in view.
  window.addEventListener("beforeunload", function () { state.open = !panel.hidden; saveState(); });
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", mount);
  else mount();
})();
