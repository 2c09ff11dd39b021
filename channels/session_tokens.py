"""Signed session ids for the website chat: a conversation is resumed only by the browser the server gave
its token to (channels/socketio.py).

The token is an HMAC-SHA256 of the session id with SESSION_SECRET. Without that variable, a secret is made
once and kept in var/session_secret (readable by its owner only), so sessions survive restarts; replicas
behind one address need the same SESSION_SECRET (deploy/docker-compose.yml sets it).
"""
import hashlib
import hmac
import os
import re
import secrets
import time
from functools import lru_cache
from pathlib import Path
from typing import Any, Text

SECRET_FILE = Path("var/session_secret")
# what the server issues (uuid4().hex); anything else is never resumed
SESSION_ID = re.compile(r"^[0-9a-f]{32}$")


@lru_cache(maxsize=1)
def _secret() -> bytes:
    configured = os.environ.get("SESSION_SECRET", "").strip()
    if configured:
        return configured.encode()
    SECRET_FILE.parent.mkdir(parents=True, exist_ok=True)
    try:
        with os.fdopen(os.open(SECRET_FILE, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600), "w") as new:
            new.write(secrets.token_hex(32))
    except FileExistsError:
        pass  # made by an earlier start, or by another worker starting at the same time
    for _ in range(50):  # that worker may still be writing it
        secret = SECRET_FILE.read_text().strip()
        if secret:
            return secret.encode()
        time.sleep(0.1)
    raise RuntimeError(f"{SECRET_FILE} is empty: delete it, or set SESSION_SECRET")


def session_token(session_id: Text) -> Text:
    return hmac.new(_secret(), session_id.encode(), hashlib.sha256).hexdigest()


def valid_session(session_id: Any, token: Any) -> bool:
    return (isinstance(session_id, str) and isinstance(token, str) and bool(SESSION_ID.match(session_id))
            and hmac.compare_digest(session_token(session_id), token))
