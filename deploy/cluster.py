"""Several Baton processes behind nginx on one machine, sharing one database.

`Cluster` starts N `streamlit run serve.py` processes (app.py as `make run` serves it) on loopback
ports and nginx in front of them (deploy/nginx.conf.template: sticky sessions by cookie,
websockets), waits until each answers,
and stops everything it started. `python -m deploy` runs one from the command line; the nginx
test and `benchmarks/load.py --through nginx` use it too. `throwaway_postgres()` and
`throwaway_database()` give a PostgreSQL database to try it with."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
import uuid
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO

ROOT = Path(__file__).resolve().parent.parent
TEMPLATE = Path(__file__).resolve().parent / "nginx.conf.template"
LOOPBACK = {"127.0.0.1", "localhost", "::1", "[::1]"}
BATON_SCRIPTS = {ROOT / "serve.py", ROOT / "app.py"}  # Baton itself, which must not serve others without sign-in

# How Baton runs in production. The last two are the measured ones (see deploy/SCALING.md): with
# the defaults, every rerun pays a full garbage collection of a heap that holds pandas, plotly,
# SQLAlchemy and the exercise bank (~150 ms), and a walk of sys.modules for the file watcher.
BASE_FLAGS = (
    "--server.headless=true",
    "--server.address=127.0.0.1",
    "--browser.gatherUsageStats=false",
    "--client.showErrorDetails=none",  # no traceback ever reaches a user
)
SERVER_FLAGS = (*BASE_FLAGS, "--server.fileWatcherType=none", "--runner.postScriptGC=false")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


def nginx_binary() -> str | None:
    return shutil.which("nginx") or next((p for p in ("/usr/sbin/nginx",) if Path(p).exists()), None)


def wait_ready(url: str, proc: subprocess.Popen, log_name: str, timeout_s: float = 60.0) -> None:
    """Poll `url` until it answers 200; fail early if the process exits."""
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"{Path(str(proc.args[0])).name} exited with {proc.returncode}; see {log_name}")
        try:
            with urllib.request.urlopen(url, timeout=2) as reply:
                if reply.status == 200:
                    return
        except OSError:
            pass
        time.sleep(0.2)
    raise RuntimeError(f"{url} did not answer within {timeout_s:.0f} s; see {log_name}")


@dataclass
class Service:
    name: str
    proc: subprocess.Popen
    log: IO[str]
    url: str
    cleanup: Path | None = None  # a directory to remove once stopped

    def stop(self, grace_s: float = 10.0) -> None:
        if self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(grace_s)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(5)
        self.log.close()
        if self.cleanup is not None:
            shutil.rmtree(self.cleanup, ignore_errors=True)


def spawn_streamlit(
    script: Path,
    port: int,
    log_dir: Path,
    env: Mapping[str, str] | None = None,
    extra: Sequence[str] = (),
    name: str = "app",
    flags: Sequence[str] = SERVER_FLAGS,
) -> Service:
    """`streamlit run <script>` on 127.0.0.1:<port> with the production flags; does not wait."""
    log = (log_dir / f"{name}-{port}.log").open("w")
    command = [sys.executable, "-m", "streamlit", "run", str(script), *flags, f"--server.port={port}", *extra]
    proc = subprocess.Popen(
        command, cwd=script.parent, env={**os.environ, **(env or {})}, stdout=log, stderr=subprocess.STDOUT
    )
    return Service(name, proc, log, f"http://127.0.0.1:{port}")


def start_streamlit(
    script: Path,
    port: int,
    log_dir: Path,
    env: Mapping[str, str] | None = None,
    extra: Sequence[str] = (),
    name: str = "app",
    flags: Sequence[str] = SERVER_FLAGS,
) -> Service:
    """As spawn_streamlit, then wait until it answers its health check."""
    service = spawn_streamlit(script, port, log_dir, env, extra, name, flags)
    try:
        wait_ready(service.url + "/_stcore/health", service.proc, service.log.name)
    except BaseException:
        service.stop()
        raise
    return service


@dataclass(frozen=True)
class Limits:
    """nginx's limits per client address: requests per second with a burst, open connections.
    The defaults leave room for a classroom behind one address; a load test from one machine
    needs far more."""

    rate_per_s: int = 50
    burst: int = 200
    connections: int = 200


# Which process answered, as `X-Baton-Upstream: 127.0.0.1:<port>`: for tests and the load
# benchmark only, never in production (it shows internal addresses).
UPSTREAM_HEADER = "            add_header X-Baton-Upstream $upstream_addr always;"


def render_nginx_conf(
    listen: str,
    upstream_ports: Sequence[int],
    temp: Path,
    workers: int = 1,
    access_log: bool = False,
    limits: Limits = Limits(),
    expose_upstream: bool = False,
) -> str:
    servers = "\n".join(f"        server 127.0.0.1:{p} max_fails=1 fail_timeout=10s;" for p in upstream_ports)
    return (
        TEMPLATE.read_text()
        .replace("@UPSTREAM_HEADER@", UPSTREAM_HEADER if expose_upstream else "")
        .replace("@RATE@", str(limits.rate_per_s))
        .replace("@BURST@", str(limits.burst))
        .replace("@CONNECTIONS@", str(limits.connections))
        .replace("@WORKERS@", str(workers))
        .replace("@ACCESS_LOG@", "logs/access.log" if access_log else "off")
        .replace("@SERVERS@", servers)
        .replace("@LISTEN@", listen)
        .replace("@TEMP@", str(temp))
    )


def start_nginx(
    prefix: Path,
    host: str,
    port: int,
    upstream_ports: Sequence[int],
    workers: int = 1,
    access_log: bool = False,
    limits: Limits = Limits(),
    expose_upstream: bool = False,
) -> Service:
    """nginx in the foreground from a config rendered into `prefix`; waits until it proxies."""
    binary = nginx_binary()
    if binary is None:
        raise RuntimeError("nginx is not installed (apt-get install nginx)")
    (prefix / "logs").mkdir(parents=True, exist_ok=True)
    # nginx's workers drop root, so their temp files go where they can reach: a directory of its
    # own under the system temp dir (the prefix may sit in a private one, such as pytest's).
    temp = Path(tempfile.mkdtemp(prefix="baton-nginx-tmp-"))
    temp.chmod(0o755)
    conf = prefix / "nginx.conf"
    conf.write_text(
        render_nginx_conf(f"{host}:{port}", upstream_ports, temp, workers, access_log, limits, expose_upstream)
    )
    log = (prefix / "logs" / "nginx.out").open("w")
    command = [binary, "-p", f"{prefix}/", "-c", str(conf), "-e", str(prefix / "logs" / "error.log")]
    checked = subprocess.run([*command, "-t"], capture_output=True, text=True)
    if checked.returncode != 0:
        log.close()
        shutil.rmtree(temp, ignore_errors=True)
        raise RuntimeError(f"nginx refused the config {conf}:\n{checked.stderr}")
    proc = subprocess.Popen([*command, "-g", "daemon off;"], stdout=log, stderr=subprocess.STDOUT)
    service = Service("nginx", proc, log, f"http://{host}:{port}", cleanup=temp)
    try:
        wait_ready(service.url + "/_stcore/health", proc, str(prefix / "logs" / "error.log"))
    except BaseException:
        service.stop()
        raise
    return service


def auth_configured(secrets: Path | None) -> bool:
    if secrets is None or not secrets.exists():
        return False
    import tomllib

    return "auth" in tomllib.loads(secrets.read_text())


@dataclass
class Cluster:
    """N app processes and nginx in front; use as a context manager, or call start() and stop()."""

    processes: int = 2
    port: int = 0  # nginx's port; 0 picks a free one
    host: str = "127.0.0.1"
    script: Path = ROOT / "serve.py"  # app.py as `make run` serves it (see serve.py)
    env: Mapping[str, str] = field(default_factory=dict)
    extra: Sequence[str] = ()
    secrets: Path | None = None
    prefix: Path | None = None
    access_log: bool = False
    flags: Sequence[str] = SERVER_FLAGS
    limits: Limits = field(default_factory=Limits)
    expose_upstream: bool = False  # tests and benchmarks: say which process answered
    apps: list[Service] = field(default_factory=list)
    nginx: Service | None = None

    @property
    def url(self) -> str:
        assert self.nginx is not None, "not started"
        return self.nginx.url

    @property
    def app_ports(self) -> list[int]:
        return [int(a.url.rsplit(":", 1)[1]) for a in self.apps]

    def start(self) -> Cluster:
        if self.host not in LOOPBACK and self.script in BATON_SCRIPTS and not auth_configured(self.secrets):
            raise RuntimeError(
                f"refusing to serve Baton on {self.host} without sign-in: give a secrets file with an [auth] "
                "section (see the README's Security section), or listen on 127.0.0.1"
            )
        if self.prefix is None:
            self.prefix = Path(tempfile.mkdtemp(prefix="baton-nginx-"))
        self.prefix.mkdir(parents=True, exist_ok=True)
        extra = list(self.extra)
        if self.secrets is not None:
            extra.append(f"--secrets.files={self.secrets}")  # one cookie_secret: a sign-in is valid everywhere
        (self.prefix / "logs").mkdir(exist_ok=True)
        try:
            for i in range(self.processes):  # start them all, then wait: they boot in parallel
                self.apps.append(
                    spawn_streamlit(
                        self.script, free_port(), self.prefix / "logs", self.env, extra, f"app{i}", self.flags
                    )
                )
            for app in self.apps:
                wait_ready(app.url + "/_stcore/health", app.proc, app.log.name)
            self.nginx = start_nginx(
                self.prefix,
                self.host,
                self.port or free_port(),
                self.app_ports,
                access_log=self.access_log,
                limits=self.limits,
                expose_upstream=self.expose_upstream,
            )
        except BaseException:
            self.stop()
            raise
        return self

    def stop(self) -> None:
        if self.nginx is not None:
            self.nginx.stop()
            self.nginx = None
        for app in self.apps:
            app.stop()
        self.apps.clear()

    def __enter__(self) -> Cluster:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()


def migrate(env: Mapping[str, str], demo: bool = False) -> None:
    """Upgrade (and in demo mode seed) the shared database once, before the processes start,
    so that they do not race each other to do it."""
    command = [sys.executable, "-m", "store", *(["demo", "--learner-history", "0"] if demo else ["migrate"])]
    subprocess.run(command, cwd=ROOT, env={**os.environ, **env}, check=True, capture_output=True)


def postgres_bin() -> Path | None:
    found = sorted(Path("/usr/lib/postgresql").glob("*/bin/initdb"), key=lambda p: int(p.parent.parent.name))
    return found[-1].parent if found else None


@contextmanager
def throwaway_postgres() -> Iterator[str]:
    """A PostgreSQL server of its own on a loopback port, owned by the postgres user (initdb
    refuses to run as root); yields its URL and removes it afterwards."""
    pgbin = postgres_bin()
    if pgbin is None:
        raise RuntimeError("PostgreSQL's server binaries are not installed (apt-get install postgresql)")
    folder = Path(tempfile.mkdtemp(prefix="baton-pg-"))
    port = free_port()
    as_root = os.geteuid() == 0

    def run(*args: str) -> None:
        command = ["runuser", "-u", "postgres", "--", *args] if as_root else list(args)
        subprocess.run(command, cwd="/", check=True, capture_output=True)

    if as_root:
        shutil.chown(folder, "postgres", "postgres")
    data = folder / "data"
    try:
        run(str(pgbin / "initdb"), "-D", str(data), "-U", "postgres", "-A", "trust", "-E", "UTF8", "--no-sync")
        options = f"-p {port} -k {folder} -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=300"
        run(str(pgbin / "pg_ctl"), "-D", str(data), "-l", str(folder / "server.log"), "-w", "-o", options, "start")
        try:
            run(str(pgbin / "createdb"), "-h", "127.0.0.1", "-p", str(port), "-U", "postgres", "baton")
            yield f"postgresql+psycopg://postgres@127.0.0.1:{port}/baton"
        finally:
            run(str(pgbin / "pg_ctl"), "-D", str(data), "-m", "fast", "-w", "stop")
    finally:
        shutil.rmtree(folder, ignore_errors=True)


@contextmanager
def throwaway_database(server_url: str) -> Iterator[str]:
    """A fresh database on an existing server (e.g. CI's TEST_DATABASE_URL), dropped afterwards."""
    from sqlalchemy import create_engine, text
    from sqlalchemy.engine import make_url

    admin = create_engine(server_url, isolation_level="AUTOCOMMIT")
    name = f"baton_d_{uuid.uuid4().hex[:12]}"
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        yield make_url(server_url).set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()
