"""Messaging integrations through Rasa's real connector classes, offline: the services' APIs are a local fake."""
import hashlib
import hmac
import json
import time

import pytest
import requests

from clinic.paths import PYTHON
from evaluation.stack import running_stack
from tests.channels.fake_apis import FakeApis

SLACK_SECRET = "test-signing-secret"
FACEBOOK_SECRET = "fb-app-secret"
TELEGRAM_TOKEN = "123456:TEST"
TWILIO_SID = "AC" + "1" * 32
CREDENTIALS = """
channels.rest.RestInput:
channels.rest.CallbackInput:
  url: "{fake}/bot"
slack:
  slack_token: "xoxb-test"
  slack_channel: "C123"
  slack_signing_secret: "{slack_secret}"
facebook:
  verify: "verify-me"
  secret: "{facebook_secret}"
  page-access-token: "fb-page-token"
channels.telegram.TelegramWebhookInput:
  access_token: "{telegram_token}"
  verify: "clinic_bot"
  webhook_url: "https://clinic.example/webhooks/telegram/webhook"
channels.sms.NumberedChoicesTwilioInput:
  account_sid: "{twilio_sid}"
  auth_token: "twilio-token"
  twilio_number: "+15550001111"
"""


@pytest.fixture(scope="module")
def fake():
    apis = FakeApis()
    yield apis
    apis.close()


@pytest.fixture(scope="module")
def stack(trained_model, tmp_path_factory, fake):
    workdir = tmp_path_factory.mktemp("channels")
    credentials = workdir / "credentials.yml"
    credentials.write_text(CREDENTIALS.format(
        fake=fake.url, slack_secret=SLACK_SECRET, facebook_secret=FACEBOOK_SECRET,
        telegram_token=TELEGRAM_TOKEN, twilio_sid=TWILIO_SID,
    ))
    with running_stack(trained_model, workdir, {"FAKE_API_URL": fake.url}, credentials=credentials,
                       launcher=[PYTHON, "-m", "tests.channels.rasa_with_fake_apis"]) as started:
        yield started


def wait_for(fake, path_pattern, contains, timeout=60):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        texts = [t for t in fake.texts(path_pattern) if contains in t]
        if texts:
            return texts
        time.sleep(0.3)
    raise AssertionError(f"no call to {path_pattern} containing {contains!r}: {fake.calls[-5:]}")


def test_callback_channel_posts_replies_to_the_callback_url(stack, fake):
    reply = requests.post(f"{stack.rasa_url}/webhooks/callback/webhook",
                          json={"sender": "cb-visitor", "message": "/faq_sleep"}, timeout=30)
    assert reply.status_code == 200
    wait_for(fake, r"^/bot$", "serotonin")


def slack_request(stack, body, secret):
    timestamp = str(int(time.time()))
    signature = "v0=" + hmac.new(secret.encode(), f"v0:{timestamp}:{body}".encode(), hashlib.sha256).hexdigest()
    return requests.post(f"{stack.rasa_url}/webhooks/slack/webhook", data=body, timeout=30, headers={
        "Content-Type": "application/json", "X-Slack-Request-Timestamp": timestamp, "X-Slack-Signature": signature,
    })


def slack_event(text, event_id):
    return json.dumps({
        "token": "t", "team_id": "T1", "api_app_id": "A1", "type": "event_callback", "event_id": event_id,
        "event_time": int(time.time()),
        "event": {"type": "message", "channel": "C123", "user": "U1", "text": text, "ts": f"{time.time():.4f}",
                  "channel_type": "im"},
    })


def test_slack_accepts_a_correctly_signed_message_and_replies(stack, fake):
    response = slack_request(stack, slack_event("/faq_fibromyalgia", "Ev1"), SLACK_SECRET)
    assert response.status_code == 200
    wait_for(fake, r"^/slack/chat\.postMessage", "Fibromyalgia is one of the conditions")


def test_slack_rejects_a_wrongly_signed_message(stack, fake):
    before = len(fake.texts(r"^/slack/"))
    response = slack_request(stack, slack_event("/faq_stress_anxiety", "Ev2"), "not-the-secret")
    assert response.status_code == 400  # Rasa's SlackInput: "Message is not properly signed"
    time.sleep(2)
    assert len(fake.texts(r"^/slack/")) == before


def test_messenger_verify_handshake(stack):
    ok = requests.get(f"{stack.rasa_url}/webhooks/facebook/webhook",
                      params={"hub.verify_token": "verify-me", "hub.challenge": "314159"}, timeout=30)
    assert ok.text == "314159"
    wrong = requests.get(f"{stack.rasa_url}/webhooks/facebook/webhook",
                         params={"hub.verify_token": "guess", "hub.challenge": "314159"}, timeout=30)
    assert "314159" not in wrong.text


def test_messenger_incoming_message_is_answered(stack, fake):
    body = json.dumps({"object": "page", "entry": [{"id": "P1", "time": 1, "messaging": [{
        "sender": {"id": "U42"}, "recipient": {"id": "P1"}, "timestamp": 1,
        "message": {"mid": "m1", "text": "/faq_deep_tissue"}}]}]})
    signature = "sha1=" + hmac.new(FACEBOOK_SECRET.encode(), body.encode(), hashlib.sha1).hexdigest()
    response = requests.post(f"{stack.rasa_url}/webhooks/facebook/webhook", data=body, timeout=30,
                             headers={"Content-Type": "application/json", "X-Hub-Signature": signature})
    assert response.status_code == 200
    wait_for(fake, r"^/facebook/me/messages", "scar tissue")


def test_sms_sends_whole_answers_and_numbered_choices_and_understands_a_number(stack, fake, domain):
    sms = f"{stack.rasa_url}/webhooks/sms/webhook"
    response = requests.post(sms, data={"From": "+15551230001", "Body": "/faq_headaches"}, timeout=60)
    assert response.status_code == 204
    answer = domain["responses"]["utter_faq_headaches"][0]["text"].split("\n\n")[0]
    assert answer in wait_for(fake, r"/Messages\.json$", answer)  # sent whole, not cut
    choices = wait_for(fake, r"/Messages\.json$", "Reply with a number:")[-1]
    first_choice = domain["responses"]["utter_faq_headaches"][0]["buttons"][0]
    assert f"1. {first_choice['title']}" in choices and "/faq_" not in choices

    requests.post(sms, data={"From": "+15551230001", "Body": "1"}, timeout=60)
    chosen = first_choice["payload"][len("/faq_"):]
    wait_for(fake, r"/Messages\.json$", domain["responses"][f"utter_faq_{chosen}"][0]["text"].split("\n\n")[0])


def test_sms_offers_the_vote_as_numbers_and_a_vote_is_thanked(stack, fake, domain):
    """SMS has no thumbs: "was this helpful?" is the last two numbered choices under an answer."""
    sms = f"{stack.rasa_url}/webhooks/sms/webhook"
    requests.post(sms, data={"From": "+15551230002", "Body": "/faq_sleep"}, timeout=60)
    choices = wait_for(fake, r"/Messages\.json$", "This answer didn't help")[-1]
    count = len(domain["responses"]["utter_faq_sleep"][0].get("buttons") or [])
    assert f"{count + 1}. This answer helped\n{count + 2}. This answer didn't help" in choices

    requests.post(sms, data={"From": "+15551230002", "Body": str(count + 2)}, timeout=60)
    wait_for(fake, r"/Messages\.json$", domain["responses"]["utter_feedback_thanks"][0]["text"])


def test_telegram_registers_its_webhook_and_answers_text_and_button_clicks(stack, fake):
    assert any(call["path"] == f"/telegram/bot{TELEGRAM_TOKEN}/setWebhook" for call in fake.calls)
    chat = {"id": 42, "type": "private"}
    sender = {"id": 42, "is_bot": False, "first_name": "Ann"}
    webhook = f"{stack.rasa_url}/webhooks/telegram/webhook"
    text = {"update_id": 1, "message": {"message_id": 5, "date": int(time.time()), "chat": chat, "from": sender,
                                        "text": "/greet"}}
    assert requests.post(webhook, json=text, timeout=30).status_code == 200
    greeting = wait_for(fake, rf"^/telegram/bot{TELEGRAM_TOKEN}/sendMessage", "virtual assistant")
    assert greeting
    # a quick reply arrives as a callback query carrying the button's payload
    click = {"update_id": 2, "callback_query": {
        "id": "cb1", "from": sender, "chat_instance": "1", "data": "/faq_stress_anxiety",
        "message": {"message_id": 6, "date": int(time.time()), "chat": chat, "text": "..."}}}
    assert requests.post(webhook, json=click, timeout=30).status_code == 200
    wait_for(fake, rf"^/telegram/bot{TELEGRAM_TOKEN}/sendMessage", "stress and anxiety")


def test_no_visitor_words_in_the_logs_from_any_messaging_channel(stack, fake):
    marker = "zebrawren"  # in every message below; no log line has any other reason to contain it
    slack_request(stack, slack_event(f"does massage help {marker}?", "Ev9"), SLACK_SECRET)
    body = json.dumps({"object": "page", "entry": [{"id": "P1", "time": 1, "messaging": [{
        "sender": {"id": "U43"}, "recipient": {"id": "P1"}, "timestamp": 1,
        "message": {"mid": "m9", "text": f"/{marker} help"}}]}]})
    signature = "sha1=" + hmac.new(FACEBOOK_SECRET.encode(), body.encode(), hashlib.sha1).hexdigest()
    requests.post(f"{stack.rasa_url}/webhooks/facebook/webhook", data=body, timeout=30,
                  headers={"Content-Type": "application/json", "X-Hub-Signature": signature})
    requests.post(f"{stack.rasa_url}/webhooks/sms/webhook", data={"From": "+15551230009", "Body": f"{marker} pain"},
                  timeout=60)
    update = {"update_id": 9, "message": {"message_id": 9, "date": int(time.time()), "chat": {"id": 43, "type": "private"},
                                          "from": {"id": 43, "is_bot": False, "first_name": "B"}, "text": f"my {marker}"}}
    requests.post(f"{stack.rasa_url}/webhooks/telegram/webhook", json=update, timeout=30)
    requests.post(f"{stack.rasa_url}/webhooks/callback/webhook", json={"sender": "cb-9", "message": f"{marker}?"},
                  timeout=30)
    time.sleep(5)
    for log in stack.workdir.glob("*.log"):
        lines = [line for line in log.read_text(errors="replace").splitlines() if marker in line]
        assert not lines, f"{log.name}: {lines[:3]}"
