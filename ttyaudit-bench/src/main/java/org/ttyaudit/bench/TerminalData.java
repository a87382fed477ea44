package org.ttyaudit.bench;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

/**
 * Realistic terminal traffic for the benchmarks, made up deterministically (fixed seeds) so every run measures the
 * same bytes: {@code ls -l} listings, {@code ls --color} output, a bash prompt with shell-integration markers, and
 * the byte stream a line editor (readline) writes while someone types, corrects and recalls commands.
 *
 * <p>The pty turns {@code \n} into {@code \r\n}, so all lines end in CR LF as the recorder sees them.
 *
 * <p>Stateless; every method returns fresh arrays.
 */
final class TerminalData {
    /** The amount of terminal output most benchmarks process per operation: ops/s are then MiB/s. */
    static final int MIB = 1024 * 1024;
    /** What the recorder's pumps read from the pty master at most at once. */
    static final int READ_SIZE = 64 * 1024;
    /** A session nonce as {@code ShellIntegration.newNonce()} makes them (32 hex digits). */
    static final String NONCE = "3f9c2a7be1d04c58a6e2b7f01d9c4e5a";

    static final String PROMPT = "\u001b]0;alice@web1: ~/src/shop\u0007"
            + "\u001b[01;32malice@web1\u001b[00m:\u001b[01;34m~/src/shop\u001b[00m$ ";

    private static final String[] WORDS = {"main", "config", "server", "index", "parser", "shop", "orders",
        "build", "test", "README", "util", "cache", "report", "deploy", "notes", "data", "backup", "api"};
    private static final String[] EXTENSIONS = {".java", ".md", ".log", ".txt", ".json", ".yaml", ".sh", ".gz",
        "", ".py", ".conf"};
    /** GNU ls colours: directory, executable, symlink, archive, plain. */
    private static final String[] COLOURS = {"01;34", "01;32", "01;36", "01;31", null, null, null};
    private static final String[] UTF8_NAMES = {"größe", "résumé", "日本語", "отчёт", "naïve", "café"};

    /** Commands as typed at the prompt, some of them with secrets that the default mask rules catch. */
    static final String[] COMMANDS = {
        "ls -la",
        "cd src/main/java/org/shop/orders",
        "git status",
        "git log --oneline --graph -n 20 -- src/main/java",
        "grep -rn 'TODO' --include=*.java .",
        "export AWS_SECRET_ACCESS_KEY=wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
        "mysql -h db.internal -u app --password=S3cr3tPassw0rd shop",
        "docker ps --format '{{.Names}}\\t{{.Status}}'",
        "tail -n 100 /var/log/nginx/access.log | awk '{print $9}' | sort | uniq -c",
        "curl -s -H 'Authorization: Bearer eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJhbGljZSJ9.c2lnbmF0dXJl' "
                + "https://api.example.com/v1/orders",
        "vim config/application.yaml",
        "make -j2 test",
    };

    private TerminalData() {
    }

    /** {@code ls -l} listing lines, exactly {@code size} bytes. */
    static byte[] longListing(int size, long seed) {
        Random r = new Random(seed);
        StringBuilder b = new StringBuilder(size + 200);
        while (b.length() < size) {
            b.append(r.nextInt(5) == 0 ? "drwxr-xr-x" : "-rw-r--r--").append(' ').append(1 + r.nextInt(3))
                    .append(" alice staff ").append(String.format("%8d", r.nextInt(10_000_000)))
                    .append(" May ").append(String.format("%2d", 1 + r.nextInt(28))).append(' ')
                    .append(String.format("%02d:%02d", r.nextInt(24), r.nextInt(60))).append(' ')
                    .append(fileName(r)).append("\r\n");
        }
        return Arrays.copyOf(b.toString().getBytes(StandardCharsets.UTF_8), size);
    }

    /**
     * {@code ls --color} output (GNU ls: {@code ESC[0m ESC[01;34m name ESC[0m}, names in columns, some of them
     * UTF-8), about {@code size} bytes, cut at a line end.
     */
    static byte[] colourListing(int size, long seed) {
        return cutAtLineEnd(colourText(size + 200, new Random(seed)), size);
    }

    private static String colourText(int size, Random r) {
        StringBuilder b = new StringBuilder(size + 200);
        while (b.length() < size) {
            int columns = 3 + r.nextInt(3);
            for (int c = 0; c < columns; c++) {
                String name = r.nextInt(12) == 0 ? UTF8_NAMES[r.nextInt(UTF8_NAMES.length)] : fileName(r);
                String colour = COLOURS[r.nextInt(COLOURS.length)];
                b.append("\u001b[0m");
                if (colour != null) {
                    b.append("\u001b[").append(colour).append('m').append(name).append("\u001b[0m");
                } else {
                    b.append(name);
                }
                b.append(" ".repeat(Math.max(2, 18 - name.length())));
            }
            b.append("\r\n");
        }
        return b.toString();
    }

    /**
     * A bash session as its output stream shows it with shell integration on: for each command the D, A, B and C
     * markers (right nonce) around the prompt, the echoed command line, then about 2 KiB of coloured output.
     *
     * @return the stream (at least {@code size} bytes, at most 3 KiB more, ending after a command's output) and
     *         how many marker bytes and markers it holds, so a benchmark can check that the stripper removed
     *         exactly those
     */
    static MarkedStream markedSession(int size, long seed) {
        Random r = new Random(seed);
        ByteArrayOutputStream out = new ByteArrayOutputStream(size + 4096);
        long markerBytes = 0;
        long markers = 0;
        int i = 0;
        while (out.size() < size) {
            String command = COMMANDS[i++ % COMMANDS.length];
            String d = marker('D', ";exit=" + (r.nextInt(8) == 0 ? 1 : 0));
            String a = marker('A', "");
            String bm = marker('B', "");
            String c = marker('C', ";cmd=" + escape(command) + ";cwd=/home/alice/src/shop");
            write(out, d + a + PROMPT + bm + command + "\r\n" + c);
            write(out, colourText(1500 + r.nextInt(1000), r));
            markerBytes += d.length() + a.length() + bm.length() + c.getBytes(StandardCharsets.UTF_8).length;
            markers += 4;
        }
        return new MarkedStream(out.toByteArray(), markerBytes, markers);
    }

    /** A byte stream with shell-integration markers, and what is known about them. */
    record MarkedStream(byte[] bytes, long markerBytes, long markers) {
    }

    /** One of our markers as the bash hooks write it, terminated by BEL. */
    static String marker(char kind, String params) {
        return "\u001b]133;" + kind + ";ttyaudit=" + NONCE + params + "\u0007";
    }

    /** The marker value escaping of docs/SHELL-INTEGRATION.md for the ASCII command lines used here. */
    private static String escape(String value) {
        StringBuilder b = new StringBuilder();
        for (char ch : value.toCharArray()) {
            if (ch < 0x20 || ch == 0x7f || ch == ';' || ch == '\\') {
                b.append(String.format("\\x%02x", (int) ch));
            } else {
                b.append(ch);
            }
        }
        return b.toString();
    }

    /**
     * What an interactive bash with readline writes to the terminal while a user works, as the pieces the
     * recorder reads one at a time: the prompt; one echo per keystroke; typos corrected with Backspace
     * ({@code BS ESC[K}); the cursor moved left and a character inserted mid-line (readline reprints the rest of
     * the line and moves back); history recall with the Up key (the line is redrawn over the old one); an
     * ambiguous Tab that lists candidates and redraws prompt and line; lines longer than 80 columns that wrap;
     * then the command's output (a few lines to a few KiB) and the next prompt.
     *
     * @return the pieces, together at least {@code size} bytes
     */
    static List<byte[]> shellEditingPieces(int size, long seed) {
        Random r = new Random(seed);
        List<byte[]> pieces = new ArrayList<>();
        long total = 0;
        int i = 0;
        while (total < size) {
            List<String> p = new ArrayList<>();
            p.add(PROMPT);
            String command = COMMANDS[i++ % COMMANDS.length];
            int recall = r.nextInt(4);
            if (recall == 0 && i > 1) {
                // Up arrow twice: readline moves to the start of the line, prints the recalled line, clears the rest.
                String previous = COMMANDS[(i - 2) % COMMANDS.length];
                p.add(previous);
                p.add("\r" + PROMPT.substring(PROMPT.indexOf("\u001b[01;32m")) + command + "\u001b[K");
            } else {
                typeLine(command, r, p);
            }
            if (r.nextInt(5) == 0) {
                // An ambiguous Tab: bell, then on the second Tab the candidates and the redrawn prompt and line.
                p.add("\u0007");
                p.add("\r\n" + colourText(160, r) + PROMPT + command);
            }
            p.add("\r\n");
            p.add(colourText(r.nextInt(6) == 0 ? 2048 + r.nextInt(2048) : 80 + r.nextInt(600), r));
            for (String s : p) {
                byte[] bytes = s.getBytes(StandardCharsets.UTF_8);
                pieces.add(bytes);
                total += bytes.length;
            }
        }
        return pieces;
    }

    /** The echo of typing {@code line} key by key, with a typo corrected and a mid-line insertion now and then. */
    private static void typeLine(String line, Random r, List<String> p) {
        int insertAt = line.length() > 10 && r.nextBoolean() ? 3 + r.nextInt(line.length() - 6) : -1;
        String typed = insertAt < 0 ? line : line.substring(0, insertAt) + line.substring(insertAt + 1);
        for (int k = 0; k < typed.length(); k++) {
            if (r.nextInt(25) == 0) {
                p.add(String.valueOf((char) ('a' + r.nextInt(26))));
                p.add("\b\u001b[K");
            }
            p.add(String.valueOf(typed.charAt(k)));
        }
        if (insertAt >= 0) {
            // Left arrow back to the gap, type the missing character: readline reprints the tail and steps back.
            int back = typed.length() - insertAt;
            for (int k = 0; k < back; k++) {
                p.add("\b");
            }
            String tail = typed.substring(insertAt);
            p.add(line.charAt(insertAt) + tail + "\b".repeat(tail.length()));
            p.add("\u001b[" + tail.length() + "C");
        }
    }

    /** Concatenates pieces. */
    static byte[] concat(List<byte[]> pieces) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] piece : pieces) {
            out.writeBytes(piece);
        }
        return out.toByteArray();
    }

    private static String fileName(Random r) {
        return WORDS[r.nextInt(WORDS.length)] + (r.nextBoolean() ? "_" + r.nextInt(1000) : "")
                + EXTENSIONS[r.nextInt(EXTENSIONS.length)];
    }

    private static byte[] cutAtLineEnd(String text, int size) {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        int end = Math.min(size, bytes.length);
        while (end > 0 && bytes[end - 1] != '\n') {
            end--;
        }
        return Arrays.copyOf(bytes, end);
    }

    private static void write(ByteArrayOutputStream out, String s) {
        out.writeBytes(s.getBytes(StandardCharsets.UTF_8));
    }
}
