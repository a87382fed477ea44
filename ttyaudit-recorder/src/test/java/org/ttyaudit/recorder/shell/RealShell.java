package org.ttyaudit.recorder.shell;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/**
 * Runs a real shell through {@link ShellIntegration} in a real pseudo-terminal (driven by pty_driver.py), types
 * the given inputs one prompt at a time, and feeds the raw output through a {@link MarkerStripper} in random
 * chunks, as the recorder would.
 */
final class RealShell {
    final String nonce = ShellIntegration.newNonce();
    final RecordingListener listener = new RecordingListener();
    String visible;
    byte[] raw;

    static boolean available(String program) {
        for (String dir : System.getenv().getOrDefault("PATH", "/usr/bin:/bin").split(":")) {
            if (Files.isExecutable(Path.of(dir, program))) {
                return true;
            }
        }
        return false;
    }

    RealShell run(List<String> argv, boolean login, Map<String, String> env, Path cwd, Path work, List<String> inputs)
            throws IOException, InterruptedException {
        ShellIntegration integration = ShellIntegration.detect(argv).orElseThrow();
        LaunchSpec spec = integration.prepare(argv, env, nonce, login, work.resolve("runtime"));
        Path driver = work.resolve("pty_driver.py");
        try (InputStream in = RealShell.class.getResourceAsStream("pty_driver.py")) {
            Files.write(driver, in.readAllBytes());
        }
        Path specFile = work.resolve("spec.json");
        Path out = work.resolve("out.bin");
        Files.writeString(specFile, "{\"argv\": " + json(spec.argv()) + ", \"env\": " + json(spec.env())
                + ", \"cwd\": " + json(cwd.toString()) + ", \"ready\": " + json("\u001b]133;B;ttyaudit=" + nonce)
                + ", \"inputs\": " + json(inputs) + ", \"timeout\": 30}");
        Process p = new ProcessBuilder("python3", driver.toString(), specFile.toString(), out.toString())
                .redirectErrorStream(true).redirectOutput(work.resolve("driver.log").toFile()).start();
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("pty driver hung");
        }
        raw = Files.readAllBytes(out);
        if (p.exitValue() != 0) {
            throw new AssertionError("pty driver exited with " + p.exitValue() + ": "
                    + Files.readString(work.resolve("driver.log")) + "\noutput so far:\n"
                    + new String(raw, StandardCharsets.ISO_8859_1));
        }
        MarkerStripper stripper = new MarkerStripper(nonce.getBytes(StandardCharsets.US_ASCII), listener);
        Random random = new Random(raw.length);
        StringBuilder seen = new StringBuilder();
        for (int i = 0; i < raw.length; ) {
            int n = Math.min(raw.length - i, 1 + random.nextInt(64));
            byte[] buf = new byte[n + stripper.heldBytes()];
            int m = stripper.filter(raw, i, n, buf, 0);
            seen.append(new String(buf, 0, m, StandardCharsets.ISO_8859_1));
            i += n;
        }
        byte[] rest = new byte[stripper.heldBytes()];
        seen.append(new String(rest, 0, stripper.flush(rest, 0), StandardCharsets.ISO_8859_1));
        visible = seen.toString();
        return this;
    }

    /** The C and D events in order, e.g. {@code C cmd=[ls] cwd=[/tmp]}, {@code D 0}. */
    List<String> commands() {
        return listener.events.stream().filter(e -> e.startsWith("C ") || e.startsWith("D ")).toList();
    }

    long count(String event) {
        return listener.events.stream().filter(event::equals).count();
    }

    List<String> forgeries() {
        return listener.events.stream().filter(e -> e.startsWith("forged")).toList();
    }

    static String json(Object o) {
        if (o instanceof String s) {
            StringBuilder b = new StringBuilder("\"");
            for (char c : s.toCharArray()) {
                if (c == '"' || c == '\\') {
                    b.append('\\').append(c);
                } else if (c < 0x20 || c > 0x7e) {
                    b.append(String.format("\\u%04x", (int) c));
                } else {
                    b.append(c);
                }
            }
            return b.append('"').toString();
        }
        if (o instanceof List<?> l) {
            List<String> parts = new ArrayList<>();
            l.forEach(x -> parts.add(json(x)));
            return "[" + String.join(", ", parts) + "]";
        }
        Map<?, ?> m = (Map<?, ?>) o;
        return m.entrySet().stream().map(e -> json(e.getKey()) + ": " + json(e.getValue()))
                .collect(Collectors.joining(", ", "{", "}"));
    }
}
