#!/usr/bin/env python3
"""Redis CPU of GET /stats?minutes=60 over 100 queues: the reads it sent when throughput was counted with ZCOUNTs over
the retained finished jobs (2 + 2 x 60 commands a queue), against the reads of the per-minute counters the workers'
heartbeat stores (3 a queue). Starts its own redis-server on a loopback port, fills 100 queues as retention leaves them
(1,000 succeeded and 1,000 failed jobs each, a full hour of counters), sends each set of reads as one pipeline, and
reads Redis' own time per command from INFO commandstats. Pairs run back to back. Usage: python3 bench/stats-redis-cost.py
"""
import re
import socket
import subprocess
import time

PORT, QUEUES, MINUTES, PAIRS = 16399, 100, 60, 10


def resp(*args):
    out = b"*%d\r\n" % len(args)
    for arg in args:
        arg = str(arg).encode()
        out += b"$%d\r\n%s\r\n" % (len(arg), arg)
    return out


class Connection:
    def __init__(self, port):
        self.sock = socket.create_connection(("127.0.0.1", port))
        self.file = self.sock.makefile("rb")

    def reply(self):
        line = self.file.readline()[:-2]
        kind, rest = line[:1], line[1:]
        if kind == b"$":
            return None if int(rest) < 0 else self.file.read(int(rest) + 2)[:-2]
        if kind == b"*":
            return [self.reply() for _ in range(max(int(rest), 0))]
        return rest

    def pipeline(self, commands):
        self.sock.sendall(b"".join(resp(*c) for c in commands))
        return [self.reply() for _ in commands]

    def read_usec(self, names):
        info = self.pipeline([["INFO", "commandstats"]])[0].decode()
        return sum(int(m.group(2)) for m in re.finditer(r"cmdstat_(\w+):calls=\d+,usec=(\d+)", info)
                   if m.group(1) in names)


def main():
    server = subprocess.Popen(["redis-server", "--port", str(PORT), "--bind", "127.0.0.1", "--save", "",
                               "--appendonly", "no"], stdout=subprocess.DEVNULL)
    try:
        deadline = time.time() + 10
        while True:
            try:
                redis = Connection(PORT)
                break
            except OSError:
                if time.time() > deadline:
                    raise
                time.sleep(0.05)
        now = int(time.time() * 1000)
        minute = now // 60000
        for q in range(QUEUES):
            key = "conveyor:{q%d}:" % q
            fill = []
            for status in ("succeeded", "failed"):
                fill.append(["ZADD", key + status] + [x for j in range(1000) for x in (now - j * 3600, "j%d" % j)])
            fill.append(["HSET", key + "throughput"] + [x for m in range(61) for s in "sf"
                                                        for x in ("%d:%s" % (minute - m, s), 7)])
            fill.append(["HSET", key + "stats"] + [x for t in range(4) for e in ("enqueued", "succeeded", "failed")
                                                   for x in ("t%d:%s" % (t, e), 5)])
            redis.pipeline(fill)
        start = now - now % 60000
        zcounts, counters = [], []
        for q in range(QUEUES):
            key = "conveyor:{q%d}:" % q
            common = [["HGETALL", key + "stats"], ["LRANGE", key + "recent-failures", 0, 19]]
            zcounts += common
            for m in range(MINUTES):
                since = start - m * 60000
                until = "+inf" if m == 0 else "(%d" % (since + 60000)
                zcounts += [["ZCOUNT", key + "succeeded", since, until], ["ZCOUNT", key + "failed", since, until]]
            counters += common + [["HGETALL", key + "throughput"]]
        names = {"zcount", "hgetall", "lrange"}
        print("GET /stats?minutes=%d over %d queues: %d Redis commands with ZCOUNTs, %d with counters"
              % (MINUTES, QUEUES, len(zcounts), len(counters)))
        for pair in range(1, PAIRS + 1):
            figures = []
            for commands in (zcounts, counters):
                before = redis.read_usec(names)
                redis.pipeline(commands)
                figures.append((redis.read_usec(names) - before) / 1000)
            print("pair %d: Redis CPU %.2f ms with ZCOUNTs, %.2f ms with counters" % (pair, *figures))
    finally:
        server.terminate()
        server.wait(10)


if __name__ == "__main__":
    main()
