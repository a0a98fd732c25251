"""`python -m deploy --processes N [--port 8080] [--listen 127.0.0.1] [--secrets FILE]`.

Upgrades the database that DATABASE_URL names, starts N Baton processes on loopback ports and
nginx in front of them on --listen:--port, prints where it serves, and runs until Ctrl-C or
SIGTERM, then stops everything it started."""

from __future__ import annotations

import argparse
import os
import signal
import sys
import time
from pathlib import Path
from typing import TextIO

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from deploy.cluster import Cluster, auth_configured, migrate, nginx_binary


def say(line: str, stream: TextIO = sys.stdout) -> None:
    stream.write(line + "\n")
    stream.flush()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m deploy", description=__doc__.split("\n\n")[1])
    parser.add_argument(
        "--processes", type=int, default=max(os.cpu_count() or 1, 1), help="app processes (default: one per core)"
    )
    parser.add_argument("--port", type=int, default=8080, help="nginx's port (default 8080)")
    parser.add_argument(
        "--listen", default="127.0.0.1", help="nginx's address (default 127.0.0.1; another needs [auth])"
    )
    parser.add_argument("--secrets", type=Path, default=None, help="secrets.toml with [auth], shared by every process")
    parser.add_argument("--prefix", type=Path, default=None, help="nginx's working directory (default: a temp dir)")
    parser.add_argument("--access-log", action="store_true", help="write nginx's access log under the prefix")
    args = parser.parse_args(argv)
    if nginx_binary() is None:
        say("nginx is not installed: apt-get install nginx", sys.stderr)
        return 2
    if not args.secrets and Path(".streamlit/secrets.toml").exists():
        args.secrets = Path(".streamlit/secrets.toml").resolve()
    database = os.environ.get("DATABASE_URL", "")
    if args.processes > 1 and not database.startswith("postgresql"):
        say("note: DATABASE_URL is not PostgreSQL; SQLite is shared only by processes on this one machine")
    demo = os.environ.get("BATON_DEMO", "").lower() in {"1", "true", "yes"} and not auth_configured(args.secrets)
    migrate({}, demo=demo)
    cluster = Cluster(
        processes=args.processes,
        port=args.port,
        host=args.listen,
        secrets=args.secrets,
        prefix=args.prefix,
        access_log=args.access_log,
    )
    stopping = False

    def stop(_signum: int, _frame: object) -> None:
        nonlocal stopping
        stopping = True

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    with cluster:
        say(f"Baton: {cluster.url} -> {len(cluster.apps)} processes on ports {cluster.app_ports}")
        say(f"nginx config and logs: {cluster.prefix}")
        while not stopping:
            if any(s.proc.poll() is not None for s in [*cluster.apps, cluster.nginx] if s is not None):
                say(f"a process exited; stopping the rest (logs: {cluster.prefix}/logs)", sys.stderr)
                return 1
            time.sleep(0.5)
    return 0


if __name__ == "__main__":
    sys.exit(main())
