/*
 * Clinic chat widget. Embed with one tag; everything it loads comes from the same server:
 *   <script src="https://your-assistant/chat/clinic-chat.js" defer
 *           data-server-url="https://your-assistant" data-title="Ask our clinic"
 *           data-greeting="Hi! Ask me about the benefits of massage." data-color="#0b5563"></script>
 * Talks to Rasa's socketio channel (session_persistence: true). Bot text is only ever inserted as text:
 * phone numbers and web addresses in it become links built as DOM nodes, never parsed as HTML.
 */
(function () {
  "use strict";

  var script = document.currentScript;
  var data = (script && script.dataset) || {};
  var base = script ? new URL(".", script.src).href : "/chat/";
  var config = {
    serverUrl: data.serverUrl || (script ? new URL(script.src).origin : window.location.origin),
    socketPath: data.socketPath || "/socket.io",
    // WebSocket first; where a network blocks it, long-polling (data-transports="polling" to use only that)
    transports: (data.transports || "websocket polling").split(/[\s,]+/).filter(Boolean),
    title: data.title || "Ask our clinic",
    greeting: data.greeting || "Hi! Ask me about the health benefits of massage.",
    color: data.color || "#0b5563",
    disclaimerSummary: data.disclaimerSummary || "General information, not medical advice.",
    disclaimer: data.disclaimer ||
      "Answers come from our clinic's articles. They are not medical advice for you. In an emergency, call your local emergency number.",
    storageKey: data.storageKey || "clinic-chat",
    open: data.open === "true",
  };
  var MAX_STORED_MESSAGES = 200;
  var TYPING_TIMEOUT_MS = 30000;
  var SOURCE_PREFIX = "Source: ";
  // replies the server marks as urgent (addons/clinic_responses.py): their own style and an assertive announcement
  var URGENT_KINDS = { emergency: "Emergency", crisis: "Urgent support", unavailable: "Can't answer right now" };
  // what a link may point to: a number to dial or a web page (never javascript: or data:)
  var SAFE_URL = /^(tel:\+?\d{2,15}|https?:\/\/[^\s"<>]+)$/;
  var WEB_ADDRESS = "https?:\\/\\/[^\\s<>\"]*[^\\s<>\".,;:!?)]";
  var PHONE_NUMBER = "\\+?\\(?\\d[\\d ().-]{5,}\\d";

  // ---- persistence: one session id and the transcript per browser ---------------------------------
  function loadState() {
    try {
      var saved = JSON.parse(window.localStorage.getItem(config.storageKey) || "null");
      if (saved && (saved.sessionId === null || typeof saved.sessionId === "string") && Array.isArray(saved.messages)) return saved;
    } catch (e) { /* unreadable storage: start afresh */ }
    // the server issues the session and its token (session_confirm); only that token resumes it
    return { sessionId: null, sessionToken: null, messages: [] };
  }
  function saveState() {
    state.messages = state.messages.slice(-MAX_STORED_MESSAGES);
    var stored = JSON.stringify(state, function (key, value) { return key === "group" ? undefined : value; });
    try { window.localStorage.setItem(config.storageKey, stored); } catch (e) { /* private mode */ }
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
  var panel = el("div", { id: "cc-panel", class: "cc-panel", role: "dialog", "aria-modal": "false",
    "aria-labelledby": "cc-title" });
  panel.hidden = true;
  var header = el("div", { class: "cc-header" });
  header.appendChild(el("h2", { id: "cc-title", class: "cc-title" }, config.title));
  var closeButton = el("button", { class: "cc-close", type: "button" });
  closeButton.appendChild(el("span", { "aria-hidden": "true" }, "\u00d7"));
  closeButton.appendChild(el("span", { class: "cc-sr" }, "Close chat"));
  header.appendChild(closeButton);
  // one line on a small screen; the whole text a tap away
  var disclaimer = el("details", { class: "cc-disclaimer" });
  disclaimer.appendChild(el("summary", {}, config.disclaimerSummary));
  disclaimer.appendChild(el("p", {}, config.disclaimer));
  var status = el("p", { class: "cc-status", role: "status", "aria-live": "polite" });
  var alertRegion = el("div", { class: "cc-sr", "aria-live": "assertive", "aria-atomic": "true" });
  var log = el("div", { class: "cc-log", role: "log", "aria-live": "polite", "aria-relevant": "additions",
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
  [header, disclaimer, status, alertRegion, log, typing, form].forEach(function (n) { panel.appendChild(n); });
  root.appendChild(panel);
  root.appendChild(launcher);

  // Text with its web addresses and phone numbers (and the short numbers its links dial, like 911) as links.
  function linkedText(text, links) {
    var shortNumbers = (links || []).map(function (link) { return link.url.replace(/^tel:\+?/, ""); })
      .filter(function (digits) { return /^\d{2,6}$/.test(digits); });
    var alternatives = [WEB_ADDRESS, PHONE_NUMBER].concat(shortNumbers.map(function (n) { return "\\b" + n + "\\b"; }));
    var pattern = new RegExp(alternatives.join("|"), "g");
    var fragment = document.createDocumentFragment();
    var last = 0, match;
    while ((match = pattern.exec(text)) !== null) {
      var found = match[0];
      var url = /^https?:/.test(found) ? found : "tel:" + found.replace(/(?!^\+)[^\d]/g, "");
      if (!SAFE_URL.test(url)) continue;
      fragment.appendChild(document.createTextNode(text.slice(last, match.index)));
      fragment.appendChild(linkTo(url, found, "cc-inline-link"));
      last = match.index + found.length;
    }
    fragment.appendChild(document.createTextNode(text.slice(last)));
    return fragment;
  }

  function linkTo(url, text, className) {
    var link = el("a", { href: url, class: className }, text);
    if (/^https?:/.test(url)) { link.setAttribute("target", "_blank"); link.setAttribute("rel", "noopener noreferrer"); }
    return link;
  }

  function render(message) {
    var item;
    var urgent = message.who === "bot" && URGENT_KINDS[message.kind];
    if (message.who === "bot" && message.text.indexOf(SOURCE_PREFIX) === 0) {
      item = el("div", { class: "cc-msg cc-source" }, message.text);
    } else {
      item = el("div", { class: "cc-msg cc-" + message.who + (urgent ? " cc-urgent" : "") });
      item.appendChild(el("span", { class: "cc-sr" }, message.who === "user" ? "You said: " : "Assistant: "));
      // not colour alone: a labelled band and a heavier frame mark the reply as urgent
      if (urgent) item.appendChild(el("strong", { class: "cc-urgent-label" }, "\u26a0 " + urgent));
      item.appendChild(message.who === "bot" ? linkedText(message.text, message.links) : document.createTextNode(message.text));
    }
    log.appendChild(item);
    if (message.links && message.links.length) {
      var links = el("div", { class: "cc-links" + (urgent ? " cc-links-urgent" : "") });
      message.links.forEach(function (link) { links.appendChild(linkTo(link.url, link.title, "cc-link")); });
      log.appendChild(links);
    }
    if (message.answer) log.appendChild(voteFor(message));
    if (message.buttons && message.buttons.length) {
      var group = el("div", { class: "cc-replies", role: "group", "aria-label": "Suggested questions" });
      message.buttons.forEach(function (button) {
        var choice = el("button", { type: "button", class: "cc-reply" }, button.title);
        choice.addEventListener("click", function () {
          input.focus(); // the clicked button is disabled next: keep keyboard users in the chat
          sendMessage(button.title, button.payload);
        });
        group.appendChild(choice);
      });
      message.group = group;
      if (message.answered) disableReplies(group);
      log.appendChild(group);
    }
    scrollToLatest();
  }

  // "Was this helpful?": the vote is stored with the conversation, naming the answer it is about
  function voteFor(message) {
    var box = el("div", { class: "cc-vote", role: "group", "aria-label": "Was this answer helpful?" });
    if (message.voted) {
      box.appendChild(el("span", { class: "cc-vote-done" }, "Thanks for your feedback."));
      return box;
    }
    box.appendChild(el("span", { "aria-hidden": "true" }, "Helpful?"));
    [["yes", "\ud83d\udc4d", "Yes, this helped"], ["no", "\ud83d\udc4e", "No, this didn't help"]].forEach(function (vote) {
      var button = el("button", { type: "button", class: "cc-vote-button", "data-vote": vote[0] });
      button.appendChild(el("span", { "aria-hidden": "true" }, vote[1]));
      button.appendChild(el("span", { class: "cc-sr" }, vote[2]));
      button.addEventListener("click", function () {
        if (!sendPayload("/feedback" + JSON.stringify({ helpful: vote[0], answer: message.answer }))) return;
        message.voted = vote[0];
        saveState();
        box.replaceWith(voteFor(message));
        input.focus();
      });
      box.appendChild(button);
    });
    return box;
  }

  // Quick replies stay visible for context but can be used only until the visitor says something next.
  function disableReplies(group) {
    group.classList.add("cc-replies-used");
    Array.prototype.forEach.call(group.querySelectorAll("button"), function (button) { button.disabled = true; });
  }
  function retireOpenReplies() {
    state.messages.forEach(function (message) {
      if (message.buttons && message.buttons.length && !message.answered) {
        message.answered = true;
        if (message.group) disableReplies(message.group);
      }
    });
  }

  function scrollToLatest() { log.scrollTop = log.scrollHeight; }

  function add(message) {
    state.messages.push(message);
    saveState();
    render(message);
    if (message.who === "bot" && URGENT_KINDS[message.kind]) alertRegion.textContent = message.text;
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
    socket = window.io(config.serverUrl, { path: config.socketPath, transports: config.transports, tryAllTransports: true });
    socket.on("connect", function () {
      // On every (re)connect: rejoin the same conversation after reloads and server restarts.
      connectionFailed = false;
      joined = false;
      socket.emit("session_request", { session_id: state.sessionId, session_token: state.sessionToken });
      setStatus("", false);
    });
    socket.on("session_confirm", function (confirmed) {
      var id = typeof confirmed === "string" ? confirmed : confirmed && confirmed.session_id;
      var token = confirmed && typeof confirmed.session_token === "string" ? confirmed.session_token : null;
      if (id && (id !== state.sessionId || token !== state.sessionToken)) {
        state.sessionId = id;
        state.sessionToken = token;
        saveState();
      }
      joined = true;
      pending.splice(0).forEach(emit);
    });
    // a message the server would not take (too long, not text ...): the reason, where the visitor sees it
    socket.on("invalid_message", function (problem) {
      setTyping(false);
      var reason = problem && typeof problem.message === "string" ? problem.message : "That message could not be sent.";
      setStatus("Not sent: " + reason, true);
    });
    // not answered: the assistant can't store conversations right now (the reason names the emergency number)
    socket.on("unavailable", function (problem) {
      setTyping(false);
      setStatus(problem && typeof problem.message === "string" ? problem.message : "The assistant is unavailable.", true);
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
      var links = (Array.isArray(reply.links) ? reply.links : []).filter(function (link) {
        return link && typeof link.title === "string" && typeof link.url === "string" && SAFE_URL.test(link.url);
      }).map(function (link) { return { title: link.title, url: link.url }; });
      add({ who: "bot", text: reply.text, buttons: buttons, links: links,
            kind: typeof reply.kind === "string" ? reply.kind : undefined,
            answer: typeof reply.answer === "string" && /^utter_\w+$/.test(reply.answer) ? reply.answer : undefined });
    });
  }

  function sendMessage(shownText, payload) {
    var text = (shownText || "").trim();
    if (!text) return;
    if (connectionFailed) {
      setStatus("Not sent: the clinic assistant can't be reached. Please try again in a moment.", true);
      return false;
    }
    retireOpenReplies();
    add({ who: "user", text: text });
    var message = { message: payload || text };
    if (joined) emit(message); else pending.push(message);
    setTyping(true);
    return true;
  }

  // A payload the visitor did not type (a vote): sent, not shown as their message.
  function sendPayload(payload) {
    if (connectionFailed) {
      setStatus("Not sent: the clinic assistant can't be reached. Please try again in a moment.", true);
      return false;
    }
    var message = { message: payload };
    if (joined) emit(message); else pending.push(message);
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
    root.classList.add("cc-open");
    launcher.setAttribute("aria-expanded", "true");
    if (!state.messages.length) add({ who: "bot", text: config.greeting, buttons: [] });
    scrollToLatest(); // the panel was hidden while the history was drawn
    loadClientLibrary(connect);
    input.focus();
  }
  function closePanel() {
    panel.hidden = true;
    root.classList.remove("cc-open");
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
    css.addEventListener("load", scrollToLatest); // the log has its height only once styled
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
