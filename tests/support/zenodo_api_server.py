#!/usr/bin/env python3
"""A local stand-in for the Zenodo API, for the `scan --verify` tests. Never touches the network.

Usage: zenodo_api_server.py CONFIG LOG [CERT KEY]

With CERT and KEY (PEM), the production instance speaks TLS with that certificate.
Listens on 127.0.0.1 on two ephemeral ports, one per instance, and prints
"<production port> <sandbox port>" on one line once both listen. Also acts as an HTTP proxy that
refuses every CONNECT (so a test can prove the proxy environment is honoured without any request
leaving the machine).

CONFIG is a JSON file {"production": {TOKEN: BEHAVIOUR}, "sandbox": {...}}; a token that is not
listed gets 401. Behaviours:
  "200", "401", "403", "500"  that status
  "429"        429 with Retry-After: 1 the first time, then 200
  "429-always" 429 with Retry-After: 1 every time
  "429-long"   429 with Retry-After: 3600
  "slow"       no answer for 20 s (the client times out first)
  "delay"      200 after 0.4 s (for concurrency measurements)
  "redirect"   302 to the other instance's URL (a client must not follow it)

LOG receives one JSON object per line and request, written when the request arrives:
  {"instance", "method", "path", "authorization", "t" (monotonic seconds), "concurrent"}
where "concurrent" counts requests being handled at that moment, this one included.
"""
import json
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

config_path, log_path = sys.argv[1], sys.argv[2]
with open(config_path, encoding="utf-8") as f:
    config = json.load(f)

lock = threading.Lock()
active = 0
seen = {}  # (instance, token) -> requests so far
ports = {}
log = open(log_path, "a", encoding="utf-8")


def make_handler(instance):
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, *args):
            pass  # no access log on stderr

        def record(self):
            global active
            with lock:
                active += 1
                log.write(json.dumps({
                    "instance": instance,
                    "method": self.command,
                    "path": self.path,
                    "authorization": self.headers.get("Authorization", ""),
                    "t": time.monotonic(),
                    "concurrent": active,
                }) + "\n")
                log.flush()

        def done(self):
            global active
            with lock:
                active -= 1

        def answer(self, status, headers=None, body=b'{"hits": {"hits": []}}'):
            self.send_response(status)
            for k, v in (headers or {}).items():
                self.send_header(k, v)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(body)))
            self.send_header("Connection", "close")
            self.end_headers()
            self.wfile.write(body)

        def do_CONNECT(self):
            self.record()
            try:
                self.answer(403, body=b"")
            finally:
                self.done()

        def do_GET(self):
            self.record()
            try:
                self.respond()
            except (BrokenPipeError, ConnectionResetError):
                pass
            finally:
                self.done()

        def respond(self):
            auth = self.headers.get("Authorization", "")
            token = auth[len("Bearer "):] if auth.startswith("Bearer ") else ""
            behaviour = config.get(instance, {}).get(token, "401")
            with lock:
                n = seen.get((instance, token), 0)
                seen[(instance, token)] = n + 1
            if behaviour in ("200", "401", "403", "500"):
                self.answer(int(behaviour))
            elif behaviour == "429":
                if n == 0:
                    self.answer(429, {"Retry-After": "1"})
                else:
                    self.answer(200)
            elif behaviour == "429-always":
                self.answer(429, {"Retry-After": "1"})
            elif behaviour == "429-long":
                self.answer(429, {"Retry-After": "3600"})
            elif behaviour == "slow":
                time.sleep(20)
                self.answer(200)
            elif behaviour == "delay":
                time.sleep(0.4)
                self.answer(200)
            elif behaviour == "redirect":
                other = "sandbox" if instance == "production" else "production"
                self.answer(302, {"Location": "http://127.0.0.1:%d%s" % (ports[other], self.path)})
            else:
                self.answer(500)

    return Handler


servers = {}
for name in ("production", "sandbox"):
    server = ThreadingHTTPServer(("127.0.0.1", 0), make_handler(name))
    server.daemon_threads = True
    servers[name] = server
    ports[name] = server.server_address[1]
if len(sys.argv) > 4:
    import ssl
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(sys.argv[3], sys.argv[4])
    servers["production"].socket = context.wrap_socket(servers["production"].socket,
                                                       server_side=True)
for server in servers.values():
    threading.Thread(target=server.serve_forever, daemon=True).start()
print(ports["production"], ports["sandbox"], flush=True)
threading.Event().wait()
