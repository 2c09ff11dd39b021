"""What makes a message a follow-up on the last answer, read from its words alone: "what does it do for the
pain?" (about "it"), "and how can massage help manage it?" (after what chronic pain is: the help topic).
Read by the Rasa server's components (addons/follow_up.py, addons/faq_gate.py) and by the action server
(actions/context.py, actions/fallback.py).
"""
import re
from typing import List, Text

# a message about the visitor ("how do i make a will") or who someone is ("who made you") is a request of its own
NOT_FOLLOW_UP = {"i", "i'm", "im", "my", "we", "our", "who"}
MAX_WORDS = 8
ANAPHORA = {"it", "that", "this", "they", "them", "those", "these", "both"}
WORD = re.compile(r"[a-z]+(?:'[a-z]+)?")


def words_of(text: Text) -> List[Text]:
    return WORD.findall(text.lower().replace("’", "'"))


# a topic that says what something is -> the topic that says whether massage helps with it
HELP_TOPIC_OF_DEFINITION = {"faq_chronic_pain": "faq_pain_management"}
MANAGES = {"manage", "managing", "control", "controlling", "treat", "treating", "treatment", "cope", "coping"}
# words asking whether massage helps
HELPS = {"help", "helps", "helping", "helpful", "good", "worth", "benefit", "benefits", "beneficial", "ease",
         "relieve", "improve", "useful", "effective", "difference"}
# "and for chronic pain?", "what about for long-term pain": after an answer, whether massage helps with it too
ASKS_FOR_ANOTHER_CONDITION = re.compile(r"(and |so |ok |okay )?((what|how) about |and )?(for|with) ")


def asked_topic(topic: Text, text: Text) -> Text:
    """"Can massage help control pain that has lasted for years?" asks what the pain management answer says,
    not what chronic pain is: a question whether massage helps gets the help topic of a definition topic."""
    helped = HELP_TOPIC_OF_DEFINITION.get(topic)
    words = words_of(text)
    # "good" only as "good for": "I not understand this word good" asks what chronic pain is; "the difference
    # between chronic pain and ..." asks what it is too
    asks_help = (set(words) & (HELPS - {"good", "difference"} | MANAGES) or "good for" in " ".join(words)
                 or ASKS_FOR_ANOTHER_CONDITION.match(" ".join(words)))
    return helped if helped and asks_help else topic


def refers_back(text: Text) -> bool:
    """A short message about "it" or "that" ("what does it do for the pain?", "what's the difference between
    the two"): about the last answer, if nothing else in it says what it is about."""
    words = words_of(text)
    return (0 < len(words) <= MAX_WORDS and bool(ANAPHORA.intersection(words) or "the two" in " ".join(words))
            and not NOT_FOLLOW_UP.intersection(words))
