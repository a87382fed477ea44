#!/usr/bin/env python3
"""Records what a real interactive shell writes to its terminal while a (scripted) person types.

Usage: capture.py OUT_DIR [SHELL [SCENARIO ...]]

Each scenario runs a fresh shell (bash --norc --noprofile -i, or zsh -f -i) in a real pseudo-terminal of
80x24 with TERM=xterm-256color and LANG=C.UTF-8, in a scratch directory holding a few files for tab completion.
Keys are typed one at a time; after each key the script waits until the shell's output has been quiet for a
moment, as a person watching the screen would. The result is OUT_DIR/<shell>-<scenario>.rec, one event a line:

    <micros since start> <o|i> <base64 bytes>

'o' is output of the shell (what the terminal showed), 'i' is input (what the person typed), in the order the
recorder would see them. The Java tests replay these files through ScreenCommandTracker.
"""
import base64
import fcntl
import os
import pty
import select
import shutil
import struct
import sys
import tempfile
import termios
import time

COLS, ROWS = 80, 24
SHELLS = {
    "bash": ["bash", "--norc", "--noprofile", "-i"],
    "zsh": ["zsh", "-f", "-i"],
}

ENTER = b"\r"
BS = b"\x7f"
CTRL_C = b"\x03"
CTRL_U = b"\x15"
CTRL_R = b"\x12"
TAB = b"\t"
ESC = b"\x1b"
LEFT, HOME = "D", "H"  # final bytes of the cursor keys; the prefix depends on DECCKM


def keys(text):
    """One step per character (a UTF-8 character is one keystroke of several bytes)."""
    return [("key", ch.encode("utf-8")) for ch in text]


def line(text):
    return keys(text) + [("key", ENTER)]


SCENARIOS = {
    "plain": line("echo hello") + [("key", ENTER)] + line("true"),
    "backspace": keys("echo hellp") + [("key", BS)] + keys("o wprd") + [("key", BS)] * 3 + line("orld"),
    "ctrl-u": keys("echo wrong") + [("key", CTRL_U)] + line("echo right"),
    "left-insert": keys("echo hllo") + [("cursor", LEFT)] * 3 + line("e"),
    "home-insert": keys("cho start") + [("cursor", HOME)] + line("e"),
    "history": line("echo first") + [("cursor", "A")] + [("key", BS)] * 5 + line("second"),
    "tab-file": keys("cat uniq") + [("key", TAB)] + [("key", ENTER)],
    "tab-list": keys("ls cand_") + [("key", TAB), ("key", TAB)] + keys("t") + [("key", TAB)] + [("key", ENTER)],
    "ctrl-r": line("echo needle_one") + line("echo other") + [("key", CTRL_R)] + keys("needle") + [("key", ENTER)],
    "for-loop": line("for i in 1 2; do") + line("echo $i") + line("done"),
    "backslash": line("echo one \\") + line("two"),
    "ctrl-c": keys("echo half") + [("key", CTRL_C)] + line("echo after"),
    "wrap": line("echo " + "abcdefghij" * 10),
    "utf8": line("echo héllo 日本"),
    "vim-less": line("vim -u NONE -N notes.txt") + keys("ihello") + [("key", ESC)] + line(":wq")
                + line("less cand_one.txt") + keys("q") + line("echo done"),
    "scroll": line("seq 40") + line("echo after scroll") + line("echo " + "x" * 150),
    "heredoc": line("cat <<EOF") + line("hello") + line("EOF"),
    "enter-mid-line": keys("echo " + "y" * 100) + [("cursor", LEFT)] * 90 + [("key", ENTER)],
    "ctrl-l": line("seq 3") + keys("echo cleared") + [("key", b"\x0c"), ("key", ENTER)],
    "paste": [("key", b"\x1b[200~echo pasted\x1b[201~"), ("key", ENTER)],
    "no-newline": line("printf foo") + line("echo next"),
    "paste-lines": [("key", b"\x1b[200~echo a\recho b\x1b[201~"), ("key", ENTER)],
}


# zsh -f binds neither Home's escape sequence (it beeps) nor a second Tab the way bash does: a person using zsh
# presses Ctrl-A for the start of the line, and zsh lists the candidates at the first ambiguous Tab.
OVERRIDES = {
    ("zsh", "home-insert"): keys("cho start") + [("key", b"\x01")] + line("e"),
    ("zsh", "tab-list"): keys("ls cand_") + [("key", TAB)] + keys("t") + [("key", TAB)] + [("key", ENTER)],
}


class Session:
    def __init__(self, argv, cwd):
        self.start = time.monotonic()
        self.events = []
        self.out_tail = b""
        self.app_cursor = False
        pid, fd = pty.fork()
        if pid == 0:
            os.chdir(cwd)
            env = {
                "PATH": "/usr/local/bin:/usr/bin:/bin",
                "HOME": cwd,
                "TERM": "xterm-256color",
                "LANG": "C.UTF-8",
                "LC_ALL": "C.UTF-8",
                "HISTFILE": os.path.join(cwd, ".hist"),
                "SHELL": "/bin/" + argv[0],
            }
            os.execvpe(argv[0], argv, env)
        self.pid, self.fd = pid, fd
        fcntl.ioctl(fd, termios.TIOCSWINSZ, struct.pack("HHHH", ROWS, COLS, 0, 0))

    def now(self):
        return int((time.monotonic() - self.start) * 1_000_000)

    def pump(self, quiet=0.25, limit=5.0):
        """Reads output until nothing arrived for `quiet` seconds (or `limit` passed)."""
        deadline = time.monotonic() + limit
        while time.monotonic() < deadline:
            r, _, _ = select.select([self.fd], [], [], quiet)
            if not r:
                return
            try:
                data = os.read(self.fd, 65536)
            except OSError:
                return
            if not data:
                return
            self.events.append((self.now(), "o", data))
            self.out_tail = (self.out_tail + data)[-64:]
            # DECCKM decides what the cursor keys send, as in a real xterm.
            if b"\x1b[?1h" in self.out_tail:
                self.app_cursor = self.out_tail.rfind(b"\x1b[?1h") > self.out_tail.rfind(b"\x1b[?1l")
            elif b"\x1b[?1l" in self.out_tail:
                self.app_cursor = False

    def send(self, data):
        self.events.append((self.now(), "i", data))
        os.write(self.fd, data)

    def close(self):
        try:
            os.write(self.fd, b"exit\r")
            self.pump(quiet=0.3, limit=2)
        except OSError:
            pass
        os.close(self.fd)
        os.waitpid(self.pid, 0)


def run(shell, name, steps, out_dir):
    work = tempfile.mkdtemp(prefix="ttyaudit-capture-")
    for f in ["unique_alpha_file.txt", "cand_one.txt", "cand_two.txt"]:
        with open(os.path.join(work, f), "w") as fh:
            fh.write("content of " + f + "\n")
    s = Session(SHELLS[shell], work)
    s.pump(quiet=0.5)
    for kind, arg in steps:
        if kind == "key":
            s.send(arg)
        else:
            s.send(b"\x1bO" + arg.encode() if s.app_cursor else b"\x1b[" + arg.encode())
        s.pump(quiet=0.15 if arg != ENTER else 0.4)
    events = list(s.events)  # the closing "exit" is not part of the recording
    s.close()
    shutil.rmtree(work, ignore_errors=True)
    path = os.path.join(out_dir, f"{shell}-{name}.rec")
    with open(path, "w") as fh:
        fh.write(f"# {shell} {name}: captured by capture.py in a {COLS}x{ROWS} pty\n")
        for t, k, data in events:
            fh.write(f"{t} {k} {base64.b64encode(data).decode()}\n")
    print("wrote", path)


def main():
    out_dir = sys.argv[1]
    shells = [sys.argv[2]] if len(sys.argv) > 2 else list(SHELLS)
    names = sys.argv[3:] or list(SCENARIOS)
    for shell in shells:
        for name in names:
            run(shell, name, OVERRIDES.get((shell, name), SCENARIOS[name]), out_dir)


if __name__ == "__main__":
    main()
