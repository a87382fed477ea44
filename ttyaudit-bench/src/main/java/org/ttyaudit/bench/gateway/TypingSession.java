package org.ttyaudit.bench.gateway;

import org.apache.sshd.client.channel.ChannelShell;
import org.apache.sshd.client.session.ClientSession;
import org.ttyaudit.bench.server.Latencies;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * One interactive session as a person uses it: a shell with a pty, commands typed one key at a time (each key
 * waits for its echo: that round trip is the keystroke latency), then Enter and the output up to the next prompt.
 * Commands alternate between a short {@code echo} and {@code seq 1000} (3.9 KB of output). Keys come
 * {@code keyMs} apart on average (uniform 0.5–1.5×), commands {@code pauseMs} apart.
 *
 * <p>Event-driven, no thread of its own: what the target prints arrives in {@link Screen#write} on MINA's I/O
 * threads, which time the echo and schedule the next key on the shared scheduler.
 */
final class TypingSession {
    /** Written so that the line that sets it does not contain it: its echo cannot be mistaken for the prompt. */
    private static final String PROMPT = "ttyb$ ";
    private static final byte[] PROMPT_BYTES = PROMPT.getBytes(StandardCharsets.US_ASCII);
    private static final String START = "exec env -i HOME=/tmp TERM=xterm PS1='tty''b$ ' bash --norc --noprofile\r";

    /** Keystroke round trips and Enter-to-prompt times; collected only while {@code measuring}. */
    static final class Stats {
        final Latencies keys = new Latencies();
        final Latencies commands = new Latencies();
        volatile boolean measuring;
    }

    private final ClientSession session;
    private final ChannelShell shell;
    private final OutputStream keys;
    private final ScheduledExecutorService scheduler;
    private final Stats stats;
    private final Random random;
    private final int keyMs;
    private final int pauseMs;
    private final CompletableFuture<Void> firstPrompt = new CompletableFuture<>();

    private volatile boolean stopped;
    /** The key whose echo is awaited, -1 when the prompt after a typed command is, -3 after {@link #run}'s. */
    private volatile int awaited = -1;
    private volatile CompletableFuture<Void> commandDone;
    private volatile long sentNanos;
    private volatile long lastProgressNanos = System.nanoTime();
    private String command = "";
    private int typed;
    private int commandsRun;

    private TypingSession(ClientSession session, ScheduledExecutorService scheduler, Stats stats, long seed,
                          int keyMs, int pauseMs) throws IOException {
        this.session = session;
        this.scheduler = scheduler;
        this.stats = stats;
        this.random = new Random(seed);
        this.keyMs = keyMs;
        this.pauseMs = pauseMs;
        shell = session.createShellChannel();
        shell.setPtyType("xterm");
        shell.setPtyColumns(80);
        shell.setPtyLines(24);
        Screen screen = new Screen();
        shell.setOut(screen);
        shell.setErr(screen);
        shell.open().verify(Duration.ofSeconds(60));
        keys = shell.getInvertedIn();
    }

    /** Opens the shell and waits for the bench's own prompt; then the session is idle until {@link #type}. */
    static TypingSession open(ClientSession session, ScheduledExecutorService scheduler, Stats stats, long seed,
                              int keyMs, int pauseMs) throws Exception {
        TypingSession s = new TypingSession(session, scheduler, stats, seed, keyMs, pauseMs);
        s.send(START);
        s.firstPrompt.get(60, TimeUnit.SECONDS);
        return s;
    }

    /** Starts typing (after a random part of a pause, so that sessions do not type in step). */
    void type() {
        scheduler.schedule(this::nextCommand, random.nextInt(Math.max(1, pauseMs)), TimeUnit.MILLISECONDS);
    }

    /**
     * Runs {@code command} (sent as one line, not typed, not measured) and waits for the prompt after it; only
     * while the session is not typing.
     */
    void run(String command) throws Exception {
        CompletableFuture<Void> done = new CompletableFuture<>();
        commandDone = done;
        awaited = -3;
        send(command + "\r");
        done.get(120, TimeUnit.SECONDS);
    }

    /** Whether the session waited more than {@code limit} for an echo or a prompt. */
    boolean stuck(Duration limit) {
        return awaited != -2 && System.nanoTime() - lastProgressNanos > limit.toNanos();
    }

    void close() {
        stopped = true;
        shell.close(false);
        session.close(false);
    }

    private void nextCommand() {
        command = commandsRun++ % 2 == 0 ? "echo typing-" + Long.toString(random.nextInt(1 << 30), 36) : "seq 1000";
        typed = 0;
        nextKey();
    }

    private void nextKey() {
        if (stopped) {
            return;
        }
        try {
            if (typed < command.length()) {
                char c = command.charAt(typed++);
                awaited = c;
                sentNanos = System.nanoTime();
                send(String.valueOf(c));
            } else {
                awaited = -1;
                sentNanos = System.nanoTime();
                send("\r");
            }
        } catch (IOException e) {
            if (!stopped) {
                System.err.println("typing: " + e);
            }
        }
    }

    private void send(String text) throws IOException {
        keys.write(text.getBytes(StandardCharsets.US_ASCII));
        keys.flush();
    }

    private long think(int meanMs) {
        return meanMs / 2 + random.nextInt(Math.max(1, meanMs));
    }

    /** What the target prints: times the awaited echo or prompt, then schedules what comes next. */
    private final class Screen extends OutputStream {
        private final byte[] tail = new byte[PROMPT_BYTES.length];

        @Override
        public void write(int b) {
            write(new byte[] {(byte) b}, 0, 1);
        }

        @Override
        public void write(byte[] b, int off, int len) {
            long now = System.nanoTime();
            keepTail(b, off, len);
            int a = awaited;
            if (!firstPrompt.isDone()) {
                if (endsWithPrompt()) {
                    awaited = -2;
                    firstPrompt.complete(null);
                }
                return;
            }
            if (a == -3) {
                if (endsWithPrompt()) {
                    awaited = -2;
                    commandDone.complete(null);
                }
                return;
            }
            if (a >= 0 && contains(b, off, len, (byte) a)) {
                lastProgressNanos = now;
                awaited = -2;
                if (stats.measuring) {
                    stats.keys.add(now - sentNanos);
                }
                scheduler.schedule(TypingSession.this::nextKey, think(keyMs), TimeUnit.MILLISECONDS);
            } else if (a == -1 && endsWithPrompt()) {
                lastProgressNanos = now;
                awaited = -2;
                if (stats.measuring) {
                    stats.commands.add(now - sentNanos);
                }
                scheduler.schedule(TypingSession.this::nextCommand, think(pauseMs), TimeUnit.MILLISECONDS);
            }
        }

        private void keepTail(byte[] b, int off, int len) {
            int n = Math.min(len, tail.length);
            System.arraycopy(tail, n, tail, 0, tail.length - n);
            System.arraycopy(b, off + len - n, tail, tail.length - n, n);
        }

        private boolean endsWithPrompt() {
            return java.util.Arrays.equals(tail, PROMPT_BYTES);
        }

        private static boolean contains(byte[] b, int off, int len, byte c) {
            for (int i = off; i < off + len; i++) {
                if (b[i] == c) {
                    return true;
                }
            }
            return false;
        }
    }
}
