"""The production recipe in deploy/: docker-compose.yml checked against the project (the Dockerfile's stages and
base images: tests/deploy/test_image.py), nginx.conf run for real.

Nothing here imports Rasa or needs a trained model or Docker. The nginx tests use Debian's `nginx` package:
they skip without it, except in CI (CI=true), where they fail: .ci/run installs it.
"""
import ast
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
from urllib.parse import SplitResult, urlsplit

import pytest
import yaml

from evaluation.stack import free_port
from tests.deploy.test_image import ROOT, image_env, make_command
from tests.needs import unavailable

DEPLOY = ROOT / "deploy"
COMPOSE = DEPLOY / "docker-compose.yml"
NGINX_CONF = DEPLOY / "nginx.conf"
WEB_PUBLIC = ROOT / "web" / "public"
WEB_WIDGET = ROOT / "channels" / "web_widget.py"
SECRET_KEYS = ("POSTGRES_PASSWORD", "RASA_AUTH_TOKEN", "SESSION_SECRET")
REFERENCE = re.compile(r"^\$\{(?P<name>[A-Za-z_][A-Za-z0-9_]*)(?:(?P<op>:?[-?])(?P<rest>[^}]*))?\}$")
# the images that are not built here: their tags are fixed
REGISTRY_IMAGES = {"postgres": ("postgres", "15"), "redis": ("redis", "7"), "proxy": ("nginx", "1.27")}


# --- docker-compose.yml ------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def compose() -> Dict[str, Any]:
    return yaml.safe_load(COMPOSE.read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def services(compose: Dict[str, Any]) -> Dict[str, Dict[str, Any]]:
    return compose["services"]


def image(service: Dict[str, Any]) -> Tuple[str, str]:
    name, _, tag = service.get("image", "").partition(":")
    return name, tag


def build(service: Dict[str, Any]) -> Dict[str, Any]:
    value = service.get("build") or {}
    return {"context": value} if isinstance(value, str) else value


def target(service: Dict[str, Any]) -> Optional[str]:
    return build(service).get("target")


def environment(service: Dict[str, Any]) -> Dict[str, str]:
    env = service.get("environment") or {}
    if isinstance(env, list):
        env = dict(item.split("=", 1) if "=" in item else (item, "") for item in env)
    return {key: str(value) for key, value in env.items()}


def url(value: str) -> SplitResult:
    """urlsplit, with each ${...} reference replaced by `REF<n>` (its message may contain / or @)."""
    references = iter(range(1000))
    return urlsplit(re.sub(r"\$\{[^}]*\}", lambda _: f"REF{next(references)}", value))


def replicas(services: Dict[str, Dict[str, Any]]) -> Dict[str, Dict[str, Any]]:
    """The services running the Rasa server: the rasa image started by its entrypoint (scripts/rasa_run.sh)."""
    return {name: s for name, s in services.items() if target(s) == "rasa" and not {"entrypoint", "command"} & set(s)}


def replica_env(service: Dict[str, Any]) -> Dict[str, str]:
    """The image's ENV, overridden by the service's environment."""
    return {**image_env("rasa"), **environment(service)}


def bind_mounts(service: Dict[str, Any]) -> List[Tuple[str, str, bool]]:
    """(host path, container path, read-only) of the service's bind mounts."""
    mounts = []
    for volume in service.get("volumes") or []:
        if isinstance(volume, dict):
            if volume.get("type") == "bind":
                mounts.append((volume["source"], volume["target"], bool(volume.get("read_only"))))
            continue
        source, target_path, *options = volume.split(":")
        if source.startswith((".", "/", "~")):
            mounts.append((source, target_path, "ro" in ",".join(options).split(",")))
    return mounts


def host_path(source: str) -> Path:
    return (DEPLOY / source).resolve()


def test_images_are_built_from_the_dockerfile_or_pinned(services):
    built = {name: s for name, s in services.items() if "build" in s}
    for name, service in built.items():
        context = host_path(build(service)["context"])
        assert context == ROOT, f"{name}: build context {context}"
        assert (context / build(service).get("dockerfile", "Dockerfile")).resolve() == ROOT / "Dockerfile", name
        # a locally built image is never looked for in a registry (someone else's image of that name)
        assert service.get("pull_policy") == "build" and service.get("image"), name
    for name, service in services.items():
        if name not in built:
            assert image(service) == REGISTRY_IMAGES[name], f"{name}: {service.get('image')}"
    rasa_services = sorted(name for name, s in built.items() if target(s) == "rasa")
    assert {"rasa-1", "rasa-2", "retention"} <= set(rasa_services), rasa_services
    assert len({built[name]["image"] for name in rasa_services}) == 1, "one Rasa image for replicas and retention"
    assert [name for name, s in built.items() if target(s) == "actions"] == ["actions"]


def test_replicas_share_stores_and_action_server(compose, services):
    found = replicas(services)
    assert set(found) >= {"rasa-1", "rasa-2"}, sorted(found)
    assert "x-rasa" in compose
    first, *others = found.values()
    assert all(other == first for other in others), "the replicas should share one definition (x-rasa)"
    required = re.findall(r"\$\{(\w+):\?\}", (ROOT / "scripts" / "rasa_run.sh").read_text(encoding="utf-8"))
    assert {"RASA_PORT", "ACTION_SERVER_URL", "CORS_ORIGINS"} <= set(required), required

    action_urls = set()
    for name, service in found.items():
        env = replica_env(service)
        missing = [key for key in required if not env.get(key)]
        assert not missing, f"{name}: scripts/rasa_run.sh needs {missing}"
        # the launcher's default, python -m scripts.rasa_server, reads the API token inside the process
        assert "RASA" not in env, env["RASA"]
        assert env["RASA_PORT"] == "5005", name
        # one worker per replica: Socket.IO's long-polling needs one process per sticky replica
        assert env["SANIC_WORKERS"] == "1", name
        database = url(env["DATABASE_URL"])
        assert database.scheme == "postgresql" and database.hostname == "postgres", name
        redis = url(env["REDIS_URL"])
        assert redis.scheme == "redis" and redis.hostname == "redis", name
        action_urls.add(env["ACTION_SERVER_URL"])
    assert len(action_urls) == 1, action_urls
    action_url = urlsplit(action_urls.pop())
    assert action_url.path == "/webhook" and action_url.port == 5055
    assert action_url.hostname and target(services[action_url.hostname]) == "actions"


def test_postgres_and_retention(services):
    assert services["postgres"].get("healthcheck") and services["postgres"].get("volumes")
    retention = services["retention"]
    assert target(retention) == "rasa"
    # what `make forget` runs (python -m scripts.forget_conversations), daily
    forget = " ".join(make_command("scripts.forget_conversations").split()[:3])
    assert forget in str(retention.get("entrypoint")) and "sleep 86400" in str(retention.get("entrypoint"))
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


def test_nothing_of_the_host_is_mounted_but_nginx_conf(services):
    # the images have all they need; the widget (/chat/) comes from the replicas, with their security headers
    mounts = {name: bind_mounts(s) for name, s in services.items() if bind_mounts(s)}
    assert list(mounts) == ["proxy"], mounts
    (source, target_path, read_only), = mounts["proxy"]
    assert host_path(source) == NGINX_CONF and target_path == "/etc/nginx/conf.d/default.conf" and read_only


# --- memory: the settings against the measurement ----------------------------------------------------------


def measured_worker_mib() -> float:
    """Peak resident memory of one Rasa worker, from the load benchmark's table in README.md."""
    lines = (ROOT / "README.md").read_text(encoding="utf-8").splitlines()
    for index, line in enumerate(lines):
        if line.startswith("|") and "peak memory MiB" in line:
            header = [cell.strip() for cell in line.strip("|").split("|")]
            column = header.index("peak memory MiB")
            for row in lines[index + 2:]:
                if not row.startswith("|"):
                    break
                cells = [cell.strip() for cell in row.strip("|").split("|")]
                if cells[0].startswith("1 worker"):
                    return float(cells[column])
    raise AssertionError("README.md has no load table with a `1 worker` row and a `peak memory MiB` column")


def size_in_gib(value: str) -> float:
    match = re.fullmatch(r"(\d+(?:\.\d+)?)\s*([kmgKMG])i?[bB]?", str(value))
    assert match, f"not a memory size: {value}"
    number, unit = match.groups()
    return float(number) * {"k": 1 / 1024 ** 2, "m": 1 / 1024, "g": 1.0}[unit.lower()]


def test_memory_settings_follow_the_measurement(services):
    per_worker = measured_worker_mib() / 1024
    for name, service in replicas(services).items():
        workers = int(replica_env(service)["SANIC_WORKERS"])
        resources = service["deploy"]["resources"]
        limit = size_in_gib(resources["limits"]["memory"])
        reserved = size_in_gib(resources["reservations"]["memory"])
        assert reserved >= workers * per_worker, f"{name}: reserves {reserved} GiB for {workers} x {per_worker:.2f}"
        assert limit >= 1.5 * workers * per_worker, f"{name}: limit {limit} GiB, {workers} x {per_worker:.2f} measured"
    # what the recipe says a worker needs is what was measured (within 15 %)
    for document in (COMPOSE, DEPLOY / "README.md"):
        stated = re.findall(r"about (\d+(?:\.\d+)?) GiB per (?:Sanic )?worker", document.read_text(encoding="utf-8"))
        assert stated, f"{document.name} does not say how much memory a worker needs"
        for value in stated:
            assert abs(float(value) - per_worker) <= 0.15 * per_worker, (
                f"{document.name}: about {value} GiB per worker, measured {per_worker:.2f} GiB (README.md)"
            )


# --- nginx.conf: run by Debian's nginx in front of two stand-in replicas ---------------------------------


def require_nginx() -> str:
    nginx = shutil.which("nginx", path=os.pathsep.join([os.environ.get("PATH", ""), "/usr/sbin"]))
    if not nginx:
        unavailable("Debian package missing: nginx (apt-get install nginx; .ci/run does)")
    return nginx


def widget_headers() -> Dict[str, str]:
    """channels/web_widget.py's SECURITY_HEADERS, read from its source (importing it would import Rasa)."""
    tree = ast.parse(WEB_WIDGET.read_text(encoding="utf-8"))
    for node in tree.body:
        if isinstance(node, ast.Assign) and any(getattr(t, "id", None) == "SECURITY_HEADERS" for t in node.targets):
            return ast.literal_eval(node.value)
    raise AssertionError("channels/web_widget.py defines no SECURITY_HEADERS")


# the stand-in serves this widget path without any security header: what nginx adds would show
BARE = "/chat/bare.js"


class Replica(ThreadingHTTPServer):
    """Stands in for a Rasa replica: serves /chat/ as channels/web_widget.py does (the files of web/public
    with its security headers), and answers every other request with its name and what it received."""

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
        if self.path.startswith("/chat/"):
            return self.widget()
        body = json.dumps({
            "replica": self.server.name, "path": self.path, "body": received.decode(),
            "headers": {key.lower(): value for key, value in self.headers.items()},
        }).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def widget(self) -> None:
        path = urlsplit(self.path).path
        file = WEB_PUBLIC / (path[len("/chat/"):] or "index.html")
        headers = {**widget_headers(), "Cache-Control": "no-cache"}
        if path == BARE:
            body, headers = b"// bare", {"Content-Type": "text/javascript; charset=utf-8"}
        elif file.is_file() and WEB_PUBLIC in file.resolve().parents:
            content_type = {".html": "text/html", ".js": "text/javascript", ".css": "text/css"}[file.suffix]
            body, headers = file.read_bytes(), {**headers, "Content-Type": f"{content_type}; charset=utf-8"}
        else:
            self.send_response(404)
            self.send_header("Content-Length", "0")
            self.end_headers()
            return
        self.send_response(200)
        for key, value in {**headers, "X-Replica": self.server.name}.items():
            self.send_header(key, value)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if self.command != "HEAD":
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

    do_GET = do_POST = do_HEAD = answer


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
                raise AssertionError(f"nginx exited: {self.process.stderr.read() if self.process.stderr else ''}")
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
    ) -> Tuple[int, http.client.HTTPMessage, bytes]:
        """Status, headers (by name, any case; get_all shows a repeated one) and body of the response."""
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=10, source_address=(client_ip, 0))
        try:
            connection.request(method, path, body=body, headers=headers or {})
            response = connection.getresponse()
            return response.status, response.headers, response.read()
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


def test_chat_comes_from_the_replicas_with_their_headers(proxy, replica_servers):
    security = {key.lower(): value for key, value in widget_headers().items()}
    assert "default-src 'self'" in security["content-security-policy"]
    assert "frame-ancestors 'self'" in security["content-security-policy"]
    seen = set()
    for _ in range(4):
        status, headers, body = proxy.request("GET", "/chat/")
        assert status == 200 and body == (WEB_PUBLIC / "index.html").read_bytes()
        assert headers["content-type"].startswith("text/html")
        # each security header once, as the replica sent it: nginx neither repeats nor changes it
        for key, value in security.items():
            assert headers.get_all(key) == [value], (key, headers.items())
        seen.add(headers["x-replica"])
    assert seen == set(REPLICA_NAMES), "the widget's files come from any replica (round robin)"
    for name, content_type in (("clinic-chat.js", "text/javascript"), ("clinic-chat.css", "text/css")):
        status, headers, body = proxy.request("GET", f"/chat/{name}?v=1")
        assert status == 200 and body == (WEB_PUBLIC / name).read_bytes(), name
        assert headers["content-type"].startswith(content_type)
        assert headers["content-security-policy"] == security["content-security-policy"]
    # a response of the replica without security headers gets none from nginx either
    status, headers, body = proxy.request("GET", BARE)
    assert status == 200 and body == b"// bare"
    assert not {key.lower() for key in headers} & {*security, "cache-control"}, headers.items()
    status, headers, body = proxy.request("HEAD", "/chat/")
    assert status == 200 and body == b"" and headers["content-security-policy"] == security["content-security-policy"]
    assert proxy.request("GET", "/chat/missing.js")[0] == 404
    assert any("/chat/missing.js" in s.paths for s in replica_servers.values()), "a missing file is the replica's 404"


def test_chat_requests_nginx_answers_itself(proxy, replica_servers):
    before = {name: list(s.paths) for name, s in replica_servers.items()}
    status, headers, _ = proxy.request("GET", "/chat", headers={"Host": "chat.clinic.example"})
    # relative, as the replicas send it: behind a TLS terminator an absolute one would say http://
    assert status == 301 and headers["location"] == "/chat/"
    assert proxy.request("POST", "/chat/", body=b"x")[0] == 403
    assert proxy.request("PUT", "/chat/index.html", body=b"x")[0] == 403
    assert {name: list(s.paths) for name, s in replica_servers.items()} == before, "these should not reach Rasa"


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
    received = json.loads(proxy.request("GET", POLLING)[2])["headers"]
    assert received.get("host") == f"127.0.0.1:{proxy.port}" and received.get("x-forwarded-for") == "127.0.0.1", received
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
    ("GET", "/conversations/x/../../chat/"),
    ("GET", "/chat/%2e%2e/status"),
    ("GET", "/chat/vendor/%2e%2e/index.html"),
    ("GET", "/chat/.hidden"),
    ("GET", "/chat//index.html"),
])
def test_http_api_is_not_exposed(proxy, replica_servers, method, path):
    before = {name: list(s.paths) for name, s in replica_servers.items()}
    status, _, _ = proxy.request(method, path, body=b"{}" if method != "GET" else None)
    assert status == 404
    assert {name: list(s.paths) for name, s in replica_servers.items()} == before
