"""No visitor's words in the servers' logs: health questions are sensitive, and logs are kept, copied and
shipped in ways the conversation store is not. Installed by importing `channels` (every server with our
channels); `make ask` and `rasa shell --debug` are unaffected.

- Rasa's structured log events carry a message in keys such as `text`, `user_text` or `parse_data_text`;
  each such value is replaced by its size, e.g. "<41 characters>", whatever the log level. (Rasa's own
  hook for this, an anonymization pipeline, would also re-read the conversation from the store on every
  message.)
- Rasa warns with a visitor's own words when a message starts with "/" ("Parsed an intent '/<words>' which
  is not defined ..."): those warnings keep their wording without the words.
- Our own log lines name an error's type, never its message (channels/guard.py).
"""
import re
import warnings
from typing import Any, Dict, Text

import structlog

# Rasa's warnings that quote what a visitor typed, and the part of each that is theirs
QUOTING_WARNINGS = [
    re.compile(r"^(Parsed an (?:intent|entity) )'.*?'( which is not defined)", re.S),
    re.compile(r"^(Invalid entity specification: ).*?(\. Assuming no entities)", re.S),
]


# the keys of Rasa's structured log events that hold a visitor's words (rasa.utils.log_utils._anonymizer's)
VISITOR_KEYS = ("text", "response_text", "user_text", "slot_values", "parse_data_text", "parse_data_entities",
                "prediction_events", "tracker_latest_message", "prefilled_slots", "message", "response",
                "slot_candidates", "rasa_event", "rasa_events", "tracker_states", "current_states", "old_states",
                "successes", "current_entity", "next_entity", "states", "entity", "token_text", "user_message",
                "json_message", "metadata")


def redacted(value: Any) -> Text:
    return f"<{len(value)} characters>" if isinstance(value, str) else "<redacted>"


def redact_visitor_words(_logger: Any, _name: Text, event: Dict[Text, Any]) -> Dict[Text, Any]:
    """A structlog processor: the event without the values of VISITOR_KEYS."""
    for key in VISITOR_KEYS:
        if key in event:
            event[key] = redacted(event[key])
    return event


def without_visitor_words(message: Text) -> Text:
    for pattern in QUOTING_WARNINGS:
        message = pattern.sub(r"\1<redacted>\2", message)
    return message


def install() -> None:
    # in place: every logger already made, cached or not, runs the list it was given, which is this one
    processors = structlog.get_config()["processors"]
    if redact_visitor_words not in processors:
        processors.insert(0, redact_visitor_words)
    show = warnings.showwarning
    if getattr(show, "redacts", False):
        return

    def show_without_visitor_words(message: Any, *args: Any, **kwargs: Any) -> None:
        if isinstance(message, Warning) and without_visitor_words(str(message)) != str(message):
            message = UserWarning(without_visitor_words(str(message)))
        show(message, *args, **kwargs)

    show_without_visitor_words.redacts = True  # type: ignore[attr-defined]
    warnings.showwarning = show_without_visitor_words
