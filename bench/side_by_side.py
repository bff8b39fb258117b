"""Damanat beside the seed's own FastAPI design (/work/shared/peer): same wrk load, one sitting.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/bench_dn \\
    REDIS_URL=redis://127.0.0.1:6379/13 CELERY_BROKER_URL=redis://127.0.0.1:6379/13 \\
        .venv/bin/python bench/side_by_side.py --rounds 2 --seconds 15

Needs wrk (apt-get install wrk). The first run copies the peer to var/peer-patched (the
peer's XML patch applied, so its rules run; --peer seed for the peer as written) and gives
it its own venv. Each sitting builds two template databases (<db>_tpl: Damanat migrated plus
bench/site_fixture.py, the cameras and zones the peer scenario pushes to; peer_dn_tpl: the
peer's init_db.py); every run starts on a fresh clone of its template.

Rounds are interleaved: peer load, Damanat load, Damanat capacity, peer burst, Damanat
burst, next round.
- load: wrk -t1 -c16 -s <peer>/wrk/mixed.lua for --seconds, while a probe sends one intrusion
  push a second and times push → alert row. Damanat runs in its production layout: gunicorn
  with damanat/gunicorn.py, DJANGO_DEBUG=false, EVENT_PROCESSING=queued, the processor from
  bench/stack.py processor_commands(), a Celery worker; the peer is uvicorn --workers 2.
- capacity (Damanat): --backlog-seconds of the load stored with the processor stopped, then
  the processor started with --seconds more of it: rules applied per second while the
  processor always has work, against pushes accepted per second in the same window (the
  load run's own ratio cannot pass 1.0: what it applies is what it was given, less the
  events still in flight when the window closes).
- burst: --burst pushes of the same scenario as fast as the server answers, then how long
  the queued backlog takes to go, against how long the burst took to send.
Prints a row per run as it ends, ratios per round, the medians, and /proc/loadavg at start
and end. Everything runs on 127.0.0.1 (Damanat on --damanat-port, the peer on --peer-port).
"""

from __future__ import annotations

import argparse
import os
import signal
import statistics
import subprocess
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

BENCH = Path(__file__).resolve().parent
os.environ.setdefault("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/bench_dn")
os.environ.setdefault("REDIS_URL", "redis://127.0.0.1:6379/13")
os.environ.setdefault("CELERY_BROKER_URL", os.environ["REDIS_URL"])
sys.path.insert(0, str(BENCH))
from alert_probe import AlertProbe  # noqa: E402
from site_fixture import PROBE_ZONES  # noqa: E402
from systems import WEBHOOK_PATH, Damanat, Peer  # noqa: E402


def loadavg() -> str:
    return Path("/proc/loadavg").read_text().strip()


def now_utc() -> datetime:
    return datetime.now(UTC)


def percentile(values: list[float], q: float) -> float | None:
    if not values:
        return None
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(q * len(ordered)) - 1))]


# ---------------------------------------------------------------- wrk
def run_wrk(port: int, script: Path, seconds: float, connections: int, extra_env: dict | None = None) -> dict:
    """One wrk run; a script that prints BURST_SENT is interrupted there (SIGINT)."""
    command = [
        "wrk",
        "-t1",
        f"-c{connections}",
        f"-d{int(seconds)}s",
        "--timeout",
        "30s",
        "-s",
        str(script),
        f"http://127.0.0.1:{port}{WEBHOOK_PATH}",
        "--",
        "1",
    ]
    proc = subprocess.Popen(
        command, stdout=subprocess.PIPE, text=True, env={**os.environ, **(extra_env or {})}
    )
    lines = []
    for line in proc.stdout:
        lines.append(line)
        if line.startswith("BURST_SENT"):
            proc.send_signal(signal.SIGINT)
    proc.wait(60)
    result = next(x for x in lines if x.startswith("WRK_RESULT"))
    return {key: float(value) for key, value in (p.split("=") for p in result.split()[1:])}


def wrk_figures(wrk: dict) -> dict:
    accepted = wrk["ok2xx"] - wrk["app_errors"]
    return {
        "accepted": accepted,
        "accepted_ps": accepted / wrk["duration_s"],
        "answered_ps": wrk["ok2xx"] / wrk["duration_s"],
        "p50": wrk["p50_ms"],
        "p99": wrk["p99_ms"],
        "non2xx": wrk["non2xx"] + wrk["sock_timeout"],
        "app_errors": wrk["app_errors"],
        "duration": wrk["duration_s"],
    }


# ---------------------------------------------------------------- runs
def load_run(system, args, scenario: Path) -> dict:
    system.fresh()
    system.start()
    try:
        system.warm_up()
        probe = AlertProbe(system, system.port, WEBHOOK_PATH)
        probe.start()
        t0 = now_utc()
        figures = wrk_figures(run_wrk(system.port, scenario, args.seconds, args.connections))
        t1 = now_utc()
        figures["backlog"] = system.queued()
        probe.finish(args.probe_grace)
        counts = system.counts(t0, t1)
        stages = probe_stages(system, probe)
    finally:
        system.stop()
    window = (t1 - t0).total_seconds()
    applied = counts.get("applied_in_window")
    latencies = probe.latencies_ms()
    figures.update(
        {
            "stored": counts["stored"],
            "detail": counts,
            "applied_ps": applied / window if applied is not None else figures["accepted_ps"],
            "alert_p50": _late_percentile(latencies, probe, 0.50),
            "alert_p95": _late_percentile(latencies, probe, 0.95),
            "probes": len(probe.sent),
            "probe_missing": probe.missing(),
            "probe_failed": probe.failed,
            "stages": stages,
        }
    )
    return figures


def probe_stages(system, probe: AlertProbe) -> dict[str, tuple]:
    """Where a probe's push→alert time went, p50/p95 ms per stage (Damanat only): the answer
    to the push, push sent → stored, stored → processed, processed → alert row written."""
    timeline = getattr(system, "timeline", None)
    if timeline is None:
        return {}
    rows = timeline(list(probe.sent))
    stages: dict[str, list[float]] = {
        "answer": list(probe.answer_ms.values()),
        "sent→stored": [],
        "stored→processed": [],
        "processed→alert": [],
    }
    for key, (stored, processed, alerted) in rows.items():
        stages["sent→stored"].append((stored - probe.sent_wall[key]) * 1000)
        if processed is not None:
            stages["stored→processed"].append((processed - stored) * 1000)
        if processed is not None and alerted is not None:
            stages["processed→alert"].append((alerted - processed) * 1000)
    return {name: (percentile(v, 0.5), percentile(v, 0.95)) for name, v in stages.items() if v}


def stages_line(f: dict) -> str:
    parts = [f"{name} {ms(p50)}/{ms(p95)}" for name, (p50, p95) in f.get("stages", {}).items()]
    return f"{'':>6} probe stages p50/p95 ms: " + "; ".join(parts) if parts else ""


def capacity_run(system, args, scenario: Path) -> dict:
    """Rules applied per second while the processor always has work: a backlog is stored
    with the processor stopped, then the processor starts together with the same mixed load,
    and events applied in the load window (backlog and new) are set against the pushes
    accepted in it. Ratio above 1: it applies the rules faster than the webhook takes pushes."""
    system.fresh()
    system.start()
    try:
        system.warm_up()
        system.stop_processors()
        run_wrk(system.port, scenario, args.backlog_seconds, args.connections)
        backlog = system.queued()
        system.start_processors()
        system.wait_processors()
        t0 = now_utc()
        figures = wrk_figures(run_wrk(system.port, scenario, args.seconds, args.connections))
        t1 = now_utc()
        left = system.queued()
        counts = system.counts(t0, t1)
    finally:
        system.stop()
    applied_ps = counts["applied_in_window"] / (t1 - t0).total_seconds()
    return {
        "backlog_before": backlog,
        "left": left,
        "accepted_ps": figures["accepted_ps"],
        "applied_ps": applied_ps,
        "ratio": applied_ps / figures["accepted_ps"],
    }


def capacity_line(label: str, c: dict) -> str:
    return (
        f"{label:>6} capacity: backlog {c['backlog_before']:.0f} before, {c['left']:.0f} left; "
        f"accepted {c['accepted_ps']:.1f}/s, rules applied {c['applied_ps']:.1f}/s, "
        f"applied ÷ accepted {c['ratio']:.2f}"
    )


def _late_percentile(latencies: list[float], probe: AlertProbe, q: float) -> float | None:
    """A percentile that counts alerts not seen within the grace as infinitely late."""
    return percentile(latencies + [float("inf")] * probe.missing(), q)


def burst_run(system, args, scenario: Path) -> dict:
    system.fresh()
    system.start()
    try:
        system.warm_up()
        wrk = run_wrk(
            system.port,
            BENCH / "wrk_burst.lua",
            args.burst_max_seconds,
            args.connections,
            {"BURST_SCENARIO": str(scenario), "BURST_PUSHES": str(args.burst)},
        )
        ended = time.monotonic()
        backlog = system.queued()
        left = backlog
        while left and time.monotonic() - ended < args.drain_limit:
            time.sleep(0.5)
            left = system.queued()
        gone_after = time.monotonic() - ended
        stored = system.counts(now_utc(), now_utc())["stored"]
        occupancy_off = None if left else system.occupancy_off()
    finally:
        system.stop()
    return {
        "answered": wrk["ok2xx"],
        "errors": wrk["non2xx"] + wrk["app_errors"],
        "send_s": wrk["duration_s"],
        "rate": wrk["ok2xx"] / wrk["duration_s"],
        "backlog": backlog,
        "left": left,
        "gone_after": gone_after if not left else None,
        "drain_ps": (backlog - left) / gone_after if backlog else None,
        "stored": stored,
        "occupancy_off": occupancy_off,
        "capped": wrk["ok2xx"] < args.burst,
    }


# ---------------------------------------------------------------- report
LOAD_HEAD = (
    f"{'round':>6} {'system':<8} {'accept/s':>9} {'p50ms':>7} {'p99ms':>7} "
    f"{'non2xx':>6} {'apperr':>6} {'stored/acc':>14} {'applied/s':>9} {'backlog':>7} "
    f"{'alert p50':>9} {'alert p95':>9} {'probes':>9}"
)
BURST_HEAD = (
    f"{'round':>6} {'system':<8} {'answered':>8} {'errors':>6} {'send s':>7} "
    f"{'push/s':>7} {'stored':>6} {'backlog':>7} {'gone after s':>12} {'gone/send':>9} "
    f"{'drain/s':>7} {'occ off':>7}"
)


LEGEND = (
    'accept/s: 2xx answers not saying "status":"error", per second of wrk; '
    "stored/acc: rows stored / those answers (the in-flight requests wrk drops at the end "
    "are stored too); applied/s: Damanat events whose handlers finished in the load "
    "window (processed_at), the peer's rules run in the request; backlog: queued at the "
    "end of the load; alert p50/p95 ms: probe push → alert row, 'late' = not there "
    "within --probe-grace after the load; probes: sent, -not seen. Burst: backlog = "
    "queued when the last answer came; gone after = seconds from then until none is "
    "queued (or how many were left after --drain-limit); drain/s = backlog cleared per s; "
    "occ off = parking rows whose count is not entrances - exits stored (once drained)."
)


def ms(value: float | None) -> str:
    if value is None or value == float("inf"):
        return "late"
    return f"{value:,.0f}"


def load_line(label: str, name: str, f: dict) -> str:
    stored = f"{f['stored']:,.0f}/{f['accepted']:,.0f}"
    probes = f"{f['probes']:.0f}" + (f" -{f['probe_missing']:.0f}" if f["probe_missing"] else "")
    return (
        f"{label:>6} {name:<8} {f['accepted_ps']:9.1f} {f['p50']:7.1f} {f['p99']:7.1f} "
        f"{f['non2xx']:6.0f} {f['app_errors']:6.0f} {stored:>14} {f['applied_ps']:9.1f} "
        f"{f['backlog']:7.0f} {ms(f['alert_p50']):>9} {ms(f['alert_p95']):>9} {probes:>9}"
    )


def burst_line(label: str, name: str, b: dict) -> str:
    late = b["gone_after"] is None or b["gone_after"] == float("inf")
    gone = f"{b['left']:.0f} left" if late else f"{b['gone_after']:.1f}"
    ratio = "-" if late else f"{b['gone_after'] / b['send_s']:.2f}"
    drain = "-" if b["drain_ps"] is None else f"{b['drain_ps']:.1f}"
    off = "-" if b["occupancy_off"] is None else f"{b['occupancy_off']:.0f}/20"
    capped = "  (stopped at --burst-max-seconds)" if b["capped"] else ""
    return (
        f"{label:>6} {name:<8} {b['answered']:8.0f} {b['errors']:6.0f} {b['send_s']:7.1f} "
        f"{b['rate']:7.1f} {b['stored']:6.0f} {b['backlog']:7.0f} {gone:>12} {ratio:>9} "
        f"{drain:>7} {off:>7}{capped}"
    )


def ratios(peer: dict, dn: dict) -> dict:
    return {
        "ingest": dn["accepted_ps"] / peer["accepted_ps"],
        "applied_vs_accepted": dn["applied_ps"] / dn["accepted_ps"],
        "applied_vs_peer": dn["applied_ps"] / peer["answered_ps"],
    }


def ratio_line(label: str, r: dict) -> str:
    return (
        f"{label:>6} ratios: ingest (Damanat accepted/s ÷ peer) {r['ingest']:.2f}   "
        f"rules-applied ÷ accepted {r['applied_vs_accepted']:.2f}   "
        f"rules-applied ÷ peer answered {r['applied_vs_peer']:.2f}"
    )


def detail_line(name: str, f: dict) -> str:
    d = f["detail"]
    parts = d.get("statuses") or d.get("alerts")
    what = "statuses" if "statuses" in d else "alerts"
    return f"{'':>6} {name:<8} {what}: {dict(sorted(parts.items()))}" + (
        f"  probe answers not 200: {f['probe_failed']}" if f["probe_failed"] else ""
    )


LATE_IF_NONE = {"alert_p50", "alert_p95", "gone_after"}


def median_of(rows: list[dict], key: str):
    """Median over rounds; a latency that never came (None) counts as infinitely late."""
    if key in LATE_IF_NONE:
        return statistics.median(float("inf") if r[key] is None else r[key] for r in rows)
    values = [row[key] for row in rows if row[key] is not None]
    return statistics.median(values) if values else None


def medians(rows: list[dict]) -> dict:
    keys = [k for k in rows[0] if k not in ("detail", "stages")]
    return {k: median_of(rows, k) for k in keys}


def summary(loads: dict, bursts: dict, all_ratios: list[dict]) -> None:
    print(f"\nmedians over {len(all_ratios)} rounds")
    print(LOAD_HEAD)
    for name in ("peer", "damanat"):
        print(load_line("median", name, medians(loads[name])))
    print(ratio_line("median", {k: statistics.median(r[k] for r in all_ratios) for k in all_ratios[0]}))
    if bursts["damanat"]:
        print(BURST_HEAD)
        for name in ("peer", "damanat"):
            if bursts[name]:
                print(burst_line("median", name, medians(bursts[name])))


# ---------------------------------------------------------------- main
def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--seconds", type=int, default=20, help="length of each load run")
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--burst", type=int, default=5000, help="pushes per burst (0: no burst)")
    parser.add_argument("--burst-max-seconds", type=int, default=180)
    parser.add_argument(
        "--no-peer-burst",
        dest="peer_burst",
        action="store_false",
        help="burst Damanat only (its backlog is measured against its own send)",
    )
    parser.add_argument(
        "--drain-limit", type=float, default=120, help="longest wait for a burst's backlog to go"
    )
    parser.add_argument(
        "--probe-grace", type=float, default=20, help="longest wait for the probe's alerts after a load"
    )
    parser.add_argument("--processors", type=int, default=1, help="count passed to stack.processor_commands")
    parser.add_argument("--no-celery-worker", action="store_true")
    parser.add_argument("--peer", choices=["patched", "seed"], default="patched")
    parser.add_argument(
        "--backlog-seconds",
        type=float,
        default=10,
        help="capacity run: seconds of load stored with the processor stopped (0: none)",
    )
    parser.add_argument("--damanat-only", action="store_true", help="tuning runs: Damanat alone, no ratios")
    parser.add_argument("--peer-log-level", default="WARNING")
    parser.add_argument("--peer-db", default="postgresql://postgres@127.0.0.1:5432/peer_dn")
    parser.add_argument("--damanat-port", type=int, default=8801)
    parser.add_argument("--peer-port", type=int, default=8802)
    args = parser.parse_args()
    if args.seconds + args.probe_grace >= PROBE_ZONES - 1:
        parser.error(f"the probe has {PROBE_ZONES - 1} zones: keep --seconds + --probe-grace below")
    return args


def main() -> None:
    args = parse_args()
    print(f"loadavg at start: {loadavg()}", flush=True)
    peer = Peer(args.peer_port, args.peer_db, args.peer, args.peer_log_level)
    damanat = Damanat(args.damanat_port, args.processors, not args.no_celery_worker)
    peer.build_template()
    damanat.build_template()
    scenario = peer.wrk_dir / "mixed.lua"
    print(LEGEND)
    print(
        f"mixed scenario {scenario}, {args.connections} connections, {args.seconds} s a load, "
        f"peer {args.peer}, {args.rounds} rounds, interleaved\n{LOAD_HEAD}",
        flush=True,
    )
    loads, bursts, all_ratios = {"peer": [], "damanat": []}, {"peer": [], "damanat": []}, []
    capacities: list[dict] = []
    for n in range(1, args.rounds + 1):
        for system in (damanat,) if args.damanat_only else (peer, damanat):
            figures = load_run(system, args, scenario)
            loads[system.name].append(figures)
            print(load_line(str(n), system.name, figures), flush=True)
            print(detail_line(system.name, figures), flush=True)
            if figures.get("stages"):
                print(stages_line(figures), flush=True)
        if args.backlog_seconds:
            capacities.append(capacity_run(damanat, args, scenario))
            print(capacity_line(str(n), capacities[-1]), flush=True)
        if args.damanat_only:
            continue
        all_ratios.append(ratios(loads["peer"][-1], loads["damanat"][-1]))
        print(ratio_line(str(n), all_ratios[-1]), flush=True)
        if args.burst:
            print(BURST_HEAD, flush=True)
            for system in (peer, damanat) if args.peer_burst else (damanat,):
                bursts[system.name].append(burst_run(system, args, scenario))
                print(burst_line(str(n), system.name, bursts[system.name][-1]), flush=True)
            if n < args.rounds:
                print(LOAD_HEAD, flush=True)
    if all_ratios:
        summary(loads, bursts, all_ratios)
    if capacities:
        print(
            f"median capacity ratio (rules applied ÷ accepted, with a backlog): "
            f"{statistics.median(c['ratio'] for c in capacities):.2f}"
        )
    print(f"loadavg at end: {loadavg()}", flush=True)


if __name__ == "__main__":
    main()
