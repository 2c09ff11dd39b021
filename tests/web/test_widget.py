"""The website widget in a real browser: answers, quick replies, history, privacy, keyboard, phone size."""
import http.server
import threading
from functools import partial
from urllib.parse import urlsplit

import pytest

from evaluation.heldout import ROOT

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
    assert page.locator(".cc-replies").count() == 1  # the used set of replies is gone, the new one is shown


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
    assert page.get_attribute(".cc-close", "aria-label") == "Close chat"
    ratios = page.evaluate(CONTRAST_SCRIPT)
    low = {selector: ratio for selector, ratio in ratios.items() if ratio < 4.5}
    assert ratios and not low, low


def test_fits_a_360px_phone(stack, browser):
    phone = browser.new_context(viewport={"width": 360, "height": 740}, is_mobile=True, has_touch=True)
    page = phone.new_page()
    open_chat(page, stack.rasa_url + "/chat/")
    ask(page, "can massage help with headaches?")
    box = page.locator(".cc-panel").bounding_box()
    assert box["x"] >= 0 and box["x"] + box["width"] <= 360
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    RESULTS.mkdir(exist_ok=True)
    page.screenshot(path=str(RESULTS / "widget-phone.png"))
    phone.close()


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
