#!/usr/bin/env python3
"""Redis commands one job costs in the enqueue and complete-and-claim scripts (INFO commandstats of a scratch
redis-server on a free loopback port): the scripts of the working tree against those of a git ref (default main), for
a job without a unique key, then the working tree's for a job with one (scope active).
Usage: bench/unique-commands.py [ref]   (needs redis-server and redis-cli on PATH)"""
import re, socket, subprocess, sys, tempfile, time

def assemble(lua, name, included):
    text = open(f"{lua}/{name}.lua").read()
    def insert(m):
        if m.group(1) in included:
            return ""
        included.add(m.group(1))
        return assemble(lua, m.group(1), included)
    return re.sub(r'^--- @include "([\w/-]+)"[ \t]*$', insert, text, flags=re.M).replace("#!lua", "--!lua", 1)

def cli(port, *args):
    return subprocess.run(["redis-cli", "-p", str(port)] + [str(a) for a in args], capture_output=True,
                          text=True, check=True).stdout

def commands(port):
    calls = {}
    for m in re.finditer(r"cmdstat_([\w|]+):calls=(\d+)", cli(port, "INFO", "commandstats")):
        if m.group(1) not in ("info", "config|resetstat", "eval"):
            calls[m.group(1)] = int(m.group(2))
    cli(port, "CONFIG", "RESETSTAT")
    return calls

def one_job(lua, port, unique):
    b, ulid = "conveyor:{q}:", "01ARZ3NDEKTSV4RRFFQ69G5FAV"
    cli(port, "FLUSHALL")
    cli(port, "CONFIG", "RESETSTAT")
    keys = [b + s for s in ("job:", "ready", "scheduled", "all", "seq", "marker", "stats", "idem-keys", "events",
                            "events:listening", "job:" + ulid, "job:" + ulid)]
    per_job = [ulid, "echo", "5", "{}", "3", "", "0", "0", "0", "", "", ""]
    fields = int(re.search(r"local fields = (\d+)", open(f"{lua}/enqueue.lua").read()).group(1))
    per_job += (["k1", "active", "3600000"] if unique else []) + [""] * (fields - len(per_job) - (3 if unique else 0))
    cli(port, "EVAL", assemble(lua, "enqueue", set()), len(keys), *keys, "1700000000000", "86400000", "0", *per_job)
    enqueue = commands(port)
    cac = assemble(lua, "complete-and-claim", set())
    ckeys = [b + s for s in ("job:", "ready", "scheduled", "retry", "active", "seq", "marker", "paused", "succeeded",
                             "stats", "cancelled", "all", "idem:", "trimmed", "idem-keys", "events", "events:listening")]
    limits = ["30000", "tok", "1", "100", "1000", "1000", "1000"]
    cli(port, "EVAL", cac, len(ckeys), *ckeys, *limits, "0")
    claim = commands(port)
    limits[2] = "0"
    cli(port, "EVAL", cac, len(ckeys), *ckeys, *limits, "1", ulid, "tok", "{}")
    return enqueue, claim, commands(port)

ref = sys.argv[1] if len(sys.argv) > 1 else "main"
with tempfile.TemporaryDirectory() as base:
    subprocess.run(f"git archive {ref} src/main/resources/lua | tar -x -C {base}", shell=True, check=True)
    s = socket.socket(); s.bind(("127.0.0.1", 0)); port = s.getsockname()[1]; s.close()
    server = subprocess.Popen(["redis-server", "--port", str(port), "--bind", "127.0.0.1", "--save", "",
                               "--appendonly", "no"], stdout=subprocess.DEVNULL)
    try:
        time.sleep(0.5)
        runs = ((f"{ref}, plain job", f"{base}/src/main/resources/lua", False),
                ("working tree, plain job", "src/main/resources/lua", False),
                ("working tree, unique job", "src/main/resources/lua", True))
        for label, lua, unique in runs:
            for step, calls in zip(("enqueue", "claim", "complete"), one_job(lua, port, unique)):
                print(f"{label:26} {step:9} {sum(calls.values()):3} commands  {dict(sorted(calls.items()))}")
    finally:
        server.terminate()
