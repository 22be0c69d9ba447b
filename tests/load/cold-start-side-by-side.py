#!/usr/bin/env python3
"""Cold starts of several Lambda bootstraps side by side, measured (not asserted), on one independent Runtime API.

    tests/load/cold-start-side-by-side.py [--rounds 25] [--warm 40] [--event events/hello.json] BOOTSTRAP...

Each round starts every bootstrap once, in turn (interleaved, so a busy moment of the machine falls on all of them),
serves it the event, then --warm more invocations of the same event, and stops it. The Runtime API here is a small
Python server of our own, not serve's emulator: the same for every client, so only the clients differ. Per bootstrap
it prints the medians of init (spawn until the first /next), cold (spawn until the first response), first invocation
(first /next answered until the response), peak RSS (VmHWM) and the warm invocations' p50 and p99 (event sent until
the response arrived), and the file's size.
"""
import argparse
import http.server
import os
import socket
import socketserver
import statistics
import subprocess
import threading
import time

parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
parser.add_argument("--rounds", type=int, default=25)
parser.add_argument("--warm", type=int, default=40, help="warm invocations after each cold one")
parser.add_argument("--event", default=os.path.join(os.path.dirname(__file__), "..", "..", "events", "hello.json"))
parser.add_argument("bootstraps", nargs="+")
args = parser.parse_args()

with open(args.event, "rb") as f:
    EVENT = f.read()

# One instance at a time: the handler threads record into the running one's state.
state = {}


class RuntimeApi(socketserver.ThreadingMixIn, http.server.HTTPServer):
    daemon_threads = True


class Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, *_):
        pass

    def setup(self):
        super().setup()
        # Headers and body go out as written: without it, Nagle's algorithm holds the body for the client's ACK, and a
        # client that delays its ACKs waits 40 ms for every event.
        self.connection.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)

    def do_GET(self):
        now = time.perf_counter_ns()
        served = state.setdefault("served", 0)
        if served > args.warm:
            state["done"].set()
            time.sleep(5)  # the long poll of an idle instance: it is stopped meanwhile
            return
        state["served"] = served + 1
        if served == 0:
            state["first_next"] = now
        self.send_response(200)
        self.send_header("Lambda-Runtime-Aws-Request-Id", f"request-{served}")
        self.send_header("Lambda-Runtime-Deadline-Ms", str(int(time.time() * 1000) + 30000))
        self.send_header("Lambda-Runtime-Invoked-Function-Arn", "arn:aws:lambda:us-east-1:123456789012:function:side-by-side")
        self.send_header("Lambda-Runtime-Trace-Id", "Root=1-00000000-000000000000000000000000;Sampled=0")
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(EVENT)))
        self.end_headers()
        self.wfile.write(EVENT)
        self.wfile.flush()
        state["sent"] = time.perf_counter_ns()

    def do_POST(self):
        now = time.perf_counter_ns()
        self.rfile.read(int(self.headers.get("Content-Length", 0)))
        if "first_response" not in state:
            state["first_response"] = now
        else:
            state.setdefault("warm", []).append((now - state["sent"]) / 1e6)
        self.send_response(202)
        self.send_header("Content-Length", "0")
        self.end_headers()


server = RuntimeApi(("127.0.0.1", 0), Handler)
threading.Thread(target=server.serve_forever, daemon=True).start()
environment = {
    "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
    "AWS_LAMBDA_RUNTIME_API": f"127.0.0.1:{server.server_address[1]}",
    "AWS_LAMBDA_FUNCTION_NAME": "side-by-side",
    "AWS_LAMBDA_FUNCTION_MEMORY_SIZE": "256",
    "AWS_LAMBDA_FUNCTION_VERSION": "$LATEST",
    "AWS_LAMBDA_LOG_GROUP_NAME": "/aws/lambda/side-by-side",
    "AWS_LAMBDA_LOG_STREAM_NAME": "local",
    "AWS_REGION": "us-east-1",
    "_HANDLER": "bootstrap",
}

samples = {b: [] for b in args.bootstraps}
warm = {b: [] for b in args.bootstraps}
for _ in range(args.rounds):
    for bootstrap in args.bootstraps:
        state.clear()
        state["done"] = threading.Event()
        started = time.perf_counter_ns()
        process = subprocess.Popen([bootstrap], env=environment, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        if not state["done"].wait(30):
            process.kill()
            raise SystemExit(f"{bootstrap} did not answer {args.warm + 1} invocations within 30 s")
        with open(f"/proc/{process.pid}/status") as status:
            peak_kib = next(int(line.split()[1]) for line in status if line.startswith("VmHWM"))
        process.kill()
        process.wait()
        samples[bootstrap].append((
            (state["first_next"] - started) / 1e6,
            (state["first_response"] - started) / 1e6,
            (state["first_response"] - state["first_next"]) / 1e6,
            peak_kib / 1024,
        ))
        warm[bootstrap].extend(state.get("warm", []))

print(f"{args.rounds} interleaved rounds, {args.warm} warm invocations each; medians (ms, MiB)")
print(f"{'bootstrap':60} {'size':>6} {'init':>7} {'cold':>7} {'first':>6} {'warm p50':>9} {'warm p99':>9} {'peak RSS':>9}")
for bootstrap in args.bootstraps:
    median = lambda k: statistics.median(s[k] for s in samples[bootstrap])
    ordered = sorted(warm[bootstrap])
    p50, p99 = (ordered[len(ordered) // 2], ordered[int(len(ordered) * 0.99)]) if ordered else (float("nan"), float("nan"))
    print(f"{bootstrap[-60:]:60} {os.path.getsize(bootstrap) / 1048576:6.1f} {median(0):7.2f} {median(1):7.2f} {median(2):6.2f} {p50:9.3f} {p99:9.3f} {median(3):9.1f}")
