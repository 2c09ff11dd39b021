"""The website widget in a real browser: answers, quick replies, history, privacy, keyboard, phone size."""
import http.server
import threading
import urllib.error
import urllib.request
from functools import partial
from urllib.parse import urlsplit

import pytest

from clinic.paths import ROOT

RESULTS = ROOT / "results"
LOG = ".cc-log"
TIMEOUT = 60_000


def open_chat(page, url):
    page.goto(url)
    page.click(".cc-launcher")
    page.wait_for_selector(".cc-panel:not([hidden])")


def ask(page, question):
    bots_before = page.locator(".cc-bot").count()
    page.fill("#cc-input", question)
    page.press("#cc-input", "Enter")
    page.wait_for_function(
        "n => document.querySelectorAll('.cc-bot').length > n", arg=bots_before, timeout=TIMEOUT
    )


def origin_of(url):
    parts = urlsplit(url)
    return parts.hostname, parts.port


def test_topic_question_quick_reply_and_source(stack, context):
    page = context.new_page()
    open_chat(page, stack.rasa_url + "/chat/")
    ask(page, "Can massage help me sleep better?")
    assert "serotonin" in page.inner_text(LOG)
    page.wait_for_selector(".cc-source")
    assert page.locator(".cc-source").last.inner_text() == "Source: Benefits of Soft Tissue Massages"
    assert page.locator(".cc-disclaimer").inner_text().startswith("General information")

    RESULTS.mkdir(exist_ok=True)
    page.screenshot(path=str(RESULTS / "widget-answer.png"))

    reply = page.locator(".cc-reply").first
    title = reply.inner_text()
    sources_before = page.locator(".cc-source").count()
    reply.click()
    page.wait_for_function(
        "n => document.querySelectorAll('.cc-source').length > n", arg=sources_before, timeout=TIMEOUT
    )
    assert page.locator(".cc-user").last.inner_text().endswith(title)
    # the used set of replies stays for context but can no longer be used; the new one can
    assert page.locator(".cc-replies:not(.cc-replies-used)").count() == 1
    assert page.locator(".cc-replies-used .cc-reply:enabled").count() == 0


def test_reload_keeps_history_and_the_same_conversation(stack, context):
    page = context.new_page()
    open_chat(page, stack.rasa_url + "/chat/")
    ask(page, "I'm pregnant, is a massage safe for me?")
    session = page.evaluate("JSON.parse(localStorage.getItem('clinic-chat')).sessionId")
    page.reload()
    page.wait_for_selector(".cc-panel:not([hidden])")
    assert "pregnant, is a massage safe for me" in page.inner_text(LOG)
    assert page.evaluate("JSON.parse(localStorage.getItem('clinic-chat')).sessionId") == session
    # the server remembers the condition of this session: a follow-up without it is still tailored
    ask(page, "how often should I come?")
    assert "during pregnancy" in page.locator(".cc-bot").last.inner_text()


def test_no_request_leaves_the_origin(stack, context):
    page = context.new_page()
    seen = []
    page.on("request", lambda request: seen.append(request.url))
    page.on("websocket", lambda socket: seen.append(socket.url))
    open_chat(page, stack.rasa_url + "/chat/")
    ask(page, "what is deep tissue massage?")
    assert any("/socket.io/" in url for url in seen)
    assert {origin_of(url) for url in seen} == {origin_of(stack.rasa_url)}, seen


def test_bot_and_user_text_are_never_rendered_as_html(stack, context):
    page = context.new_page()
    open_chat(page, stack.rasa_url + "/chat/")
    ask(page, '<img src=x onerror="window.pwned=1"> <b>bold</b>')
    assert page.locator(".cc-log img, .cc-log b").count() == 0
    assert '<img src=x onerror="window.pwned=1">' in page.locator(".cc-user").last.inner_text()
    assert page.evaluate("window.pwned") is None


def test_keyboard_only(stack, context):
    page = context.new_page()
    page.goto(stack.rasa_url + "/chat/")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.className") == "cc-launcher"
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "cc-input"
    page.keyboard.type("does massage help with fibromyalgia?")
    page.keyboard.press("Enter")
    page.wait_for_selector(".cc-reply", timeout=TIMEOUT)
    for _ in range(10):  # tab forward until a quick reply has focus
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.className") == "cc-reply":
            break
    focused = page.evaluate("document.activeElement.textContent")
    outline = page.evaluate("getComputedStyle(document.activeElement).outlineStyle")
    assert outline != "none", "focus must be visible"
    sources_before = page.locator(".cc-source").count()
    page.keyboard.press("Enter")
    page.wait_for_function(
        "n => document.querySelectorAll('.cc-source').length > n", arg=sources_before, timeout=TIMEOUT
    )
    assert page.locator(".cc-user").last.inner_text().endswith(focused)
    page.keyboard.press("Escape")
    assert page.locator(".cc-panel").is_hidden()
    assert page.evaluate("document.activeElement.className") == "cc-launcher"


def test_accessible_names_live_region_and_contrast(stack, context):
    page = context.new_page()
    open_chat(page, stack.rasa_url + "/chat/")
    ask(page, "hello")
    assert page.get_attribute(LOG, "aria-live") == "polite"
    assert page.get_attribute(LOG, "role") == "log"
    assert page.locator("label[for=cc-input]").inner_text() == "Your question"
    assert page.get_by_role("button", name="Close chat").count() == 1
    ratios = page.evaluate(CONTRAST_SCRIPT)
    low = {selector: ratio for selector, ratio in ratios.items() if ratio < 4.5}
    assert ratios and not low, low


PHONE = {"viewport": {"width": 360, "height": 740}, "is_mobile": True, "has_touch": True}


def test_on_a_360px_phone_the_open_chat_fills_the_screen(stack, browser):
    phone = browser.new_context(**PHONE)
    page = phone.new_page()
    open_chat(page, stack.rasa_url + "/chat/")
    ask(page, "can massage help with headaches?")
    box = page.locator(".cc-panel").bounding_box()
    assert (box["x"], box["y"], box["width"], box["height"]) == (0, 0, 360, 740)
    assert page.locator(".cc-launcher").is_hidden()  # not left under the open panel
    assert page.locator(".cc-disclaimer").bounding_box()["height"] <= 40  # one line until it is opened
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    RESULTS.mkdir(exist_ok=True)
    page.screenshot(path=str(RESULTS / "widget-phone.png"))
    page.click(".cc-close")
    assert page.locator(".cc-launcher").is_visible()
    phone.close()


def test_after_a_reload_the_chat_opens_at_the_latest_message(stack, browser):
    phone = browser.new_context(**PHONE)
    page = phone.new_page()
    open_chat(page, stack.rasa_url + "/chat/")
    for question in ("what is deep tissue massage?", "can massage help with sleep?", "and with stress?"):
        ask(page, question)
    page.reload()
    page.wait_for_selector(".cc-panel:not([hidden])")
    at_bottom = "el => el.scrollHeight - el.scrollTop - el.clientHeight < 2"
    assert page.eval_on_selector(LOG, "el => el.scrollHeight > el.clientHeight"), "the history should overflow the log"
    assert page.eval_on_selector(LOG, at_bottom)
    phone.close()


def test_a_reply_naming_the_clinic_has_links_to_call_and_to_book(stack, context):
    page = context.new_page()
    open_chat(page, stack.rasa_url + "/chat/")
    ask(page, "I'd like to book an appointment")
    book = page.locator(".cc-link", has_text="Book online").last
    assert book.get_attribute("href") == "https://e2e.example/book"
    assert book.get_attribute("rel") == "noopener noreferrer"
    ask(page, "can massage replace my blood pressure tablets?")
    call = page.locator(".cc-link", has_text="Call the clinic").last
    assert call.get_attribute("href") == "tel:+15550177"
    # the number in the text is a link too, built from the text (never parsed as HTML)
    assert page.locator(".cc-bot").last.locator("a.cc-inline-link[href='tel:+15550177']").count() == 1


def test_the_emergency_reply_stands_out_with_a_big_button_to_call(stack, browser):
    for size, name in (({"viewport": {"width": 1280, "height": 800}}, "widget-emergency.png"),
                       (PHONE, "widget-emergency-phone.png")):
        context = browser.new_context(**size)
        page = context.new_page()
        open_chat(page, stack.rasa_url + "/chat/")
        ask(page, "my husband collapsed and he isn't breathing")
        urgent = page.locator(".cc-urgent").last
        assert urgent.locator(".cc-urgent-label").text_content().endswith("Emergency")  # a label, not colour alone
        call = page.locator(".cc-links-urgent .cc-link").first
        assert call.inner_text() == "Call 999" and call.get_attribute("href") == "tel:999"
        assert call.bounding_box()["height"] >= 48
        assert urgent.evaluate("el => getComputedStyle(el).borderTopWidth") == "3px"
        # announced assertively, not only as one more line of the polite log
        region = page.locator("[aria-live=assertive]")
        assert "999" in region.inner_text()
        RESULTS.mkdir(exist_ok=True)
        page.screenshot(path=str(RESULTS / name))
        context.close()


def test_the_crisis_reply_dials_the_crisis_line_first(stack, context):
    page = context.new_page()
    open_chat(page, stack.rasa_url + "/chat/")
    ask(page, "I don't want to be alive anymore, I've been thinking of ending it")
    assert page.locator(".cc-links-urgent .cc-link").first.get_attribute("href") == "tel:116123"


def test_typing_a_new_question_retires_the_offered_replies(stack, context):
    page = context.new_page()
    open_chat(page, stack.rasa_url + "/chat/")
    ask(page, "does massage help with fibromyalgia?")
    page.wait_for_selector(".cc-reply:enabled", timeout=TIMEOUT)
    ask(page, "thanks")
    groups = page.locator(".cc-replies")
    assert groups.count() >= 1 and page.locator(".cc-replies-used").count() >= 1
    assert page.locator(".cc-replies-used .cc-reply:enabled").count() == 0


AXE = ROOT / "web" / "node_modules" / "axe-core" / "axe.min.js"


def axe_violations(page):
    """axe-core (pinned in web/package.json) on the page as it is: WCAG A/AA rules and best practices."""
    page.add_script_tag(path=str(AXE))
    return page.evaluate("""async () => {
        const result = await axe.run(document, {resultTypes: ['violations']});
        return result.violations.map(v => ({id: v.id, impact: v.impact, nodes: v.nodes.map(n => n.target.join(' '))}));
    }""")


def test_axe_finds_no_violation_closed_open_and_after_a_conversation(stack, browser):
    assert AXE.exists(), "web/node_modules is missing: `make web` installs axe-core with the widget's libraries"
    for size in ({"viewport": {"width": 1280, "height": 800}}, PHONE):
        context = browser.new_context(bypass_csp=True, **size)  # to inject axe; the widget itself runs under the CSP
        page = context.new_page()
        page.goto(stack.rasa_url + "/chat/")
        page.wait_for_selector(".cc-launcher")
        assert axe_violations(page) == []
        page.click(".cc-launcher")
        page.wait_for_selector(".cc-panel:not([hidden])")
        assert axe_violations(page) == []
        for question in ("does massage help with fibromyalgia?", "I'd like to book an appointment",
                         "my husband collapsed and he isn't breathing"):
            ask(page, question)
        assert axe_violations(page) == []
        context.close()


def test_the_page_answers_without_its_slash_and_to_head(stack):
    class NoRedirect(urllib.request.HTTPRedirectHandler):
        def redirect_request(self, *args, **kwargs):
            return None

    opener = urllib.request.build_opener(NoRedirect)
    try:
        opener.open(stack.rasa_url + "/chat")
        raise AssertionError("/chat should redirect")
    except urllib.error.HTTPError as redirect:
        assert redirect.code == 301 and redirect.headers["Location"].endswith("/chat/")
    for path in ("/chat/", "/chat/clinic-chat.js"):
        head = urllib.request.urlopen(urllib.request.Request(stack.rasa_url + path, method="HEAD"))
        assert head.status == 200 and head.read() == b""
        assert "frame-ancestors 'self'" in head.headers["Content-Security-Policy"]
        assert head.headers["X-Frame-Options"] == "SAMEORIGIN" and "max-age=" in head.headers["Strict-Transport-Security"]


@pytest.fixture
def page_without_assistant(tmp_path):
    """The widget's page served by a plain file server: the assistant itself is unreachable."""
    handler = partial(http.server.SimpleHTTPRequestHandler, directory=str(ROOT / "web" / "public"))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}/index.html"
    server.shutdown()


def test_unreachable_server_shows_an_error_and_keeps_the_text(context, page_without_assistant):
    page = context.new_page()
    open_chat(page, page_without_assistant)
    page.wait_for_selector(".cc-status.cc-error", timeout=TIMEOUT)
    page.fill("#cc-input", "can massage help with stress?")
    page.press("#cc-input", "Enter")
    assert "can't be reached" in page.inner_text(".cc-status")
    assert page.input_value("#cc-input") == "can massage help with stress?"


def test_reconnects_after_a_server_restart(stack, context):
    page = context.new_page()
    open_chat(page, stack.rasa_url + "/chat/")
    ask(page, "I take blood thinners, can I have a massage?")
    stack.restart_rasa()
    page.wait_for_function("() => !document.querySelector('.cc-status').classList.contains('cc-error')", timeout=TIMEOUT)
    ask(page, "which massage is best for me?")
    assert "blood thinners" in page.locator(".cc-bot").last.inner_text()


CONTRAST_SCRIPT = """
() => {
  const channel = c => { c /= 255; return c <= 0.03928 ? c / 12.92 : Math.pow((c + 0.055) / 1.055, 2.4); };
  const parse = s => (s.match(/[\\d.]+/g) || []).map(Number);
  const lum = ([r, g, b]) => 0.2126 * channel(r) + 0.7152 * channel(g) + 0.0722 * channel(b);
  const background = el => {
    for (; el; el = el.parentElement) {
      const c = parse(getComputedStyle(el).backgroundColor);
      if (c.length === 3 || (c.length === 4 && c[3] > 0)) return c.slice(0, 3);
    }
    return [255, 255, 255];
  };
  const out = {};
  for (const sel of ['.cc-launcher', '.cc-title', '.cc-disclaimer', '.cc-bot', '.cc-user', '.cc-source',
                     '.cc-reply', '.cc-send', '.cc-input']) {
    const el = document.querySelector(sel);
    if (!el) continue;
    const a = lum(parse(getComputedStyle(el).color).slice(0, 3)), b = lum(background(el));
    out[sel] = (Math.max(a, b) + 0.05) / (Math.min(a, b) + 0.05);
  }
  return out;
}
"""


def stored_user_events(stack, sender):
    import json
    import sqlite3

    with sqlite3.connect(stack.workdir / "conversations.db") as database:
        rows = database.execute(
            "SELECT data FROM events WHERE sender_id = ? AND type_name = 'user' ORDER BY id", (sender,)).fetchall()
    return [json.loads(data) for (data,) in rows]


def test_a_vote_on_an_answer_is_stored_in_the_conversation(stack, context):
    page = context.new_page()
    open_chat(page, stack.rasa_url + "/chat/")
    ask(page, "can massage help me sleep better?")
    page.wait_for_selector(".cc-vote-button", timeout=TIMEOUT)
    users_before = page.locator(".cc-user").count()
    page.get_by_role("button", name="No, this didn't help").last.click()
    page.wait_for_selector(".cc-vote-done", timeout=TIMEOUT)
    page.wait_for_function("() => document.querySelectorAll('.cc-bot').length > 0 && "
                           "document.querySelector('.cc-log').innerText.includes('Thank you for telling us')", timeout=TIMEOUT)
    assert page.locator(".cc-user").count() == users_before  # the vote is not shown as something they typed
    session = page.evaluate("JSON.parse(localStorage.getItem('clinic-chat')).sessionId")
    votes = [e for e in stored_user_events(stack, session) if (e.get("parse_data") or {}).get("intent", {}).get("name") == "feedback"]
    assert len(votes) == 1
    entities = {e["entity"]: e["value"] for e in votes[0]["parse_data"]["entities"]}
    assert entities == {"helpful": "no", "answer": "utter_faq_sleep"}
    page.reload()  # the vote is remembered: no second vote on the same answer
    page.wait_for_selector(".cc-panel:not([hidden])")
    assert page.locator(".cc-vote-done").count() == 1
