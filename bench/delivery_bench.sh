#!/usr/bin/env bash
# The outbox drained: 10,000 reminders due at one moment across 100 plans,
# sent to a Standard Webhooks receiver on 127.0.0.1 (tests/tools/robot_stub.py),
# by 1 replica on SQLite, 1 replica on PostgreSQL and 2 replicas of `xun serve`
# on one PostgreSQL database (a throwaway cluster, tests/tools/with-postgres.sh,
# fsync on; one XUN_SECRET_KEY for both). Reports per setup: messages per second
# (as the receiver counts them), distinct messages (a duplicate is a bug), the
# time to drain, outbox rows settled, each replica's peak RSS and share of the
# sends, and the time from a re-plan that moves an occurrence to its change
# notice reaching the receiver.
# XUN_BENCH_PLANS / XUN_BENCH_PER_PLAN change the size; XUN_BENCH_SETUPS picks
# setups (default "sqlite pg1 pg2"); XUN_BENCH_LEAD_SECONDS (default 30) is the
# time from start to the reminders falling due, which must cover creating the plans.
set -euo pipefail
cd "$(dirname "$0")/.."
exec /usr/bin/python3 - "$@" <<'PY'
import json, os, shutil, signal, socket, subprocess, sys, tempfile, time, urllib.request

xun = os.path.realpath(os.environ.get("XUN_BINARY", "build-bench/app/xun"))
plans = int(os.environ.get("XUN_BENCH_PLANS", "100"))
per_plan = int(os.environ.get("XUN_BENCH_PER_PLAN", "100"))
lead = int(os.environ.get("XUN_BENCH_LEAD_SECONDS", "30"))
setups = os.environ.get("XUN_BENCH_SETUPS", "sqlite pg1 pg2").split()
work = tempfile.mkdtemp(prefix="xun-delivery-bench-")
os.chmod(work, 0o777)  # the PostgreSQL cluster runs as `postgres` when we are root
secret = "whsec_c2VjcmV0LWtleS1mb3Itd2ViaG9va3M="
seal_key = "b" * 64  # every replica must unseal the channel's secret
children = []  # every process started, stopped in `finally` whatever happens
pg_state = f"{work}/pg"
pg_started = False

# SIGTERM (a CI timeout, kill) runs the cleanup too.
signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))

def free_port():
    s = socket.socket(); s.bind(("127.0.0.1", 0)); p = s.getsockname()[1]; s.close(); return p

def wait_healthy(port):
    for _ in range(300):
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=1); return
        except Exception:
            time.sleep(0.1)
    raise RuntimeError(f"xun serve on port {port} did not answer /healthz")

class Log:
    """The receiver's JSONL log, read incrementally (10,000 lines re-read
    every poll would compete with the replicas for the CPU)."""
    def __init__(self, path):
        self.path, self.offset, self.messages = path, 0, []
    def read(self):
        try:
            with open(self.path, "rb") as f:
                f.seek(self.offset)
                while True:
                    line = f.readline()
                    if not line.endswith(b"\n"):
                        break  # a line being written: read it next time
                    self.offset += len(line)
                    if line.strip():
                        self.messages.append(json.loads(line))
        except FileNotFoundError:
            pass
        return self.messages

def start_stub(name):
    stub = subprocess.Popen(["/usr/bin/python3", "tests/tools/robot_stub.py", "--port", "0",
                             "--log", f"{work}/{name}-stub.jsonl", "--secret", f"/webhook={secret}"],
                            stdout=subprocess.PIPE, stderr=open(f"{work}/{name}-stub.err", "w"),
                            text=True)
    children.append(stub)
    return int(stub.stdout.readline()), Log(f"{work}/{name}-stub.jsonl")

def start_replicas(name, db, count, clock_start):
    env = dict(os.environ, XUN_ADMIN_TOKEN="bench", XUN_NOW=f"{clock_start}+",
               XUN_SECRET_KEY=seal_key)
    replicas = []
    for i in range(count):
        port = free_port()
        p = subprocess.Popen([xun, "serve", "--db", db, "--host", "127.0.0.1", "--port", str(port)],
                             env=env, cwd=work, stdout=open(f"{work}/{name}-serve{i}.log", "w"),
                             stderr=subprocess.STDOUT)
        children.append(p)
        replicas.append((p, port))
    for _, port in replicas:
        wait_healthy(port)
    return replicas

def call(port, method, path, body=None, ctype="application/json"):
    data = None if body is None else (body if isinstance(body, bytes) else body.encode())
    req = urllib.request.Request(f"http://127.0.0.1:{port}{path}", data=data, method=method,
                                 headers={"Authorization": "Bearer bench", "Content-Type": ctype})
    with urllib.request.urlopen(req, timeout=60) as r:
        return json.loads(r.read() or b"null")

def proc_status_mb(pid, field):
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith(field + ":"):
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

def start_postgres():
    """The cluster's base URL, or None (and why, printed) when it cannot run here."""
    global pg_started
    env = dict(os.environ, XUN_TEST_PG_FSYNC="on")
    done = subprocess.run(["tests/tools/with-postgres.sh", "start", pg_state], env=env,
                          stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    pg_started = True
    if done.returncode != 0:
        why = open(f"{pg_state}/skip").read().strip() if os.path.exists(f"{pg_state}/skip") \
            else f"with-postgres.sh exited {done.returncode}"
        print(f"delivery_bench: PostgreSQL could not be started ({why}); PostgreSQL setups skipped")
        return None
    return open(f"{pg_state}/url").read().strip()

def pg_database(base_url, name):
    subprocess.run(["psql", base_url, "-qc", f"CREATE DATABASE {name}"], check=True,
                   stdout=subprocess.DEVNULL)
    return base_url.replace("/postgres?", f"/{name}?")

def sends_by_replica(db, replicas):
    """How many rows each replica sent (PostgreSQL keeps the lease owner, host:pid:nonce)."""
    out = subprocess.run(["psql", db, "-Atc", "SELECT split_part(lease_owner, ':', 2), count(*) "
                          "FROM outbox WHERE status = 'sent' GROUP BY 1"],
                         check=True, capture_output=True, text=True).stdout
    counts = dict(line.split("|") for line in out.split())
    return [int(counts.get(str(p.pid), 0)) for p, _ in replicas]

def measure(label, name, db, count):
    stub_port, log = start_stub(name)
    # 2026-01-06 in Shanghai, clock running at real speed: every reminder
    # (09:00 starts, 30m before, so 08:30) falls due `lead` seconds after the start.
    clock_start = 1767225600 + 5 * 86400 + 30 * 60 - lead
    replicas = start_replicas(name, db, count, clock_start)
    ports = [port for _, port in replicas]
    channel = call(ports[0], "POST", "/api/channels", json.dumps(
        {"type": "webhook", "name": "bench", "url": f"http://127.0.0.1:{stub_port}/webhook/b",
         "secret": secret}))["id"]
    t0 = time.time()
    for n in range(plans):  # the writes spread over the replicas, as nginx would
        port = ports[n % count]
        call(port, "POST", "/api/plans", plan_text(n), "application/yaml")
        call(port, "PUT", f"/api/plans/bench-{n}/notify", json.dumps({"channels": [channel]}))
    setup = time.time() - t0
    total = plans * per_plan
    while time.time() < t0 + lead + 600 and not log.read():
        time.sleep(0.05)
    first = time.time()
    while time.time() < first + 900 and len(log.read()) < total:
        time.sleep(0.2)
    got = log.read()[:]
    times = [m["time"] for m in got]
    drained = max(times) - min(times) if got else 0
    ids = [m["headers"]["webhook-id"] for m in got]
    statuses = {}
    for n in range(plans):
        for r in call(ports[n % count], "GET", f"/api/plans/bench-{n}/outbox")["outbox"]:
            statuses[r["status"]] = statuses.get(r["status"], 0) + 1
    settled = sum(statuses.get(s, 0) for s in ("sent", "failed", "unknown"))
    rss_drained = [proc_status_mb(p.pid, "VmRSS") for p, _ in replicas]
    shares = sends_by_replica(db, replicas) if db.startswith("postgres") and count > 1 else None
    # A re-plan that moves one occurrence (through the last replica), to its
    # change notice at the receiver.
    before = len(log.read())
    t1 = time.time()
    call(ports[-1], "PUT", "/api/plans/bench-0", plan_text(0, moved=True), "application/yaml")
    while time.time() < t1 + 120 and not any("/change/" in m["headers"]["webhook-id"]
                                             for m in log.read()[before:]):
        time.sleep(0.01)
    notice = time.time() - t1
    time.sleep(2)  # anything else the re-plan sends (it should send nothing more)
    resent = [m for m in log.read()[before:] if "/change/" not in m["headers"]["webhook-id"]]
    duplicates = len(ids) - len(set(ids))
    print(f"-- {label}: {plans} plans x {per_plan} reminders = {total} due at once; "
          f"setup {setup:.1f} s" + (f" (LONGER than the {lead} s lead: raise "
                                   f"XUN_BENCH_LEAD_SECONDS)" if setup > lead else ""))
    print(f"received {len(got)} messages ({len(set(ids))} distinct) in {drained:.1f} s: "
          f"{len(got) / max(drained, 1e-9):.0f} messages/s")
    if duplicates or len(set(ids)) != total:
        print(f"PROBLEM: {duplicates} duplicates, {total - len(set(ids))} missing "
              f"(outbox: {json.dumps(statuses, sort_keys=True)})")
    print(f"outbox rows settled {settled}: {settled / max(drained, 1e-9):.0f} rows/s")
    for i, (p, _) in enumerate(replicas):
        print(f"replica {i + 1}: peak RSS {proc_status_mb(p.pid, 'VmHWM'):.0f} MB, "
              f"RSS {rss_drained[i]:.0f} MB once drained")
    if shares:
        print("sent by replica: " + " / ".join(str(c) for c in shares))
    print(f"re-plan to change notice received: {notice * 1000:.0f} ms")
    if resent:
        print(f"PROBLEM: the re-plan sent {len(resent)} reminders again")
    sys.stdout.flush()

def stop(processes):
    for p in processes:
        if p.poll() is None:
            p.terminate()
    for p in processes:
        try:
            p.wait(timeout=20)
        except subprocess.TimeoutExpired:
            p.kill(); p.wait()

try:
    pg_url = None
    for setup_name in setups:
        if setup_name == "sqlite":
            measure("sqlite, 1 replica", "sqlite", f"{work}/bench.db", 1)
        elif setup_name in ("pg1", "pg2"):
            if not pg_started:
                pg_url = start_postgres()
            if pg_url:
                count = int(setup_name[2:])
                measure(f"postgresql, {count} replica{'s' if count > 1 else ''}", setup_name,
                        pg_database(pg_url, f"drain_{setup_name}"), count)
        else:
            print(f"delivery_bench: unknown setup '{setup_name}' (sqlite, pg1 or pg2)")
        stop(children); children.clear()
finally:
    stop(children)
    if pg_started:
        subprocess.run(["tests/tools/with-postgres.sh", "stop", pg_state],
                       env=dict(os.environ, XUN_TEST_PG_FSYNC="on"),
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    shutil.rmtree(work, ignore_errors=True)
PY
