#!/usr/bin/env python3
"""Test driver: runs a shell in a real pseudo-terminal and types into it.

Usage: pty_driver.py SPEC.json OUT.bin
SPEC: {"argv": [...], "env": {...}, "cwd": "...", "ready": "<bytes that mean 'prompt is ready'>",
       "inputs": ["line\n", ...], "timeout": 30}
Before each input (and before the final EOF) it waits until `ready` has appeared one more time in the output
than before. All raw output goes to OUT.bin. Exit status: 0, or 3 on timeout (output so far is still written).
"""
import json, os, pty, select, sys, time, struct, fcntl, termios

def main():
    spec = json.load(open(sys.argv[1]))
    out_path = sys.argv[2]
    ready = spec["ready"].encode("latin-1")
    deadline = time.time() + spec.get("timeout", 30)
    pid, fd = pty.fork()
    if pid == 0:
        os.chdir(spec.get("cwd", "/"))
        os.execvpe(spec["argv"][0], spec["argv"], spec["env"])
    fcntl.ioctl(fd, termios.TIOCSWINSZ, struct.pack("HHHH", 40, 120, 0, 0))
    buf = bytearray()
    status = 0

    def pump(until):
        while True:
            if until is not None and until():
                return True
            left = deadline - time.time()
            if left <= 0:
                return False
            r, _, _ = select.select([fd], [], [], min(left, 0.5))
            if r:
                try:
                    data = os.read(fd, 65536)
                except OSError:
                    return until is None
                if not data:
                    return until is None
                buf.extend(data)

    inputs = spec["inputs"] + [None]
    for k, text in enumerate(inputs, start=1):
        if not pump(lambda k=k: buf.count(ready) >= k):
            status = 3
            break
        if text is None:
            os.write(fd, b"\x04")  # EOF at the prompt: the shell exits
        else:
            os.write(fd, text.encode("utf-8", "surrogateescape"))
    if status == 0 and not pump(None):
        status = 3
    try:
        os.kill(pid, 9)
    except ProcessLookupError:
        pass
    os.waitpid(pid, 0)
    with open(out_path, "wb") as f:
        f.write(buf)
    sys.exit(status)

main()
