"""What a message must be to be handled, the same for every channel that takes JSON (REST, callback,
Socket.IO): a reason a person can act on, or None. REST answers the reason with 400/413, Socket.IO with an
`invalid_message` event; neither handles the message.
"""
from typing import Any, Optional, Text, Tuple

from addons.message_limit import MAX_ACCEPTED_CHARS

# Whole request bodies and Socket.IO packets, for every endpoint of the server (Sanic's own default is 100 MB,
# python-engineio's 1 MB): larger ones are refused before they are read.
MAX_REQUEST_BYTES = 64 * 1024
MAX_SENDER_CHARS = 128
# Metadata is stored with the message: nested deeper than this it broke storing (a RecursionError at about
# 990 levels, and the message was then kept in memory only). The widget and Rasa's channels send 1 or 2.
MAX_METADATA_DEPTH = 10
TOO_LARGE, INVALID = 413, 400


def depth(value: Any) -> int:
    """How deeply lists and objects nest in a JSON value (iteratively: no recursion to exhaust)."""
    deepest, pending = 0, [(value, 1)]
    while pending:
        item, level = pending.pop()
        if isinstance(item, (dict, list)):
            deepest = max(deepest, level)
            pending.extend((child, level + 1) for child in (item.values() if isinstance(item, dict) else item))
    return deepest


def message_problem(message: Any, metadata: Any = None) -> Optional[Tuple[int, Text]]:
    """(status, reason) if the message or its metadata cannot be handled, else None."""
    if not isinstance(message, str) or not message.strip():
        return INVALID, '"message" must be a non-empty string'
    if len(message) > MAX_ACCEPTED_CHARS:
        return TOO_LARGE, f"Messages are limited to {MAX_ACCEPTED_CHARS} characters; this one has {len(message)}"
    if metadata is not None and not isinstance(metadata, dict):
        return INVALID, '"metadata" must be a JSON object'
    if metadata and depth(metadata) > MAX_METADATA_DEPTH:
        return INVALID, f'"metadata" may nest at most {MAX_METADATA_DEPTH} levels deep'
    return None


def sender_problem(sender: Any) -> Optional[Text]:
    if not isinstance(sender, str) or not sender.strip():
        return "must be a non-empty string"
    if len(sender) > MAX_SENDER_CHARS:
        return f"must be at most {MAX_SENDER_CHARS} characters"
    return None
