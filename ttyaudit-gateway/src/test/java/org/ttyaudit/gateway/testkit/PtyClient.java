package org.ttyaudit.gateway.testkit;

import org.ttyaudit.recorder.pty.ChildProcess;
import org.ttyaudit.recorder.pty.ExitStatus;
import org.ttyaudit.recorder.pty.PseudoTerminal;
import org.ttyaudit.recorder.pty.WindowSize;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A program (the real OpenSSH client) run in a real pseudo-terminal, as a user's terminal emulator runs it: the
 * program sees a terminal of a real size, and {@link #resize} changes that size as a window would (the kernel
 * sends SIGWINCH to the program, and ssh sends a {@code window-change} request).
 */
public final class PtyClient implements AutoCloseable {
    private final PseudoTerminal pty;
    private final ChildProcess process;
    private final ByteArrayOutputStream seen = new ByteArrayOutputStream();
    private final CompletableFuture<ExitStatus> exit = new CompletableFuture<>();
    private int searchFrom;

    private PtyClient(PseudoTerminal pty, ChildProcess process) {
        this.pty = pty;
        this.process = process;
        Thread reader = new Thread(this::readLoop, "pty-client-reader");
        reader.setDaemon(true);
        reader.start();
        Thread waiter = new Thread(() -> {
            try {
                exit.complete(process.waitFor());
            } catch (IOException e) {
                exit.completeExceptionally(e);
            }
        }, "pty-client-waiter");
        waiter.setDaemon(true);
        waiter.start();
    }

    /** Starts {@code argv} in a new terminal of {@code size}, with a minimal environment (PATH, HOME, TERM). */
    public static PtyClient start(List<String> argv, WindowSize size) throws IOException {
        PseudoTerminal pty = PseudoTerminal.open(size);
        Map<String, String> env = Map.of("PATH", System.getenv().getOrDefault("PATH", "/usr/bin:/bin"),
                "HOME", System.getProperty("user.home"), "TERM", "xterm");
        return new PtyClient(pty, ChildProcess.spawn(pty, argv, env));
    }

    private void readLoop() {
        byte[] buf = new byte[8192];
        try {
            for (int n = pty.read(buf); n >= 0; n = pty.read(buf)) {
                synchronized (seen) {
                    seen.write(buf, 0, n);
                    seen.notifyAll();
                }
            }
        } catch (IOException e) {
            // the terminal hung up: the program ended
        }
    }

    /** Types {@code keys} in one write, as a paste or a fast typist's burst arrives. */
    public void type(String keys) throws IOException {
        byte[] b = keys.getBytes(StandardCharsets.UTF_8);
        pty.write(b, b.length);
    }

    /** Changes the terminal's size, as a user resizing the window does. */
    public void resize(int cols, int rows) throws IOException {
        pty.resize(new WindowSize(cols, rows));
    }

    /**
     * Waits until {@code regex} matches what the terminal showed after the previous match (15 s at most) and
     * returns the match.
     */
    public Matcher await(String regex) throws InterruptedException {
        Pattern p = Pattern.compile(regex);
        long deadline = System.currentTimeMillis() + 15_000;
        synchronized (seen) {
            while (true) {
                String all = seen.toString(StandardCharsets.UTF_8);
                Matcher m = p.matcher(all);
                if (m.find(Math.min(searchFrom, all.length()))) {
                    searchFrom = m.end();
                    return m;
                }
                long left = deadline - System.currentTimeMillis();
                if (left <= 0) {
                    throw new AssertionError("did not see /" + regex + "/ in: " + all.substring(searchFrom));
                }
                seen.wait(left);
            }
        }
    }

    /** Everything the terminal showed. */
    public String seen() {
        synchronized (seen) {
            return seen.toString(StandardCharsets.UTF_8);
        }
    }

    public ExitStatus awaitExit() throws Exception {
        try {
            return exit.get(15, TimeUnit.SECONDS);
        } catch (java.util.concurrent.TimeoutException e) {
            throw new AssertionError("the program did not exit; the terminal shows:\n" + seen());
        }
    }

    @Override
    public void close() {
        if (!exit.isDone()) {
            process.signal(9);
        }
        try {
            exit.get(5, TimeUnit.SECONDS);
        } catch (Exception ignored) {
            // the test failed anyway
        }
        pty.close();
    }
}
