"""FAQ topics as the domain describes them: intent faq_<topic>, answered by utter_faq_<topic> (metadata.question
is the topic's title). Plain Python, shared by the action server and the Rasa server's components."""
from typing import Any, Dict, Iterable, List, Optional, Text, Tuple

FAQ_INTENT_PREFIX = "faq_"
FAQ = "faq"  # the FAQ intents taken together


def is_faq(intent: Optional[Text]) -> bool:
    return bool(intent) and intent.startswith(FAQ_INTENT_PREFIX)


def topic_of(intent: Text) -> Text:
    """`faq_sleep` -> `sleep`."""
    return intent[len(FAQ_INTENT_PREFIX):]


def faq_share(intent_ranking: Iterable[Dict[Text, Any]]) -> Tuple[float, List[Tuple[Text, float]]]:
    """How sure the classifier is that a message asks an FAQ at all (the FAQ intents' summed confidence),
    and the FAQ intents ranked by their confidence given that it does, best first."""
    topics = [(entry["name"], entry["confidence"]) for entry in intent_ranking if is_faq(entry.get("name"))]
    total = sum(confidence for _, confidence in topics)
    given_faq = [(name, confidence / total) for name, confidence in topics] if total > 0 else []
    return total, sorted(given_faq, key=lambda item: -item[1])


def by_kind(intent_ranking: Iterable[Dict[Text, Any]]) -> List[Dict[Text, Any]]:
    """The ranking with the FAQ intents taken together as one entry, `faq`, best first."""
    faq_confidence, topics = faq_share(intent_ranking)
    others = [entry for entry in intent_ranking if not is_faq(entry.get("name"))]
    kinds = others + ([{"name": FAQ, "confidence": faq_confidence}] if topics else [])
    return sorted(kinds, key=lambda entry: -entry["confidence"])


def topic_question(domain: Dict[Text, Any], topic: Text) -> Optional[Text]:
    """The title of an FAQ topic, e.g. "Can massage help with sleep?" for `sleep`."""
    variations = (domain.get("responses") or {}).get(f"utter_faq_{topic}") or [{}]
    return (variations[0].get("metadata") or {}).get("question")


def faq_button(domain: Dict[Text, Any], topic: Text) -> Dict[Text, Text]:
    """A quick-reply button that asks for the answer of `topic` exactly."""
    return {"title": topic_question(domain, topic) or topic.replace("_", " "), "payload": f"/{FAQ_INTENT_PREFIX}{topic}"}
