"""FAQ topics as the domain describes them: intent faq_<topic>, answered by utter_faq_<topic> (metadata.question
is the topic's title). Plain Python, shared by the action server and the Rasa server's components."""
from typing import Any, Dict, Iterable, List, Optional, Text, Tuple

FAQ_INTENT_PREFIX = "faq_"
FAQ_RESPONSE_PREFIX = "utter_faq_"  # utter_faq_<topic> answers faq_<topic>
FAQ = "faq"  # the FAQ intents taken together


def is_faq(intent: Optional[Text]) -> bool:
    return intent is not None and intent.startswith(FAQ_INTENT_PREFIX)


def topic_of(intent: Text) -> Text:
    """`faq_sleep` -> `sleep`."""
    return intent[len(FAQ_INTENT_PREFIX):]


PERSONAL_QUESTION = "personal_question"
MEDICATION_OR_CURE = "medication_or_cure"  # the prescribing doctor decides (addons/safety/medication_or_cure.yml)
PROVIDER_POINTER = "provider_pointer"  # parse key: answer, then point to a provider (addons/faq_gate.py)
FAQ_SUMMARY = "faq"  # parse key: the FAQ intents' summed confidence and best topics (addons/faq_gate.py)
RANKING_LENGTH = 10  # intents kept in a parse and so in the stored conversation, as Rasa's classifiers do
SUMMARY_TOPICS = 5


def faq_summary(intent_ranking: Iterable[Dict[Text, Any]]) -> Dict[Text, Any]:
    """From a ranking of every intent: how sure the classifier is that a message asks an FAQ at all (the FAQ
    intents' summed confidence), and the best topics by their confidence given that it does."""
    topics = [(entry["name"], entry["confidence"]) for entry in intent_ranking if is_faq(entry.get("name"))]
    total = sum(confidence for _, confidence in topics)
    given_faq = sorted(((name, confidence / total) for name, confidence in topics), key=lambda item: -item[1]) if total > 0 else []
    return {"confidence": total, "topics": [{"name": name, "confidence": c} for name, c in given_faq[:SUMMARY_TOPICS]]}


def faq_share(parse: Dict[Text, Any]) -> Tuple[float, List[Tuple[Text, float]]]:
    """A parse's FAQ summary as (summed confidence, [(topic intent, confidence given an FAQ), ...] best
    first); computed from its ranking when the parse has no summary yet."""
    summary = parse.get(FAQ_SUMMARY) or faq_summary(parse.get("intent_ranking") or [])
    return summary["confidence"], [(topic["name"], topic["confidence"]) for topic in summary["topics"]]


def by_kind(parse: Dict[Text, Any]) -> List[Dict[Text, Any]]:
    """The parse's ranking with the FAQ intents taken together as one entry, `faq`, best first."""
    faq_confidence, topics = faq_share(parse)
    others = [entry for entry in parse.get("intent_ranking") or [] if not is_faq(entry.get("name"))]
    kinds = others + ([{"name": FAQ, "confidence": faq_confidence}] if topics else [])
    return sorted(kinds, key=lambda entry: -entry["confidence"])


def faq_answer(domain: Dict[Text, Any], topic: Optional[Text]) -> Optional[Dict[Text, Any]]:
    """The domain's answer to an FAQ topic (text, buttons, metadata), or None for an unknown topic."""
    variations = (domain.get("responses") or {}).get(f"{FAQ_RESPONSE_PREFIX}{topic}") if topic else None
    return variations[0] if variations else None


def topic_question(domain: Dict[Text, Any], topic: Text) -> Optional[Text]:
    """The title of an FAQ topic, e.g. "Can massage help with sleep?" for `sleep`."""
    return ((faq_answer(domain, topic) or {}).get("metadata") or {}).get("question")


def faq_button(domain: Dict[Text, Any], topic: Text) -> Dict[Text, Text]:
    """A quick-reply button that asks for the answer of `topic` exactly."""
    return {"title": topic_question(domain, topic) or topic.replace("_", " "), "payload": f"/{FAQ_INTENT_PREFIX}{topic}"}
