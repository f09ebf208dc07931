"""TCP servers on 127.0.0.1 that misbehave the way a flaky network or a hostile host does.

- `silent()`: accepts connections and never says a word (a hung API, or a PostgreSQL host whose
  port is open and whose server is stuck);
- `trickle(interval)`: answers every request with a valid HTTP response, one byte every
  `interval` seconds, headers included (or, with `head_first`, the headers at once and then the
  body byte by byte), never ending (its Content-Length is far away).
Both stop at once when the `with` block ends: every connection is shut down and the threads
notice within one interval, so no test waits on a teardown. `trickle(tls=cert)` speaks HTTPS
with a certificate made by `self_signed(folder)` (the `openssl` command line).
"""

from __future__ import annotations

import shutil
import socket
import ssl
import subprocess
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

HEAD = b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 1000000\r\n\r\n"
BODY = b"[" + b" " * 999_999


@contextmanager
def _serving(handle: Callable[[socket.socket, threading.Event], None]) -> Iterator[str]:
    """Listen on 127.0.0.1:<free port>; run `handle(conn, stop)` per connection; yield the URL."""
    listener = socket.create_server(("127.0.0.1", 0))
    listener.settimeout(0.05)
    stop = threading.Event()
    conns: list[socket.socket] = []

    def accept() -> None:
        while not stop.is_set():
            try:
                conn, _ = listener.accept()
            except TimeoutError:
                continue
            except OSError:
                return
            conns.append(conn)
            threading.Thread(target=handle, args=(conn, stop), daemon=True).start()

    thread = threading.Thread(target=accept, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{listener.getsockname()[1]}"
    finally:
        stop.set()
        thread.join(timeout=2)
        listener.close()
        for conn in conns:
            _close(conn)


def _close(conn: socket.socket) -> None:
    try:
        conn.shutdown(socket.SHUT_RDWR)
    except OSError:
        pass
    conn.close()


def _hold(conn: socket.socket, stop: threading.Event) -> None:
    stop.wait()


@contextmanager
def silent() -> Iterator[str]:
    """A server that accepts and never answers; yields `http://127.0.0.1:PORT`."""
    with _serving(_hold) as url:
        yield url


@contextmanager
def trickle(interval: float = 0.05, *, head_first: bool = False, tls: Path | None = None) -> Iterator[str]:
    """A server that sends its answer one byte every `interval` seconds, from the status line on
    (from the body on with `head_first`); over TLS with the certificate (and key) file `tls`."""
    context = None
    if tls is not None:
        context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        context.load_cert_chain(tls)

    def handle(raw: socket.socket, stop: threading.Event) -> None:
        raw.settimeout(1)
        try:
            conn = context.wrap_socket(raw, server_side=True) if context else raw
            conn.recv(65536)  # the request (one recv is enough for a GET)
            if head_first:
                conn.sendall(HEAD)
            for byte in BODY if head_first else HEAD + BODY:
                if stop.wait(interval):
                    return
                conn.sendall(bytes([byte]))
        except OSError:  # the client hung up: what a deadline does
            return

    with _serving(handle) as url:
        yield url.replace("http://", "https://") if tls else url


def self_signed(folder: Path) -> Path | None:
    """A PEM file with a key and a certificate for 127.0.0.1, or None without `openssl`."""
    if shutil.which("openssl") is None:
        return None
    key, cert = folder / "key.pem", folder / "cert.pem"
    subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", str(key), "-out",
                    str(cert), "-days", "1", "-subj", "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1"],
                   check=True, capture_output=True)
    both = folder / "both.pem"
    both.write_text(key.read_text() + cert.read_text())
    return both
