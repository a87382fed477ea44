package org.ttyaudit.cli.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.ttyaudit.core.transport.PinnedTls;
import org.ttyaudit.recorder.pty.WindowSize;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The live view end to end: a real recorder ({@code record --upload}) runs bash in a real terminal and ships to a
 * real server process; a WebSocket client watches {@code /api/v1/sessions/{id}/live} as the browser's player
 * would, sees what is typed arrive within the bound, and sees the stream end with 1000 when bash exits.
 * The keystroke-to-frame delay is printed (it is reported, not a timed performance test: the bound is generous).
 */
class LiveViewEndToEndTest {
    private static final String PROMPT = "tt[#$] ";

    @TempDir
    Path home;
    private ServerProcess server;

    @AfterEach
    void tearDown() throws Exception {
        if (server != null) {
            server.close();
        }
        ProcessHandle.allProcesses()
                .filter(p -> p.info().commandLine().map(c -> c.contains(home.toString())).orElse(false))
                .forEach(ProcessHandle::destroyForcibly);
    }

    @Test
    void whatIsTypedInARecordedSessionReachesALiveViewerWithinASecondOrSo() throws Exception {
        server = new ServerProcess(home.resolve("server-data")).start();
        Path credentials = home.resolve("host.json");
        RecordFixture.CliResult enrolled = RecordFixture.cli("enroll", "--server", server.url(), "--token",
                server.enrollmentToken(), "--fingerprint", server.fingerprint(), "--credential-file",
                credentials.toString(), "--host", "live-host");
        assertThat(enrolled.exitCode()).as(enrolled.err()).isZero();
        RecordFixture.writeFile(home.resolve(".bashrc"), "PS1='tt\\$ '\n");
        String admin = server.admin();

        try (TerminalSession t = TerminalSession.start(List.of("record", "--upload", "--credential-file",
                credentials.toString(), "--", "bash"), RecordFixture.environment(home, "/bin/bash"),
                new WindowSize(100, 30))) {
            int at = t.awaitOutput(PROMPT);
            String id = server.awaitFirstSessionId();
            Watcher w = Watcher.connect(server, id, admin);
            JsonNode header = ServerProcess.JSON.readTree(w.await(Pattern.compile("^\\{.*"), 10));
            assertThat(header.get("version").asInt()).isEqualTo(2);
            assertThat(header.get("width").asInt()).isEqualTo(100);
            assertThat(header.get("height").asInt()).isEqualTo(30);

            // A first command: its chunk's commit answer tells the recorder that the session is watched.
            at = t.runLine(at, PROMPT, "echo warm-up");
            w.awaitText("warm-up", 10);

            t.type("echo live-$RANDOM-marker");
            t.type("\r");
            long entered = System.nanoTime();
            w.awaitText("live-$RANDOM-marker", 10);   // the keystrokes, echoed by bash's line editor
            Matcher out = w.awaitMatch(Pattern.compile("live-([0-9]+)-marker"), 10);
            long outputSeen = w.lastArrival;
            at = t.awaitOutput(at, "live-" + out.group(1) + "-marker[\\s\\S]*?" + PROMPT);
            double outputDelay = (outputSeen - entered) / 1e6;
            assertThat(outputDelay).as("Enter to output on the live view, ms").isLessThan(3000);

            // The worst case: the first keystroke after an idle pause, until its echo is on the viewer.
            List<Double> firstKey = new java.util.ArrayList<>();
            for (int probe = 0; probe < 5; probe++) {
                Thread.sleep(1500);
                long pressed = System.nanoTime();
                t.type("#probe" + probe);
                w.awaitText("#probe" + probe, 10);
                firstKey.add((w.lastArrival - pressed) / 1e6);
                at = t.runLine(at, PROMPT, "");
            }
            System.out.printf("live view: Enter to the command's output on the viewer %.0f ms; first keystroke"
                    + " after idle to its echo on the viewer %s ms%n", outputDelay, firstKey.stream()
                    .map(d -> String.format("%.0f", d)).toList());
            assertThat(firstKey).as("keystroke to live view, ms").allMatch(d -> d < 3000);

            assertThat(w.frames()).as("no keystrokes are sent").noneMatch(f -> f.matches("^\\[[0-9.]+,\"i\".*"));
            assertThat(w.frames()).as("a marker at the command's start")
                    .anyMatch(f -> f.matches("^\\[[0-9.]+,\"m\",\"echo live-\\$RANDOM-marker\"\\]$"));

            t.type("exit\r");
            assertThat(t.awaitExit().code()).isZero();
            assertThat(w.closed.get(20, TimeUnit.SECONDS)).as("the stream ends when the session does")
                    .isEqualTo(1000);
        }
    }

    /** A WebSocket client like the browser's player: Origin of the server, the player's subprotocols. */
    static final class Watcher implements WebSocket.Listener {
        final CompletableFuture<Integer> closed = new CompletableFuture<>();
        private final List<String> frames = new java.util.ArrayList<>();
        private final StringBuilder partial = new StringBuilder();
        /** Output text received so far, decoded from the frames. */
        private final StringBuilder text = new StringBuilder();
        volatile long lastArrival;

        static Watcher connect(ServerProcess server, String session, String token) throws Exception {
            Watcher w = new Watcher();
            HttpClient http = PinnedTls.of(server.fingerprint()).configure(HttpClient.newBuilder()).build();
            http.newWebSocketBuilder().header("Authorization", "Bearer " + token).header("Origin", server.url())
                    .subprotocols("v1.alis", "v2.asciicast", "v3.asciicast", "raw")
                    .buildAsync(URI.create(server.url().replace("https:", "wss:") + "/api/v1/sessions/" + session
                            + "/live"), w).get(10, TimeUnit.SECONDS);
            return w;
        }

        @Override
        public synchronized CompletionStage<?> onText(WebSocket ws, CharSequence data, boolean last) {
            partial.append(data);
            if (last) {
                String f = partial.toString();
                partial.setLength(0);
                frames.add(f);
                if (f.startsWith("[")) {
                    try {
                        JsonNode e = ServerProcess.JSON.readTree(f);
                        if (e.get(1).asText().equals("o")) {
                            text.append(e.get(2).asText());
                        }
                    } catch (java.io.IOException ex) {
                        throw new AssertionError("not JSON: " + f, ex);
                    }
                }
                lastArrival = System.nanoTime();
                notifyAll();
            }
            ws.request(1);
            return null;
        }

        @Override
        public CompletionStage<?> onClose(WebSocket ws, int statusCode, String reason) {
            closed.complete(statusCode);
            return null;
        }

        @Override
        public void onError(WebSocket ws, Throwable error) {
            closed.completeExceptionally(error);
        }

        synchronized List<String> frames() {
            return List.copyOf(frames);
        }

        synchronized String await(Pattern frame, int seconds) throws InterruptedException {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
            while (true) {
                for (String f : frames) {
                    if (frame.matcher(f).find()) {
                        return f;
                    }
                }
                waitUntil(deadline, "a frame matching " + frame);
            }
        }

        synchronized void awaitText(String output, int seconds) throws InterruptedException {
            awaitMatch(Pattern.compile(Pattern.quote(output)), seconds);
        }

        synchronized Matcher awaitMatch(Pattern output, int seconds) throws InterruptedException {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
            while (true) {
                Matcher m = output.matcher(text);
                if (m.find()) {
                    return m;
                }
                waitUntil(deadline, "output matching " + output);
            }
        }

        private void waitUntil(long deadline, String what) throws InterruptedException {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                throw new AssertionError("no " + what + " on the live view; output so far: " + text);
            }
            wait(Math.max(1, TimeUnit.NANOSECONDS.toMillis(left)));
        }
    }

}
