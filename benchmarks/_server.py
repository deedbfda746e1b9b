"""What the benchmark and fault scripts share: the platform under production settings in
gunicorn, and throw-away PostgreSQL clusters, Redis servers and databases of their own.

Everything listens on 127.0.0.1. The private servers live in temporary directories and on free
ports, so a script can stop and kill them without touching the shared PostgreSQL (5432) or
Redis (6379) that others use.
"""

import contextlib
import http.client
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from dataclasses import dataclass
from http.cookies import SimpleCookie
from pathlib import Path
from urllib.parse import urlencode, urlsplit

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))
PORT = 8123
PG_BIN = Path("/usr/lib/postgresql/15/bin")


def production_env(static_root: str, *, database_url: str, redis_url: str) -> dict:
    """The environment of a production process (DEBUG off, persistent database connections,
    the Redis cache), served over plain HTTP on 127.0.0.1."""
    env = dict(os.environ)
    env.update(
        DATABASE_URL=database_url,
        REDIS_URL=redis_url,
        DJANGO_SETTINGS_MODULE="ogp_platform.settings",
        DJANGO_DEBUG="0",
        DJANGO_SECRET_KEY=env.get("DJANGO_SECRET_KEY", "benchmark-only-" + "x" * 40),
        DJANGO_ALLOWED_HOSTS="127.0.0.1",
        DJANGO_SECURE_SSL_REDIRECT="0",
        DJANGO_BEHIND_TLS_PROXY="0",
        DJANGO_STATIC_ROOT=static_root,
        DJANGO_LOG_LEVEL="WARNING",
    )
    # Production settings refuse to start without a mail backend; the scripts that count mail
    # set their own.
    env.setdefault("DJANGO_EMAIL_BACKEND", "django.core.mail.backends.locmem.EmailBackend")
    return env


def setup_django(env: dict) -> None:
    """Configure Django in this process as the server will run, with the static files
    collected (the manifest storage of production settings needs them)."""
    os.environ.update(env)
    import django

    django.setup()
    from django.core.management import call_command

    call_command("collectstatic", interactive=False, verbosity=0)


def wait_until_healthy(port: int = PORT, attempts: int = 100, server=None) -> bool:
    for _ in range(attempts):
        if server is not None and server.poll() is not None:
            raise SystemExit(f"gunicorn on port {port} exited with status {server.returncode}")
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=1)
            return True
        except OSError:
            time.sleep(0.2)
    return False


@contextlib.contextmanager
def gunicorn(env: dict, *, workers: int, port: int = PORT, log=None):
    """gunicorn serving the platform on 127.0.0.1:`port` until the block ends. `log`: an open
    file for the server's output (default: this terminal)."""
    if not port_is_free(port):
        # Requests would go to whatever listens there (another script's server, its database).
        raise SystemExit(f"127.0.0.1:{port} is already in use by another process")
    server = subprocess.Popen(  # noqa: S603 - our own gunicorn
        [
            str(ROOT / ".venv/bin/gunicorn"),
            "ogp_platform.wsgi:application",
            f"--bind=127.0.0.1:{port}",
            f"--workers={workers}",
            "--log-level=warning",
        ],
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=log,
    )
    try:
        wait_until_healthy(port, server=server)
        yield server
    finally:
        server.send_signal(signal.SIGTERM)
        server.wait(timeout=30)


def port_is_free(port: int) -> bool:
    with socket.socket() as sock:
        # As gunicorn binds: connections of a previous run waiting out TIME_WAIT do not count.
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            sock.bind(("127.0.0.1", port))
        except OSError:
            return False
        return True


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@contextlib.contextmanager
def temporary_directory(prefix: str):
    path = tempfile.mkdtemp(prefix=prefix)
    try:
        yield path
    finally:
        shutil.rmtree(path, ignore_errors=True)


# --- A browser ---------------------------------------------------------------------------


@dataclass
class Reply:
    status: int
    headers: http.client.HTTPMessage
    body: str
    seconds: float


class Browser:
    """One participant's browser: cookies kept by hand (production cookies are Secure, and
    this talks plain HTTP to 127.0.0.1), no redirects followed."""

    def __init__(self, address: str = "127.0.0.1", port: int = PORT):
        self.address = address
        self.port = port
        self.cookies: dict[str, str] = {}

    def request(self, method: str, path: str, fields: dict | None = None) -> Reply:
        headers = {"X-Forwarded-For": self.address}
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        body = None
        if fields is not None:
            fields = {**fields, "csrfmiddlewaretoken": self.cookies.get("csrftoken", "")}
            body = urlencode(fields)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
            headers["Origin"] = f"http://127.0.0.1:{self.port}"
        started = time.perf_counter()
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=60)
        try:
            connection.request(method, path, body=body, headers=headers)
            response = connection.getresponse()
            text = response.read().decode("utf-8", "replace")
        finally:
            connection.close()
        reply = Reply(response.status, response.headers, text, time.perf_counter() - started)
        for header in reply.headers.get_all("Set-Cookie") or []:
            for name, morsel in SimpleCookie(header).items():
                if morsel["max-age"] == "0" or morsel.value == "":
                    self.cookies.pop(name, None)
                else:
                    self.cookies[name] = morsel.value
        return reply

    def messages(self) -> list:
        """The messages the next page would show (taken, as a browser showing it would)."""
        from django.contrib.messages.storage.cookie import CookieStorage

        value = self.cookies.pop("messages", None)
        if not value:
            return []
        return CookieStorage(None)._decode(value) or []

    def sign_in(self, email: str, password: str) -> None:
        self.request("GET", "/accounts/login/")
        reply = self.request("POST", "/accounts/login/", {"login": email, "password": password})
        if reply.status != 302 or "sessionid" not in self.cookies:
            raise RuntimeError(f"{email} could not sign in: {reply.status}")
        self.cookies.pop("messages", None)


# --- Private servers -----------------------------------------------------------------------


@contextlib.contextmanager
def private_redis():
    """A Redis of our own on a free port, in memory only; yields its URL (database 0)."""
    port = free_port()
    server = subprocess.Popen(  # noqa: S603 - the system's redis-server
        [
            shutil.which("redis-server") or "redis-server",
            "--port",
            str(port),
            "--bind",
            "127.0.0.1",
            "--save",
            "",
            "--appendonly",
            "no",
        ],
        stdout=subprocess.DEVNULL,
    )
    try:
        for _ in range(50):
            with contextlib.suppress(OSError), socket.create_connection(("127.0.0.1", port), 0.2):
                break
            time.sleep(0.1)
        yield f"redis://127.0.0.1:{port}/0"
    finally:
        server.terminate()
        server.wait(timeout=10)


class PrivatePostgres:
    """A PostgreSQL cluster of our own (initdb into a temporary directory, run as the
    `postgres` system user, trust authentication on 127.0.0.1, no fsync): stop and start it at
    will, nobody else uses it."""

    def __init__(self, directory: str):
        self.port = free_port()
        self.data = Path(directory) / "data"
        self.log = Path(directory) / "postgres.log"
        shutil.chown(directory, "postgres")
        self._as_postgres(
            PG_BIN / "initdb", "-D", self.data, "-U", "postgres", "--auth=trust", "-E", "UTF8"
        )

    def url(self, name: str) -> str:
        return f"postgres://postgres@127.0.0.1:{self.port}/{name}"

    def start(self) -> None:
        options = f"-p {self.port} -k /tmp -c listen_addresses=127.0.0.1 -F"
        self._as_postgres(
            PG_BIN / "pg_ctl", "-D", self.data, "-o", options, "-l", self.log, "-w", "start"
        )

    def stop(self) -> None:
        """A fast shutdown: open connections are cut, as when the server restarts."""
        self._as_postgres(PG_BIN / "pg_ctl", "-D", self.data, "-m", "fast", "-w", "stop")

    def _as_postgres(self, *command) -> None:
        subprocess.run(  # noqa: S603 - the system's PostgreSQL tools
            [shutil.which("runuser") or "runuser", "-u", "postgres", "--", *map(str, command)],
            check=True,
            stdout=subprocess.DEVNULL,
        )


@contextlib.contextmanager
def private_postgres():
    with temporary_directory("ogp-pg-") as directory:
        cluster = PrivatePostgres(directory)
        cluster.start()
        try:
            yield cluster
        finally:
            with contextlib.suppress(subprocess.CalledProcessError):
                cluster.stop()


def recreate_database(url: str) -> None:
    """Drop and create the database `url` names (on its server's `postgres` database)."""
    import psycopg2

    parts = urlsplit(url)
    name = parts.path.lstrip("/")
    connection = psycopg2.connect(
        host=parts.hostname,
        port=parts.port or 5432,
        user=parts.username or "postgres",
        password=parts.password or None,
        dbname="postgres",
    )
    connection.autocommit = True
    try:
        with connection.cursor() as cursor:
            cursor.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
            cursor.execute(f'CREATE DATABASE "{name}"')
    finally:
        connection.close()


def migrate_and_seed(env: dict, scale: float) -> str:
    """`manage.py migrate` and `seed_bench --scale` in a child process (this one may not have
    Django configured for that database yet); returns seed_bench's output."""
    manage = [str(ROOT / ".venv/bin/python"), str(ROOT / "manage.py")]
    child_env = {**env, "DJANGO_DEBUG": "1"}
    subprocess.run(  # noqa: S603 - our own manage.py
        [*manage, "migrate", "--verbosity=0"], cwd=ROOT, env=child_env, check=True
    )
    return subprocess.run(  # noqa: S603 - our own manage.py
        [*manage, "seed_bench", f"--scale={scale}"],
        cwd=ROOT,
        env=child_env,
        check=True,
        capture_output=True,
        text=True,
    ).stdout
