package org.ttyaudit.cli.e2e;

import org.ttyaudit.recorder.pty.ChildProcess;
import org.ttyaudit.recorder.pty.ExitStatus;
import org.ttyaudit.recorder.pty.PseudoTerminal;
import org.ttyaudit.recorder.pty.WindowSize;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.regex.Pattern;

/**
 * Plays the user's terminal emulator in end-to-end tests: runs {@code ttyaudit ARGS} (the real CLI in a new JVM)
 * in a real pseudo-terminal, types keys into it as a person would and reads what the screen receives.
 */
public final class TerminalSession implements AutoCloseable {
    static final Duration TIMEOUT = Duration.ofSeconds(20);
    /** Past this much text to search, a wait searches again only every {@link #FLOOD_PAUSE}. */
    private static final int FLOOD_CHARS = 256 * 1024;
    private static final Duration FLOOD_PAUSE = Duration.ofMillis(200);

    private final PseudoTerminal pty;
    private final ChildProcess process;
    /**
     * What the terminal received, decoded as it arrives (so a wait does not decode megabytes again on each read);
     * guarded by itself, which is also notified of every arrival.
     */
    private final StringBuilder received = new StringBuilder();
    private final CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
            .onMalformedInput(CodingErrorAction.REPLACE).onUnmappableCharacter(CodingErrorAction.REPLACE);
    /** The bytes of a character split between two reads. */
    private ByteBuffer undecoded = ByteBuffer.allocate(0);
    private final Thread reader;
    private final CompletableFuture<ExitStatus> exit = new CompletableFuture<>();

    private TerminalSession(PseudoTerminal pty, ChildProcess process) {
        this.pty = pty;
        this.process = process;
        this.reader = new Thread(this::readLoop, "test-terminal-reader");
        this.reader.setDaemon(true);
        this.reader.start();
        Thread waiter = new Thread(() -> {
            try {
                exit.complete(process.waitFor());
            } catch (IOException e) {
                exit.completeExceptionally(e);
            }
        }, "test-terminal-waiter");
        waiter.setDaemon(true);
        waiter.start();
    }

    /** Starts {@code ttyaudit args...} with exactly this environment, in a terminal of the given size. */
    public static TerminalSession start(List<String> ttyauditArgs, Map<String, String> env, WindowSize size)
            throws IOException {
        PseudoTerminal pty = PseudoTerminal.open(size);
        ChildProcess p = ChildProcess.spawn(pty, ttyauditCommand(ttyauditArgs), env);
        return new TerminalSession(pty, p);
    }

    /** Starts the program {@code argv} (e.g. a packaged jar's {@code java -jar …}) in a terminal of the given size. */
    public static TerminalSession startProgram(List<String> argv, Map<String, String> env, WindowSize size)
            throws IOException {
        PseudoTerminal pty = PseudoTerminal.open(size);
        return new TerminalSession(pty, ChildProcess.spawn(pty, argv, env));
    }

    /**
     * Starts {@code wrapper... ttyaudit args...}: the CLI run by another program (e.g. {@code unshare} giving it a
     * mount namespace of its own), with exactly this environment, in a terminal of the given size.
     */
    public static TerminalSession start(List<String> wrapper, List<String> ttyauditArgs, Map<String, String> env,
                                        WindowSize size) throws IOException {
        List<String> argv = new ArrayList<>(wrapper);
        argv.addAll(ttyauditCommand(ttyauditArgs));
        PseudoTerminal pty = PseudoTerminal.open(size);
        return new TerminalSession(pty, ChildProcess.spawn(pty, argv, env));
    }

    /** The command line that runs the CLI under test from the test class path. */
    static List<String> ttyauditCommand(List<String> args) {
        List<String> argv = new ArrayList<>();
        argv.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        argv.add("-XX:+UseSerialGC");
        argv.add("-XX:TieredStopAtLevel=1");
        argv.add("-cp");
        argv.add(System.getProperty("java.class.path"));
        argv.add("org.ttyaudit.cli.Main");
        argv.addAll(args);
        return argv;
    }

    private void readLoop() {
        byte[] buf = new byte[8192];
        try {
            while (true) {
                int n = pty.read(buf);
                if (n < 0) {
                    return;
                }
                synchronized (received) {
                    decode(buf, n);
                    received.notifyAll();
                }
            }
        } catch (IOException e) {
            // The terminal is closed: the session is over.
        }
    }

    int pid() {
        return process.pid();
    }

    /** Types the keys one write per key, with a short pause as a fast typist would. */
    public void type(String keys) throws IOException {
        byte[] bytes = keys.getBytes(StandardCharsets.UTF_8);
        int i = 0;
        while (i < bytes.length) {
            int len = utf8Length(bytes[i]);
            byte[] key = new byte[Math.min(len, bytes.length - i)];
            System.arraycopy(bytes, i, key, 0, key.length);
            // Escape sequences (arrows) go in one write, as a terminal sends them.
            if (bytes[i] == 0x1b && i + 2 < bytes.length && (bytes[i + 1] == '[' || bytes[i + 1] == 'O')) {
                int end = i + 2;
                while (end < bytes.length && (bytes[end] < 0x40 || bytes[end] > 0x7e)) {
                    end++;
                }
                key = new byte[end - i + 1];
                System.arraycopy(bytes, i, key, 0, key.length);
            }
            pty.write(key, key.length);
            i += key.length;
            pause(8);
        }
    }

    /**
     * Types {@code command} and Enter, then waits for the next prompt (regex {@code prompt}) after {@code from};
     * returns where to look from next.
     */
    public int runLine(int from, String prompt, String command) throws Exception {
        type(command + "\r");
        // [\s\S], not (.|\s): the alternation matches a space two ways, which backtracks exponentially over
        // runs of spaces (ls output) while the prompt has not arrived yet.
        return awaitOutput(from, "\r\n[\\s\\S]*?" + prompt);
    }

    void resize(int cols, int rows) throws IOException {
        pty.resize(new WindowSize(cols, rows));
    }

    private void decode(byte[] buf, int n) {
        ByteBuffer in = ByteBuffer.allocate(undecoded.remaining() + n);
        in.put(undecoded).put(buf, 0, n).flip();
        CharBuffer out = CharBuffer.allocate(in.remaining() + 1);
        decoder.decode(in, out, false);
        received.append(out.flip());
        undecoded = in.slice();
    }

    /** All bytes the terminal received, as text. */
    public String output() {
        synchronized (received) {
            return received.toString();
        }
    }

    /** Waits until the text received after {@code fromIndex} contains a match of {@code regex}. */
    public int awaitOutput(int fromIndex, String regex) throws TimeoutException {
        Pattern p = Pattern.compile(regex);
        long deadline = System.nanoTime() + TIMEOUT.toNanos();
        synchronized (received) {
            while (true) {
                StringBuilder text = received;
                var m = p.matcher(text);
                if (fromIndex <= text.length() && m.find(fromIndex)) {
                    return m.end();
                }
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    throw new TimeoutException("no /" + regex + "/ on the terminal after " + TIMEOUT
                            + "; it shows:\n" + text.substring(Math.max(0, text.length() - 2000)));
                }
                try {
                    if (text.length() - fromIndex > FLOOD_CHARS) {
                        // A flood: a search costs as much as the text after fromIndex, and holds the lock the
                        // reader needs; search again only every FLOOD_PAUSE, not at every read of 8 KiB.
                        long until = System.nanoTime() + Math.min(left, FLOOD_PAUSE.toNanos());
                        for (long wait = until - System.nanoTime(); wait > 0; wait = until - System.nanoTime()) {
                            received.wait(Math.max(1, TimeUnit.NANOSECONDS.toMillis(wait)));
                        }
                    } else {
                        received.wait(Math.max(1, TimeUnit.NANOSECONDS.toMillis(left)));
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new TimeoutException("interrupted");
                }
            }
        }
    }

    public int awaitOutput(String regex) throws TimeoutException {
        return awaitOutput(0, regex);
    }

    public ExitStatus awaitExit() throws Exception {
        try {
            return exit.get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            throw new TimeoutException("ttyaudit did not exit; the terminal shows:\n" + output());
        }
    }

    /** Whether the terminal (the user's, as the recorder sees it) is cooked with echo, not raw. */
    boolean cookedWithEcho() {
        return pty.isCookedWithEcho();
    }

    void kill(int signal) {
        process.signal(signal);
    }

    private static int utf8Length(byte lead) {
        int b = lead & 0xFF;
        if (b < 0x80) {
            return 1;
        }
        if (b >= 0xF0) {
            return 4;
        }
        if (b >= 0xE0) {
            return 3;
        }
        return b >= 0xC0 ? 2 : 1;
    }

    /**
     * Ends every process whose command line names {@code dir}: the background drainers ({@code ttyaudit upload
     * --wait}) that recorders of a test started under its temporary directory must not outlive the test.
     */
    public static void endProcessesUnder(Path dir) {
        ProcessHandle.allProcesses()
                .filter(p -> p.info().commandLine().map(c -> c.contains(dir.toString())).orElse(false))
                .forEach(ProcessHandle::destroyForcibly);
    }

    static void pause(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
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
            // Nothing more to do for a test that failed anyway.
        }
        pty.close();
    }
}
