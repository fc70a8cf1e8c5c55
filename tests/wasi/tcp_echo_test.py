#!/usr/bin/env python3
"""End-to-end: parawasm run --tcplisten hands a listening socket to a WASI guest, which accepts a
connection from this script, echoes one line in upper case and exits.
Usage: tcp_echo_test.py PARAWASM ECHO_SERVER_WASM"""
import socket
import subprocess
import sys
import time

parawasm, wasm = sys.argv[1], sys.argv[2]
probe = socket.socket()
probe.bind(("127.0.0.1", 0))
port = probe.getsockname()[1]
probe.close()
guest = subprocess.Popen([parawasm, "run", "--tcplisten", f"127.0.0.1:{port}", wasm, "3"],
                         stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
reply = b""
deadline = time.time() + 20
while time.time() < deadline:
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=5) as c:
            c.sendall(b"hello wasi\n")
            while True:
                chunk = c.recv(256)
                if not chunk:
                    break
                reply += chunk
        break
    except ConnectionRefusedError:
        time.sleep(0.05)
out, err = guest.communicate(timeout=20)
ok = reply == b"HELLO WASI\n" and guest.returncode == 0 and out == "echoed 11 bytes\n"
print(f"reply={reply!r} status={guest.returncode} stdout={out!r} stderr={err!r}")
print("1 passed, 0 failed" if ok else "0 passed, 1 failed")
sys.exit(0 if ok else 1)
