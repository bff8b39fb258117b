"""The compose deployment, run natively: each service's command and health check read from
docker-compose.yml, its settings from .env.example, nginx from deploy/nginx.

Only addresses and folders are translated (a container's service name or path to a local
port or folder); every translation must be used, so the files cannot drift from the test.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from damanat.testing import free_port

ROOT = Path(__file__).resolve().parents[2]
LONG_RUNNING = ("web", "stream", "worker", "processor", "beat")


def read_env_file(path: Path) -> dict[str, str]:
    """KEY=VALUE lines as docker compose reads an env_file: comments and ` # …` tails dropped."""
    values = {}
    for line in path.read_text().splitlines():
        line = line.strip()
        if not line or line.startswith("#") or "=" not in line:
            continue
        key, value = line.split("=", 1)
        value = value.strip()
        if value[:1] in "\"'" and value[-1:] == value[:1]:
            value = value[1:-1]
        else:
            value = re.split(r"\s+#", value, maxsplit=1)[0]
        values[key.strip()] = value
    return values


def dockerfile_command(path: Path) -> list[str]:
    [line] = [line for line in path.read_text().splitlines() if line.startswith("CMD [")]
    return json.loads(line[len("CMD ") :])


def compose_escapes(text: str) -> str:
    """Compose turns ``$$`` into ``$`` before the shell sees the command."""
    return text.replace("$$", "$")


@dataclass
class Translation:
    """(compose text, native text) pairs; ``unused`` names those nothing contained."""

    pairs: list[tuple[str, str]]
    used: set = field(default_factory=set)

    def __call__(self, text: str) -> str:
        for old, new in self.pairs:
            if old in text:
                self.used.add(old)
                text = text.replace(old, new)
        return text

    def unused(self) -> set:
        return {old for old, _ in self.pairs} - self.used


@dataclass
class Stack:
    database_url: str
    redis_url: str
    home: Path = field(default_factory=lambda: Path(tempfile.mkdtemp(prefix="damanat-stack-")))
    ports: dict = field(default_factory=dict)
    procs: dict = field(default_factory=dict)

    def __post_init__(self):
        # nginx's workers run as nobody under root: the media and static folders must be readable.
        self.home.chmod(0o755)
        self.var, self.certs, self.logs = self.home / "var", self.home / "certs", self.home / "logs"
        for folder in (self.var, self.certs, self.logs):
            folder.mkdir(mode=0o755)
        self.ports = {name: free_port() for name in ("web", "stream", "http", "https")}
        self.compose = yaml.safe_load((ROOT / "docker-compose.yml").read_text())
        self.paths = Translation(
            [
                ("/app/var/", f"{self.var}/"),
                ("/app/certs", str(self.certs)),
                ("/tmp/prometheus", str(self.home / "prometheus")),
                ("0.0.0.0:8081", f"127.0.0.1:{self.ports['stream']}"),
            ]
        )
        self.loopback = {
            "web": Translation([("127.0.0.1:8080", f"127.0.0.1:{self.ports['web']}")]),
            "stream": Translation([("127.0.0.1:8081", f"127.0.0.1:{self.ports['stream']}")]),
            "front": Translation([("127.0.0.1:8080", f"127.0.0.1:{self.ports['http']}")]),
        }

    # ── settings ──
    def service(self, name: str) -> dict:
        return self.compose["services"][name]

    def env(self, name: str) -> dict[str, str]:
        keep = {k: v for k, v in os.environ.items() if k.startswith(("FAKETIME", "LD_PRELOAD"))}
        path = f"{Path(sys.executable).parent}:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"
        base = {
            **keep,
            "PATH": path,
            "HOME": str(self.home),
            "LANG": "C.UTF-8",
            "HOSTNAME": socket.gethostname(),
        }
        if name == "front":  # nginx: no application settings
            return base
        service_env = self.service(name)["environment"]
        values = {
            **read_env_file(ROOT / ".env.example"),
            **{k: self.paths(str(v)) for k, v in service_env.items()},
        }
        # Service names and the front's fixed address, as they are on this machine.
        assert "@db:5432" in service_env["DATABASE_URL"] and "redis:6379" in service_env["REDIS_URL"]
        assert service_env["TRUSTED_PROXIES"] == self.front_address()
        values.update(
            DATABASE_URL=self.database_url,
            CELERY_BROKER_URL=self.redis_url,
            REDIS_URL=self.redis_url,
            TRUSTED_PROXIES="127.0.0.1",
            WEB_BIND=f"127.0.0.1:{self.ports['web']}",
        )
        return {**base, **values}

    def front_address(self) -> str:
        return self.service("front")["networks"]["default"]["ipv4_address"]

    # ── commands ──
    def command(self, name: str) -> list[str]:
        return [compose_escapes(self.paths(part)) for part in self.service(name)["command"]]

    def healthcheck(self, name: str) -> list[str]:
        test = self.service(name)["healthcheck"]["test"]
        translate = self.loopback.get(name, Translation([]))
        parts = [compose_escapes(translate(self.paths(part))) for part in test[1:]]
        return ["sh", "-c", parts[0]] if test[0] == "CMD-SHELL" else parts

    def run(self, name: str, argv: list[str], timeout: float = 120, **env) -> subprocess.CompletedProcess:
        """``argv`` with service ``name``'s settings (``env`` overrides some, e.g. another database)."""
        return subprocess.run(
            argv, cwd=ROOT, env={**self.env(name), **env}, capture_output=True, text=True, timeout=timeout
        )

    def start(self, name: str, argv: list[str]) -> None:
        log = (self.logs / f"{name}.log").open("w")
        self.procs[name] = subprocess.Popen(
            argv, cwd=ROOT, env=self.env(name), stdout=log, stderr=subprocess.STDOUT, start_new_session=True
        )

    def nginx_config(self) -> Path:
        translate = Translation(
            [
                ("server web:8080", f"server 127.0.0.1:{self.ports['web']}"),
                ("server stream:8081", f"server 127.0.0.1:{self.ports['stream']}"),
                ("listen 8080", f"listen 127.0.0.1:{self.ports['http']}"),
                ("listen 8443", f"listen 127.0.0.1:{self.ports['https']}"),
                ("/tmp/nginx", str(self.home / "nginx")),
                ("/app/var/", f"{self.var}/"),
                ("/certs/", f"{self.certs}/"),
            ]
        )
        config = self.home / "nginx.conf"
        config.write_text(translate((ROOT / "deploy/nginx/nginx.conf").read_text()))
        assert translate.unused() == set()
        return config

    def front_command(self) -> list[str]:
        translate = Translation(
            [("/etc/damanat/nginx.conf", str(self.nginx_config())), ("/tmp/nginx", str(self.home / "nginx"))]
        )
        argv = [translate(part) for part in dockerfile_command(ROOT / "deploy/nginx/Dockerfile")]
        assert translate.unused() == set()
        return argv

    def image_folders(self) -> None:
        """The folders the Dockerfile makes in /app (the volumes mount over them)."""
        [made] = re.findall(r"mkdir -p ([^&\\]+)", (ROOT / "Dockerfile").read_text())
        for folder in made.split():
            base, _, rest = folder.partition("/")
            target = {"var": self.var, "certs": self.certs}[base] / rest
            target.mkdir(parents=True, exist_ok=True)
            target.chmod(0o755)

    def up(self) -> None:
        self.image_folders()
        migrated = self.run("migrate", self.command("migrate"), timeout=300)
        assert migrated.returncode == 0, migrated.stdout + migrated.stderr
        for name in LONG_RUNNING:
            self.start(name, self.command(name))
        self.start("front", self.front_command())

    def healthy(self, name: str, timeout: float = 90) -> subprocess.CompletedProcess:
        """Run the service's health check until it passes or ``timeout`` seconds have gone."""
        deadline = time.monotonic() + timeout
        while True:
            result = self.run(name, self.healthcheck(name), timeout=60)
            if result.returncode == 0 or time.monotonic() > deadline:
                return result
            time.sleep(1)

    def alive(self, name: str) -> bool:
        return self.procs[name].poll() is None

    def log(self, name: str) -> str:
        return (self.logs / f"{name}.log").read_text(errors="replace")

    def down(self) -> None:
        for proc in self.procs.values():
            _signal_group(proc, 15)
        for proc in self.procs.values():
            try:
                proc.wait(20)
            except subprocess.TimeoutExpired:
                _signal_group(proc, 9)
                proc.wait(10)
        shutil.rmtree(self.home, ignore_errors=True)


def _signal_group(proc: subprocess.Popen, signal: int) -> None:
    try:
        os.killpg(proc.pid, signal)
    except ProcessLookupError:
        pass
