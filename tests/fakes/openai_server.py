"""A local OpenAI-compatible server for tests: real HTTP on 127.0.0.1, scripted replies.

Each request pops the next scripted reply (or repeats the last one): a JSON verdict, an HTTP
status, a delay, malformed content or a refusal. Requests are recorded for assertions."""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any


@dataclass
class Reply:
    content: str | None = None  # the assistant message content
    status: int = 200
    delay_s: float = 0.0
    refusal: str | None = None
    headers: dict[str, str] = field(default_factory=dict)


@dataclass
class FakeOpenAI:
    base_url: str
    replies: list[Reply]
    requests: list[dict[str, Any]] = field(default_factory=list)

    def script(self, *replies: Reply) -> None:
        self.replies[:] = list(replies)
        self.requests.clear()


def verdict_json(scores: dict[str, float], injection: bool = False, evidence: str = "") -> str:
    return json.dumps(
        {
            "criteria": [{"id": k, "score": v, "evidence": evidence} for k, v in scores.items()],
            "injection_detected": injection,
        }
    )


@contextmanager
def fake_openai() -> Iterator[FakeOpenAI]:
    state = FakeOpenAI(base_url="", replies=[])
    lock = threading.Lock()

    class Handler(BaseHTTPRequestHandler):
        def log_message(self, *args: Any) -> None:  # keep test output quiet
            return

        def do_POST(self) -> None:
            body = json.loads(self.rfile.read(int(self.headers.get("content-length", 0))) or b"{}")
            with lock:
                state.requests.append({"path": self.path, "body": body})
                reply = (
                    state.replies.pop(0)
                    if len(state.replies) > 1
                    else (state.replies[0] if state.replies else Reply("{}"))
                )
            if reply.delay_s:
                time.sleep(reply.delay_s)
            if reply.status != 200:
                payload = json.dumps({"error": {"message": "scripted failure", "type": "server_error"}}).encode()
                self.send_response(reply.status)
                for k, v in {"content-type": "application/json", **reply.headers}.items():
                    self.send_header(k, v)
                self.send_header("content-length", str(len(payload)))
                self.end_headers()
                self.wfile.write(payload)
                return
            message: dict[str, Any] = {"role": "assistant", "content": reply.content, "refusal": reply.refusal}
            payload = json.dumps(
                {
                    "id": "chatcmpl-test",
                    "object": "chat.completion",
                    "created": int(time.time()),
                    "model": body.get("model", "fake"),
                    "choices": [{"index": 0, "finish_reason": "stop", "message": message}],
                    "usage": {"prompt_tokens": 10, "completion_tokens": 10, "total_tokens": 20},
                }
            ).encode()
            self.send_response(200)
            self.send_header("content-type", "application/json")
            self.send_header("content-length", str(len(payload)))
            self.end_headers()
            self.wfile.write(payload)

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    state.base_url = f"http://127.0.0.1:{server.server_address[1]}/v1"
    try:
        yield state
    finally:
        server.shutdown()
        server.server_close()
