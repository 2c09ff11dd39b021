"""The production recipe in deploy/: docker-compose.yml checked against the project, nginx.conf run for real.

Nothing here imports Rasa or needs a trained model. The nginx tests use Debian's `nginx` package: they skip
without it, except in CI (CI=true), where they fail: .ci/run installs it.
"""
import http.client
import json
import os
import re
import shutil
import socket
import subprocess
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any, Dict, Iterator, List, Optional, Tuple
from urllib.parse import urlsplit

import pytest
import yaml

from evaluation.stack import free_port

ROOT = Path(__file__).resolve().parents[2]
DEPLOY = ROOT / "deploy"
COMPOSE = DEPLOY / "docker-compose.yml"
NGINX_CONF = DEPLOY / "nginx.conf"
WEB_PUBLIC = ROOT / "web" / "public"
# made on the host by `make train` / `make web`, not committed: may be missing where the tests run
BUILD_OUTPUTS = [ROOT / "models", ROOT / ".cache", WEB_PUBLIC / "vendor"]
SECRET_KEYS = ("POSTGRES_PASSWORD", "RASA_AUTH_TOKEN", "SESSION_SECRET")
REFERENCE = re.compile(r"^\$\{(?P<name>[A-Za-z_][A-Za-z0-9_]*)(?:(?P<op>:?[-?])(?P<rest>[^}]*))?\}$")


# --- docker-compose.yml ------------------------------------------------------------------------------


def pin(package: str) -> str:
    text = (ROOT / "requirements.txt").read_text(encoding="utf-8")
    match = re.search(rf"^{re.escape(package)}==(\S+)\s*$", text, re.MULTILINE)
    assert match, f"requirements.txt pins no {package}=="
    return match.group(1)


@pytest.fixture(scope="module")
def compose() -> Dict[str, Any]:
    return yaml.safe_load(COMPOSE.read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def services(compose: Dict[str, Any]) -> Dict[str, Dict[str, Any]]:
    return compose["services"]


def image(service: Dict[str, Any]) -> Tuple[str, str]:
    name, _, tag = service.get("image", "").partition(":")
    return name, tag


def environment(service: Dict[str, Any]) -> Dict[str, str]:
    env = service.get("environment") or {}
    if isinstance(env, list):
        env = dict(item.split("=", 1) if "=" in item else (item, "") for item in env)
    return {key: str(value) for key, value in env.items()}


def url(value: str):
    """urlsplit, with each ${...} reference replaced by `REF<n>` (its message may contain / or @)."""
    references = iter(range(1000))
    return urlsplit(re.sub(r"\$\{[^}]*\}", lambda _: f"REF{next(references)}", value))


def command_text(service: Dict[str, Any]) -> str:
    parts = []
    for key in ("entrypoint", "command"):
        value = service.get(key) or []
        parts.extend(value if isinstance(value, list) else [value])
    return " ".join(str(part) for part in parts)


def replicas(services: Dict[str, Dict[str, Any]]) -> Dict[str, Dict[str, Any]]:
    """The services running the Rasa server (scripts/rasa_run.sh)."""
    return {name: s for name, s in services.items() if "scripts/rasa_run.sh" in command_text(s)}


def bind_mounts(service: Dict[str, Any]) -> List[Tuple[str, str, bool]]:
    """(host path, container path, read-only) of the service's bind mounts."""
    mounts = []
    for volume in service.get("volumes") or []:
        if isinstance(volume, dict):
            if volume.get("type") == "bind":
                mounts.append((volume["source"], volume["target"], bool(volume.get("read_only"))))
            continue
        source, target, *options = volume.split(":")
        if source.startswith((".", "/", "~")):
            mounts.append((source, target, "ro" in ",".join(options).split(",")))
    return mounts


def host_path(source: str) -> Path:
    return (DEPLOY / source).resolve()


def test_rasa_images_match_requirements(services):
    rasa, sdk = pin("rasa"), pin("rasa-sdk")
    rasa_services = [name for name, s in services.items() if image(s)[0] == "rasa/rasa"]
    sdk_services = [name for name, s in services.items() if image(s)[0] == "rasa/rasa-sdk"]
    assert len(rasa_services) >= 3, rasa_services  # two replicas and the retention job
    assert sdk_services == ["actions"]
    for name in rasa_services:
        # -full: the NLU pipeline needs spaCy
        assert image(services[name])[1] == f"{rasa}-full", name
    assert image(services["actions"])[1] == sdk


def test_replicas_share_stores_and_action_server(compose, services):
    found = replicas(services)
    assert set(found) >= {"rasa-1", "rasa-2"}, sorted(found)
    assert "x-rasa" in compose
    first, *others = found.values()
    assert all(other == first for other in others), "the replicas should share one definition (x-rasa)"

    action_urls = set()
    for name, service in found.items():
        env = environment(service)
        assert env["RASA"] == "python scripts/rasa_server.py" and env["RASA_PORT"] == "5005", name
        assert int(env["SANIC_WORKERS"]) > 1, name
        database = url(env["DATABASE_URL"])
        assert database.scheme == "postgresql" and database.hostname == "postgres", name
        redis = url(env["REDIS_URL"])
        assert redis.scheme == "redis" and redis.hostname == "redis", name
        action_urls.add(env["ACTION_SERVER_URL"])
        assert service.get("working_dir") == "/app"
        assert any(host_path(src) == ROOT and dst == "/app" and ro for src, dst, ro in bind_mounts(service)), (
            f"{name} should mount the repository at /app read-only"
        )
    assert len(action_urls) == 1, action_urls
    action_url = urlsplit(action_urls.pop())
    assert action_url.path == "/webhook" and action_url.port == 5055
    assert image(services[action_url.hostname])[0] == "rasa/rasa-sdk"
    assert any(
        host_path(src) == ROOT / "actions" and dst == "/app/actions" for src, dst, _ in bind_mounts(services["actions"])
    )


def test_postgres_redis_proxy_and_retention(services):
    assert image(services["postgres"]) == ("postgres", "15")
    assert services["postgres"].get("healthcheck") and services["postgres"].get("volumes")
    assert image(services["redis"]) == ("redis", "7")

    proxy = services["proxy"]
    assert image(proxy)[0] == "nginx"
    sources = {host_path(src) for src, _, _ in bind_mounts(proxy)}
    assert {NGINX_CONF, WEB_PUBLIC} <= sources

    retention = services["retention"]
    assert image(retention)[0] == "rasa/rasa"
    assert "python scripts/forget_conversations.py" in command_text(retention)
    assert "sleep 86400" in command_text(retention)
    assert url(environment(retention)["DATABASE_URL"]).hostname == "postgres"


def test_no_secret_values(services):
    for name, service in services.items():
        for key, value in environment(service).items():
            if key in SECRET_KEYS or any(word in key for word in ("PASSWORD", "TOKEN", "SECRET")):
                reference = REFERENCE.match(value)
                assert reference and reference.group("name") == key, f"{name}: {key} should be ${{{key}...}}"
                # a default would be a secret in the file (the empty default of the optional token is fine)
                assert not (reference.group("op") or "").endswith("-") or not reference.group("rest"), (
                    f"{name}: {key} has a default value"
                )
            password = url(value).password if "://" in value else None
            if password:
                assert re.fullmatch(r"REF\d+", password), f"{name}: {key} contains a literal password"
    for key in SECRET_KEYS:
        assert any(key in environment(s) for s in services.values()), f"{key} is passed to no service"


def test_bind_mounted_paths_exist(services):
    for name, service in services.items():
        for source, _, _ in bind_mounts(service):
            path = host_path(source)
            assert path == ROOT or ROOT in path.parents, f"{name}: {source} is outside the repository"
            build_output = any(path == out or out in path.parents for out in BUILD_OUTPUTS)
            assert path.exists() or build_output, f"{name}: {source} ({path}) does not exist"


# --- nginx.conf: text --------------------------------------------------------------------------------


def body(text: str, start: int) -> str:
    """The text from `start` (just after an opening brace) to its closing brace."""
    depth = 1
    for index in range(start, len(text)):
        depth += {"{": 1, "}": -1}.get(text[index], 0)
        if depth == 0:
            return text[start:index]
    raise AssertionError("unbalanced braces in nginx.conf")


def block(text: str, header: str) -> str:
    """The body of the first `<header> { ... }` block (header is a regex)."""
    match = re.search(header + r"\s*\{", text)
    assert match, f"no block {header!r}"
    return body(text, match.end())


@pytest.fixture(scope="module")
def nginx_text() -> str:
    # comments dropped (none of the checked strings appear inside quotes)
    return re.sub(r"#[^\n]*", "", NGINX_CONF.read_text(encoding="utf-8"))


def test_socketio_is_sticky_and_upgrades(nginx_text):
    socketio = block(nginx_text, r"location\s+(=\s*)?/socket\.io/")
    upstream = re.search(r"proxy_pass\s+http://([\w-]+)\s*;", socketio).group(1)
    assert re.search(r"^\s*(ip_hash|hash\s+\S+)", block(nginx_text, rf"upstream\s+{upstream}"), re.MULTILINE), (
        f"upstream {upstream} is not sticky"
    )
    assert re.search(r"proxy_http_version\s+1\.1\s*;", socketio)
    assert re.search(r"proxy_set_header\s+Upgrade\s+\$http_upgrade\s*;", socketio)
    assert re.search(r"proxy_set_header\s+Connection\s+\S+\s*;", socketio)
    assert re.search(r"proxy_set_header\s+Host\s+\$(http_)?host\s*;", socketio)
    assert re.search(r"proxy_set_header\s+X-Forwarded-For\s", socketio)


def test_only_the_channels_are_proxied(nginx_text):
    assert re.search(r"client_max_body_size\s+64k\s*;", nginx_text)
    proxied = []
    for match in re.finditer(r"location\s+(?:[=~^*]+\s*)?(\S+)\s*\{", nginx_text):
        if "proxy_pass" in body(nginx_text, match.end()):
            proxied.append(match.group(1))
    assert proxied and set(proxied) <= {"/socket.io/", "/webhooks/"}, proxied
    assert not re.search(r"location[^{]*/(conversations|model|status)", nginx_text)


# --- nginx.conf: run by Debian's nginx in front of two stand-in replicas ---------------------------------


def require_nginx() -> str:
    nginx = shutil.which("nginx", path=os.pathsep.join([os.environ.get("PATH", ""), "/usr/sbin"]))
    if not nginx:
        message = "Debian package missing: nginx (apt-get install nginx; .ci/run does)"
        if os.environ.get("CI") == "true":
            pytest.fail(message)
        pytest.skip(message)
    return nginx


class Replica(ThreadingHTTPServer):
    """Stands in for a Rasa replica: answers every request with its name and what it received."""

    daemon_threads = True

    def __init__(self, name: str) -> None:
        super().__init__(("127.0.0.1", 0), ReplicaHandler)
        self.name = name
        self.paths: List[str] = []


class ReplicaHandler(BaseHTTPRequestHandler):
    server: Replica
    protocol_version = "HTTP/1.1"

    def log_message(self, *args: Any) -> None:
        pass

    def answer(self) -> None:
        self.server.paths.append(self.path)
        length = int(self.headers.get("Content-Length") or 0)
        received = self.rfile.read(length) if length else b""
        if self.headers.get("Upgrade", "").lower() == "websocket":
            return self.tunnel()
        body = json.dumps({
            "replica": self.server.name, "path": self.path, "body": received.decode(),
            "headers": {key.lower(): value for key, value in self.headers.items()},
        }).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def tunnel(self) -> None:
        """Accept the WebSocket upgrade, then echo raw bytes prefixed with the replica's name."""
        self.send_response(101, "Switching Protocols")
        self.send_header("Upgrade", "websocket")
        self.send_header("Connection", "Upgrade")
        self.end_headers()
        self.wfile.flush()
        data = self.rfile.read1(1024)
        self.wfile.write(self.server.name.encode() + b":" + data)
        self.wfile.flush()
        self.close_connection = True

    do_GET = do_POST = answer


class Proxy:
    """nginx with deploy/nginx.conf, upstreams and web root pointed at this machine."""

    def __init__(self, nginx: str, workdir: Path, replicas: Dict[str, Replica]) -> None:
        self.nginx, self.workdir, self.port = nginx, workdir, free_port()
        self.process: Optional[subprocess.Popen] = None
        conf = NGINX_CONF.read_text(encoding="utf-8")
        for name, replica in replicas.items():
            conf, count = re.subn(rf"\b{re.escape(name)}:5005\b", f"127.0.0.1:{replica.server_address[1]}", conf)
            assert count >= 2, f"{name}:5005 should be in both upstreams"
        assert not re.search(r"\bserver\s+rasa-\d+:", conf), "a replica of nginx.conf has no stand-in (REPLICA_NAMES)"
        conf, count = re.subn(r"listen\s+80\b", f"listen 127.0.0.1:{self.port}", conf)
        assert count == 1
        conf, count = re.subn(r"alias\s+/srv/clinic-chat/", f"alias {WEB_PUBLIC}/", conf)
        assert count == 1
        (workdir / "clinic.conf").write_text(conf, encoding="utf-8")
        # what the nginx image's own nginx.conf provides around conf.d/*.conf
        user = "user root root;\n" if os.geteuid() == 0 else ""
        self.main = workdir / "nginx.conf"
        self.main.write_text(
            f"{user}worker_processes 1;\npid {workdir}/nginx.pid;\nerror_log {workdir}/error.log info;\n"
            "events { worker_connections 256; }\n"
            "http {\n"
            "    include /etc/nginx/mime.types;\n    default_type application/octet-stream;\n"
            f"    access_log {workdir}/access.log;\n"
            + "".join(f"    {kind}_temp_path {workdir}/{kind}_temp;\n"
                      for kind in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi"))
            + f"    include {workdir}/clinic.conf;\n}}\n",
            encoding="utf-8",
        )

    def command(self, *extra: str) -> List[str]:
        return [self.nginx, "-c", str(self.main), "-p", str(self.workdir), "-e", "stderr", *extra]

    def check(self) -> subprocess.CompletedProcess:
        return subprocess.run(self.command("-t"), capture_output=True, text=True, timeout=30)

    def start(self) -> None:
        self.process = subprocess.Popen(self.command("-g", "daemon off;"), stderr=subprocess.PIPE, text=True)
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise AssertionError(f"nginx exited: {self.process.stderr.read()}")
            try:
                socket.create_connection(("127.0.0.1", self.port), timeout=1).close()
                return
            except OSError:
                time.sleep(0.05)
        raise AssertionError("nginx did not start listening")

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.terminate()  # fast shutdown of master and worker
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()

    def request(
        self, method: str, path: str, body: Optional[bytes] = None, client_ip: str = "127.0.0.1",
        headers: Optional[Dict[str, str]] = None,
    ) -> Tuple[int, Dict[str, str], bytes]:
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=10, source_address=(client_ip, 0))
        try:
            connection.request(method, path, body=body, headers=headers or {})
            response = connection.getresponse()
            return response.status, {k.lower(): v for k, v in response.getheaders()}, response.read()
        finally:
            connection.close()

    def replica_of(
        self, path: str, client_ip: str = "127.0.0.1", method: str = "GET", body: Optional[bytes] = None
    ) -> str:
        status, _, data = self.request(method, path, body=body, client_ip=client_ip)
        assert status == 200, (status, data)
        return json.loads(data)["replica"]


REPLICA_NAMES = ("rasa-1", "rasa-2")
CLIENT_IPS = [f"127.0.0.{n}" for n in range(1, 21)]
POLLING = "/socket.io/?EIO=4&transport=polling&t=abc"


@pytest.fixture(scope="module")
def replica_servers() -> Iterator[Dict[str, Replica]]:
    servers = {name: Replica(name) for name in REPLICA_NAMES}
    threads = [threading.Thread(target=s.serve_forever, daemon=True) for s in servers.values()]
    for thread in threads:
        thread.start()
    yield servers
    for server in servers.values():
        server.shutdown()
        server.server_close()


@pytest.fixture(scope="module")
def proxy(replica_servers, tmp_path_factory) -> Iterator[Proxy]:
    nginx = require_nginx()
    server = Proxy(nginx, tmp_path_factory.mktemp("nginx"), replica_servers)
    checked = server.check()
    assert checked.returncode == 0, checked.stderr
    server.start()
    try:
        yield server
    finally:
        server.stop()


def test_nginx_accepts_the_config(proxy):
    checked = proxy.check()
    assert checked.returncode == 0 and "test is successful" in checked.stderr, checked.stderr


def test_chat_is_served_from_web_public(proxy, replica_servers):
    before = sum(len(s.paths) for s in replica_servers.values())
    status, headers, body = proxy.request("GET", "/chat/")
    assert status == 200 and body == (WEB_PUBLIC / "index.html").read_bytes()
    assert headers["content-type"].startswith("text/html")
    assert "default-src 'self'" in headers["content-security-policy"]
    assert "frame-ancestors 'self'" in headers["content-security-policy"] and headers["x-frame-options"] == "SAMEORIGIN"
    assert headers["strict-transport-security"].startswith("max-age=")
    for name, content_type in (("clinic-chat.js", "application/javascript"), ("clinic-chat.css", "text/css")):
        status, headers, body = proxy.request("GET", f"/chat/{name}")
        assert status == 200 and body == (WEB_PUBLIC / name).read_bytes(), name
        assert headers["content-type"].startswith(content_type)
    status, headers, _ = proxy.request("GET", "/chat")
    assert status == 301 and headers["location"].endswith("/chat/")
    assert proxy.request("GET", "/chat/missing.js")[0] == 404
    assert proxy.request("POST", "/chat/", body=b"x")[0] == 403
    assert sum(len(s.paths) for s in replica_servers.values()) == before, "/chat/ should not reach Rasa"


def test_webhooks_reach_the_replicas_round_robin(proxy):
    message = json.dumps({"sender": "visitor", "message": "Can massage help with sleep?"}).encode()
    status, _, data = proxy.request(
        "POST", "/webhooks/rest/webhook", body=message, headers={"Content-Type": "application/json"}
    )
    assert status == 200
    received = json.loads(data)
    assert received["path"] == "/webhooks/rest/webhook" and received["body"] == message.decode()
    assert received["headers"]["host"] == f"127.0.0.1:{proxy.port}"
    assert received["headers"]["x-forwarded-for"] == "127.0.0.1"
    assert received["headers"]["x-forwarded-proto"] == "http"
    seen = {proxy.replica_of("/webhooks/rest/webhook", method="POST", body=message) for _ in range(4)}
    assert seen == set(REPLICA_NAMES)


def test_request_body_limit(proxy):
    assert proxy.request("POST", "/webhooks/rest/webhook", body=b"x" * (64 * 1024 - 1))[0] == 200
    assert proxy.request("POST", "/webhooks/rest/webhook", body=b"x" * (64 * 1024 + 1))[0] == 413


def test_socketio_is_sticky_per_client(proxy):
    chosen = {}
    for ip in CLIENT_IPS:
        answers = {proxy.replica_of(POLLING, client_ip=ip) for _ in range(5)}
        assert len(answers) == 1, f"{ip} reached {answers}"
        chosen[ip] = answers.pop()
    assert set(chosen.values()) == set(REPLICA_NAMES), "the clients should be spread over both replicas"
    # the WebSocket upgrade of a client reaches the replica its polling requests reached
    for ip in CLIENT_IPS[:4]:
        with socket.create_connection(("127.0.0.1", proxy.port), timeout=10, source_address=(ip, 0)) as client:
            client.sendall(
                f"GET /socket.io/?EIO=4&transport=websocket HTTP/1.1\r\nHost: 127.0.0.1:{proxy.port}\r\n"
                "Upgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Version: 13\r\n"
                "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n\r\n".encode()
            )
            head = b""
            while b"\r\n\r\n" not in head:
                chunk = client.recv(1024)
                assert chunk, head
                head += chunk
            assert head.startswith(b"HTTP/1.1 101"), head
            client.sendall(b"ping")
            echoed = head.split(b"\r\n\r\n", 1)[1]
            while not echoed.endswith(b"ping"):
                chunk = client.recv(1024)
                assert chunk, echoed
                echoed += chunk
            assert echoed == f"{chosen[ip]}:ping".encode()


@pytest.mark.parametrize("method, path", [
    ("GET", "/conversations/x/tracker"),
    ("POST", "/conversations/x/messages"),
    ("POST", "/model/parse"),
    ("PUT", "/model"),
    ("GET", "/status"),
    ("GET", "/version"),
    ("GET", "/"),
    # the raw URI goes to Rasa as sent: these normalise to /webhooks/ or /socket.io/ in nginx
    ("GET", "/conversations/x/tracker/../../../webhooks/rest/webhook"),
    ("GET", "/conversations/x/../../socket.io/"),
    ("GET", "/webhooks/rest/%2e%2e/webhook"),
])
def test_http_api_is_not_exposed(proxy, replica_servers, method, path):
    before = {name: list(s.paths) for name, s in replica_servers.items()}
    status, _, _ = proxy.request(method, path, body=b"{}" if method != "GET" else None)
    assert status == 404
    assert {name: list(s.paths) for name, s in replica_servers.items()} == before
