"""Load-test POST /v1/extract: N concurrent clients on loopback for a bounded time (`make bench-api`).

Starts `rasd serve` in its own process (unless --url is given), warms it up, then runs the clients
from this process (one keep-alive connection per client thread) and prints requests/s and latency
percentiles. Why a separate server process: the numbers must include HTTP and JSON costs and must not
share this process's interpreter lock with the load generator.

    python scripts/bench_api.py [--clients 8] [--duration 15] [--jobs N] [--text FILE] [--json]
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import socket
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path
from urllib.parse import urlparse

REPO = Path(__file__).resolve().parents[1]
EXAMPLE = REPO.parent / "shared" / "examples" / "idlib-2020.txt"
# Used when ../shared is absent: a short report written for this project.
FALLBACK = ("أعلنت وزارة الدفاع الروسية، اليوم الخميس، مقتل 12 مسلحاً في غارات جوية على مدينة إدلب شمال غرب سوريا. "
            "ونفى المرصد السوري لحقوق الإنسان وقوع الغارات على مدينة إدلب. وقال المرصد إن اشتباكات عنيفة دارت أمس "
            "في مدينة حلب بين قوات النظام وفصائل المعارضة، ما أدى إلى مقتل 7 عناصر من قوات النظام.")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_server(port: int, jobs: int | None) -> subprocess.Popen:
    cmd = [sys.executable, "-m", "rasd.cli", "serve", "--host", "127.0.0.1", "--port", str(port), "--db", ""]
    if jobs is not None:
        cmd += ["--jobs", str(jobs)]
    return subprocess.Popen(cmd, cwd=REPO, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)


def wait_ready(host: str, port: int, timeout: float = 60.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            conn = http.client.HTTPConnection(host, port, timeout=2)
            conn.request("GET", "/healthz")
            if conn.getresponse().status == 200:
                return
        except OSError:
            time.sleep(0.2)
    raise SystemExit(f"server on {host}:{port} did not answer /healthz within {timeout:.0f} s")


def post(conn: http.client.HTTPConnection, body: bytes) -> int:
    conn.request("POST", "/v1/extract", body=body, headers={"Content-Type": "application/json"})
    resp = conn.getresponse()
    resp.read()
    return resp.status


def run_load(host: str, port: int, payload: dict, clients: int, duration: float, vary: bool) -> dict:
    latencies: list[float] = []
    errors: list[str] = []
    lock = threading.Lock()
    stop_at = time.monotonic() + duration

    def client(n: int) -> None:
        conn = http.client.HTTPConnection(host, port, timeout=60)
        mine: list[float] = []
        i = 0
        while time.monotonic() < stop_at:
            i += 1
            # A distinct id per request: the server's result cache never answers, every request is extracted.
            body = json.dumps({**payload, "id": f"bench-{n}-{i}"} if vary else payload, ensure_ascii=False).encode()
            t0 = time.perf_counter()
            try:
                status = post(conn, body)
            except OSError as exc:
                with lock:
                    errors.append(str(exc))
                conn = http.client.HTTPConnection(host, port, timeout=60)
                continue
            mine.append(time.perf_counter() - t0)
            if status != 200:
                with lock:
                    errors.append(f"HTTP {status}")
        with lock:
            latencies.extend(mine)

    threads = [threading.Thread(target=client, args=(n,)) for n in range(clients)]
    t0 = time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    wall = time.perf_counter() - t0
    latencies.sort()

    def pct(p: float) -> float:
        return latencies[min(len(latencies) - 1, int(p * len(latencies)))] * 1000 if latencies else float("nan")

    return {"clients": clients, "duration_s": round(wall, 2), "requests": len(latencies), "errors": len(errors),
            "requests_per_s": round(len(latencies) / wall, 1), "p50_ms": round(pct(0.50), 1),
            "p90_ms": round(pct(0.90), 1), "p99_ms": round(pct(0.99), 1),
            "max_ms": round(latencies[-1] * 1000, 1) if latencies else None,
            "mean_ms": round(statistics.fmean(latencies) * 1000, 1) if latencies else None}


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--clients", type=int, default=8)
    ap.add_argument("--duration", type=float, default=15.0, help="seconds of load")
    ap.add_argument("--jobs", type=int, default=None,
                    help="the server's extraction processes (default: its own default, one per CPU)")
    ap.add_argument("--text", type=Path, help="article to post (default: the example from ../shared)")
    ap.add_argument("--published", default="2020-01-16")
    ap.add_argument("--url", help="benchmark a running server instead of starting one")
    ap.add_argument("--json", action="store_true", help="print the result as JSON")
    ap.add_argument("--repeat", action="store_true",
                    help="post the identical request every time (measures the server's result cache)")
    args = ap.parse_args()

    if args.text:
        text, label = args.text.read_text(encoding="utf-8"), args.text.name
    elif EXAMPLE.exists():
        text, label = EXAMPLE.read_text(encoding="utf-8"), EXAMPLE.name
    else:
        text, label = FALLBACK, "built-in sample (../shared absent)"
    payload = {"text": text, "published": args.published, "outlet": "bench"}

    server = None
    if args.url:
        u = urlparse(args.url)
        host, port = u.hostname or "127.0.0.1", u.port or 80
    else:
        host, port = "127.0.0.1", free_port()
        server = start_server(port, args.jobs)
    try:
        wait_ready(host, port)
        # Lexicons and the gazetteer load on first use in each server process: warm every worker.
        warm = run_load(host, port, payload, args.clients, 3.0, vary=True)
        if warm["errors"] or not warm["requests"]:
            raise SystemExit("the server refused the benchmark article")
        result = run_load(host, port, payload, args.clients, args.duration, vary=not args.repeat)
    finally:
        if server is not None:
            server.terminate()
            server.wait(timeout=10)
    result.update(article=label, chars=len(text), jobs=(args.jobs if args.jobs is not None else os.cpu_count()) if server else None,
                  cpus=os.cpu_count(), cached=args.repeat, load_avg=round(os.getloadavg()[0], 2))
    if args.json:
        print(json.dumps(result))
    else:
        print(f"POST /v1/extract  {label} ({len(text):,} chars), {args.clients} clients, "
              f"{result['duration_s']} s, extraction processes: {result['jobs']}, CPUs: {result['cpus']}, "
              f"{'identical requests (result cache)' if args.repeat else 'distinct ids (no cache hits)'}, "
              f"load average {result['load_avg']}")
        print(f"  {result['requests']} requests, {result['errors']} errors, {result['requests_per_s']} req/s")
        print(f"  latency ms: p50 {result['p50_ms']}  p90 {result['p90_ms']}  p99 {result['p99_ms']}  "
              f"max {result['max_ms']}")
        print(f"  target p99 <= 250 ms: {'met' if result['p99_ms'] <= 250 else 'NOT met'}")
    return 0 if result["errors"] == 0 else 1


if __name__ == "__main__":
    raise SystemExit(main())
