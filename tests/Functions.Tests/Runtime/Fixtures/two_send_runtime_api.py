"""A Lambda Runtime API (2018-06-01) the way a plain Python server writes one: Nagle on, delayed ACKs on, and each
response in two sends (status line and headers, then the body), as http.server does with protocol_version HTTP/1.1.

Usage: python3 two_send_runtime_api.py EVENTS. Prints its port on the first line of stdout, serves EVENTS events
({"action":"echo"}), then prints one line per warm invocation, the milliseconds between two /next requests, and exits
(the function then meets a closed port and ends)."""
import http.server
import json
import sys
import time
import uuid

EVENT = json.dumps({"action": "echo"}).encode()
events = int(sys.argv[1])
arrivals = []


class RuntimeApi(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, *args):
        pass

    def do_GET(self):
        if not self.path.endswith("/runtime/invocation/next"):
            return self.answer(404, b"{}")
        arrivals.append(time.monotonic())
        if len(arrivals) > events:
            self.server.done = True
            self.close_connection = True
            return
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(EVENT)))
        self.send_header("Lambda-Runtime-Aws-Request-Id", str(uuid.uuid4()))
        self.send_header("Lambda-Runtime-Deadline-Ms", str(int(time.time() * 1000) + 60000))
        self.end_headers()  # First send: status line and headers.
        self.wfile.write(EVENT)  # Second send: the body.

    def do_POST(self):
        self.rfile.read(int(self.headers.get("Content-Length", "0")))
        self.answer(202, b'{"status":"OK"}')

    def answer(self, status, body):
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)


server = http.server.HTTPServer(("127.0.0.1", 0), RuntimeApi)
server.done = False
print(server.server_address[1], flush=True)
while not server.done:
    server.handle_request()
for before, after in zip(arrivals[1:], arrivals[2:]):
    print(f"{(after - before) * 1000:.2f}", flush=True)
