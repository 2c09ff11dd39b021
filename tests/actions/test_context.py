"""Follow-ups about the last answer: the article passage it was written from, verbatim with its source."""
import pytest

from actions.context import ActionTellMore
from clinic.knowledge import KNOWLEDGE, sources, uncited
from tests.actions.helpers import make_tracker, payloads, run_action


def topics(domain):
    return sorted(k[len("utter_faq_"):] for k in domain["responses"] if k.startswith("utter_faq_"))


def test_every_topic_gets_a_verbatim_passage_of_its_own_article_or_says_there_is_no_more(domain):
    told_more = 0
    for topic in topics(domain):
        answer = domain["responses"][f"utter_faq_{topic}"][0]
        messages, _ = run_action(ActionTellMore(), make_tracker("ask_more", slots={"last_topic": topic}), domain)
        assert len(messages) == 1, topic
        if messages[0].get("response") == "utter_nothing_more":
            continue
        told_more += 1
        passage, [title] = uncited(messages[0]["text"])
        cited = [sources()[key] for key in answer["metadata"]["sources"]]
        assert title in [source["title"] for source in cited], topic
        article = next(s for s in cited if s["title"] == title)
        assert passage in " ".join((KNOWLEDGE / article["file"]).read_text(encoding="utf-8").split()), topic
        assert passage not in answer["text"], topic  # more than the answer itself
        assert payloads(messages[0]) == [b["payload"] for b in answer.get("buttons") or []], topic
    assert told_more >= 20


def test_the_sleep_passage_is_the_one_about_serotonin(domain):
    messages, _ = run_action(ActionTellMore(), make_tracker("ask_more", slots={"last_topic": "sleep"}), domain)
    assert "seratonin" in messages[0]["text"] and "endorphins" in messages[0]["text"]
    assert messages[0]["text"].endswith("Source: Benefits of Soft Tissue Massages")


@pytest.mark.parametrize("slots", [{}, {"last_topic": None}, {"last_topic": "no_such_topic"}])
def test_without_a_last_topic_it_asks_which_topic(domain, slots):
    messages, _ = run_action(ActionTellMore(), make_tracker("ask_more", slots=slots), domain)
    assert messages[0]["response"] == "utter_ask_which_topic"


@pytest.mark.parametrize("text", ["and how can massage help manage it?", "does it help with that?"])
def test_asking_whether_massage_helps_after_a_definition_gets_the_help_topics_answer(domain, text):
    tracker = make_tracker("ask_more", slots={"last_topic": "chronic_pain"}, text=text)
    messages, events = run_action(ActionTellMore(), tracker, domain)
    assert [m["response"] for m in messages] == ["utter_faq_pain_management"]
    assert events == [{"event": "slot", "timestamp": None, "name": "last_topic", "value": "pain_management"}]


def test_more_on_a_definition_stays_on_it(domain):
    tracker = make_tracker("ask_more", slots={"last_topic": "chronic_pain"}, text="tell me more")
    messages, events = run_action(ActionTellMore(), tracker, domain)
    assert events == [] and "utter_faq_pain_management" not in [m.get("response") for m in messages]
