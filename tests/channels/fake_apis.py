"""A local fake of the messaging services' APIs: records every call and answers like the service."""
import json
import re
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, Dict, List
from urllib.parse import parse_qs


def _reply_for(path: str, body: Dict[str, Any]) -> Any:
    if path.startswith("/slack/"):
        return {"ok": True, "channel": body.get("channel", "C1"), "ts": "1.0"}
    if path.startswith("/facebook/"):
        return {"recipient_id": "1", "message_id": "m1"}
    if path.startswith("/twilio/"):
        return {"sid": "SM" + "0" * 32, "status": "queued", "body": body.get("Body", ""), "to": body.get("To")}
    if path.startswith("/telegram/"):
        if path.endswith("/setWebhook"):
            return {"ok": True, "result": True}
        if path.endswith("/getMe"):
            return {"ok": True, "result": {"id": 1, "is_bot": True, "first_name": "Clinic", "username": "clinic_bot"}}
        return {"ok": True, "result": {"message_id": 1, "date": 0, "chat": {"id": 1, "type": "private"},
                                       "text": body.get("text", "")}}
    return {"ok": True}


class FakeApis:
    def __init__(self) -> None:
        self.calls: List[Dict[str, Any]] = []
        calls = self.calls

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:  # http.server's naming
                raw = self.rfile.read(int(self.headers.get("Content-Length") or 0)).decode("utf-8", "replace")
                kind = self.headers.get("Content-Type", "")
                if "json" in kind:
                    body = json.loads(raw or "{}")
                else:
                    body = {k: v[0] for k, v in parse_qs(raw).items()}
                calls.append({"path": self.path, "body": body})
                payload = json.dumps(_reply_for(self.path, body)).encode()
                self.send_response(201 if self.path.startswith("/twilio/") else 200)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(payload)))
                self.end_headers()
                self.wfile.write(payload)

            do_GET = do_POST

            def log_message(self, *args: Any) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def texts(self, path_pattern: str) -> List[str]:
        keys = ("text", "Body", "message")
        found = []
        for call in self.calls:
            if re.search(path_pattern, call["path"]):
                body = call["body"]
                value = next((body[k] for k in keys if k in body), "")
                found.append(value if isinstance(value, str) else json.dumps(value))
        return found

    def close(self) -> None:
        self.server.shutdown()
