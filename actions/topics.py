"""FAQ topics as the domain describes them: utter_faq/<topic> responses with metadata.question."""
from typing import Any, Dict, Optional, Text

FAQ_PREFIX = "utter_faq/"


def topic_question(domain: Dict[Text, Any], topic: Text) -> Optional[Text]:
    """The title of an FAQ topic, e.g. "Can massage help with sleep?" for `sleep`."""
    variations = (domain.get("responses") or {}).get(FAQ_PREFIX + topic) or [{}]
    return (variations[0].get("metadata") or {}).get("question")


def faq_button(domain: Dict[Text, Any], topic: Text) -> Dict[Text, Text]:
    """A quick-reply button that asks for the answer of `topic` exactly (see addons/faq_gate.py)."""
    return {"title": topic_question(domain, topic) or topic.replace("_", " "), "payload": f"/faq/{topic}"}
