"""Push→alert latency under load: one intrusion push a second, timed until its alert row exists.

Used by bench/side_by_side.py. The system under test supplies ``probe_push(n)`` -> (key, body,
headers), a push whose alert is found by ``key``, and ``alerted(keys)`` -> the keys whose
alert row exists. Each push is sent in its own thread on the second, so a slow answer never
delays the next probe; one watcher looks up every outstanding key every POLL seconds.
"""

from __future__ import annotations

import http.client
import threading
import time

POLL = 0.05


class AlertProbe:
    def __init__(self, system, port: int, path: str, interval: float = 1.0):
        self.system, self.port, self.path, self.interval = system, port, path, interval
        self.sent: dict[str, float] = {}
        self.seen: dict[str, float] = {}
        self.sent_wall: dict[str, float] = {}
        self.answer_ms: dict[str, float] = {}
        self.failed = 0
        self.lock = threading.Lock()
        self.sending = threading.Event()
        self.watching = threading.Event()
        self.threads: list[threading.Thread] = []

    def start(self) -> None:
        self.sending.set()
        self.watching.set()
        for target in (self._send_loop, self._watch_loop):
            thread = threading.Thread(target=target, daemon=True)
            thread.start()
            self.threads.append(thread)

    def finish(self, grace: float) -> None:
        """Stop sending; wait up to ``grace`` seconds for the outstanding alerts."""
        self.sending.clear()
        deadline = time.monotonic() + grace
        while time.monotonic() < deadline and self._outstanding():
            time.sleep(POLL)
        self.watching.clear()
        for thread in self.threads:
            thread.join(30)

    def latencies_ms(self) -> list[float]:
        return sorted((self.seen[k] - t) * 1000 for k, t in self.sent.items() if k in self.seen)

    def missing(self) -> int:
        return len(self.sent) - len(self.seen)

    def _outstanding(self) -> list[str]:
        with self.lock:
            return [k for k in self.sent if k not in self.seen]

    def _send_loop(self) -> None:
        started, n = time.monotonic(), 0
        while self.sending.is_set():
            threading.Thread(target=self._push, args=(n,), daemon=True).start()
            n += 1
            time.sleep(max(0.0, started + n * self.interval - time.monotonic()))

    def _push(self, n: int) -> None:
        key, body, headers = self.system.probe_push(n)
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=60)
        with self.lock:
            self.sent[key] = started = time.monotonic()
            self.sent_wall[key] = time.time()
        try:
            conn.request("POST", self.path, body=body, headers=headers)
            answer = conn.getresponse()
            answer.read()
            self.answer_ms[key] = (time.monotonic() - started) * 1000
            if answer.status != 200:
                self.failed += 1
        except OSError:
            self.failed += 1
        finally:
            conn.close()

    def _watch_loop(self) -> None:
        try:
            while self.watching.is_set():
                keys = self._outstanding()
                if keys:
                    found = self.system.alerted(keys)
                    now = time.monotonic()
                    with self.lock:
                        self.seen.update({key: now for key in found if key not in self.seen})
                time.sleep(POLL)
        finally:
            self.system.close_thread_connections()
