#!/usr/bin/env bash
# The outbox drained: 10,000 reminders due at one moment across 100 plans,
# sent to a Standard Webhooks receiver on 127.0.0.1 (tests/tools/robot_stub.py).
# Reports messages per second (as the receiver counts them), outbox rows
# settled per second, xun serve's peak RSS, and the time from a re-plan that
# moves an occurrence to its change notice reaching the receiver.
# XUN_BENCH_PLANS / XUN_BENCH_PER_PLAN change the size.
set -euo pipefail
cd "$(dirname "$0")/.."
exec /usr/bin/python3 - "$@" <<'PY'
import json, os, socket, subprocess, sys, tempfile, time, urllib.request

xun = os.environ.get("XUN_BINARY", "build-bench/app/xun")
plans = int(os.environ.get("XUN_BENCH_PLANS", "100"))
per_plan = int(os.environ.get("XUN_BENCH_PER_PLAN", "100"))
work = tempfile.mkdtemp(prefix="xun-delivery-bench-")
secret = "whsec_c2VjcmV0LWtleS1mb3Itd2ViaG9va3M="

def free_port():
    s = socket.socket(); s.bind(("127.0.0.1", 0)); p = s.getsockname()[1]; s.close(); return p

stub = subprocess.Popen(["/usr/bin/python3", "tests/tools/robot_stub.py", "--port", "0",
                         "--log", f"{work}/stub.jsonl", "--secret", f"/webhook={secret}"],
                        stdout=subprocess.PIPE, stderr=open(f"{work}/stub.err", "w"), text=True)
stub_port = int(stub.stdout.readline())
port = free_port()
# 2026-01-06 08:29:30 in Shanghai, clock running at real speed: every
# reminder (09:00 starts, 30m before) falls due 30 s after the start.
start = 1767225600 + 5 * 86400 + 29 * 60 + 30
env = dict(os.environ, XUN_ADMIN_TOKEN="bench", XUN_NOW=f"{start}+")
serve = subprocess.Popen([xun, "serve", "--db", f"{work}/bench.db", "--host", "127.0.0.1",
                          "--port", str(port)], env=env,
                         stdout=open(f"{work}/serve.log", "w"), stderr=subprocess.STDOUT)

def call(method, path, body=None, ctype="application/json"):
    data = None if body is None else (body if isinstance(body, bytes) else body.encode())
    req = urllib.request.Request(f"http://127.0.0.1:{port}{path}", data=data, method=method,
                                 headers={"Authorization": "Bearer bench", "Content-Type": ctype})
    with urllib.request.urlopen(req, timeout=60) as r:
        return json.loads(r.read() or b"null")

def received():
    try:
        with open(f"{work}/stub.jsonl") as f:
            return [json.loads(l) for l in f if l.strip()]
    except FileNotFoundError:
        return []

def peak_rss_mb():
    with open(f"/proc/{serve.pid}/status") as f:
        for line in f:
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    return 0

def plan_text(n, moved=False):
    lines = [f"id: bench-{n}", f"plan: 支部{n}", "year: 2026", "activities:"]
    for i in range(per_plan):
        lines.append(f"  - {{id: a{i}, title: 活动{i}, when: 2026-01-06, at: \"09:00\", "
                     f"duration: 1h, reminders: [30m]}}")
    # Beyond the re-plan's freeze (2 days) and within the 30 days of change notices.
    day = "2026-01-21" if moved else "2026-01-20"
    lines.append(f"  - {{id: later, title: 组织生活会, when: {day}, at: \"14:30\", duration: 1h}}")
    return "\n".join(lines) + "\n"

try:
    for _ in range(100):
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=1); break
        except Exception:
            time.sleep(0.1)
    channel = call("POST", "/api/channels", json.dumps(
        {"type": "webhook", "name": "bench", "url": f"http://127.0.0.1:{stub_port}/webhook/b",
         "secret": secret}))["id"]
    t0 = time.time()
    for n in range(plans):
        call("POST", "/api/plans", plan_text(n), "application/yaml")
        call("PUT", f"/api/plans/bench-{n}/notify", json.dumps({"channels": [channel]}))
    setup = time.time() - t0
    total = plans * per_plan
    while time.time() < t0 + 600 and not received():
        time.sleep(0.05)
    first = time.time()
    while time.time() < first + 600 and len(received()) < total:
        time.sleep(0.2)
    drained = time.time() - first
    got = received()
    ids = [m["headers"]["webhook-id"] for m in got]
    settled = sum(1 for n in range(plans)
                  for r in call("GET", f"/api/plans/bench-{n}/outbox")["outbox"]
                  if r["status"] in ("sent", "failed", "unknown"))
    # A re-plan that moves one occurrence, to its change notice at the receiver.
    before = len(received())
    t1 = time.time()
    call("PUT", "/api/plans/bench-0", plan_text(0, moved=True), "application/yaml")
    while time.time() < t1 + 120 and not any("/change/" in m["headers"]["webhook-id"]
                                             for m in received()[before:]):
        time.sleep(0.01)
    notice = time.time() - t1
    print(f"plans {plans} x {per_plan} reminders = {total} due at once; setup {setup:.1f} s")
    print(f"received {len(got)} messages ({len(set(ids))} distinct) in {drained:.1f} s: "
          f"{len(got) / max(drained, 1e-9):.0f} messages/s")
    print(f"outbox rows settled {settled}: {settled / max(drained, 1e-9):.0f} rows/s")
    print(f"xun serve peak RSS {peak_rss_mb():.0f} MB")
    print(f"re-plan to change notice received: {notice * 1000:.0f} ms")
finally:
    serve.terminate(); stub.terminate()
    serve.wait(); stub.wait()
PY
