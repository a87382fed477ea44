package org.ttyaudit.bench.server;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Random;

/**
 * Made-up terminal traffic for load tests, deterministic for a seed: a corpus of output that compresses like real
 * output (application logs with timestamps and ids, {@code ls -l} listings, compiler lines, some colour escapes;
 * zstd level 3 takes it to about a fifth), and typed commands with a realistic spread of output sizes.
 *
 * <p>Immutable after construction; thread-safe. Callers bring their own {@link Random}.
 */
public final class SyntheticTerminal {
    private static final String[] LEVELS = {"INFO ", "INFO ", "INFO ", "DEBUG", "WARN ", "ERROR"};
    private static final String[] CLASSES = {"org.shop.orders.OrderService", "org.shop.api.HttpHandler",
        "org.shop.db.ConnectionPool", "org.shop.cache.RedisCache", "com.zaxxer.hikari.pool.HikariPool",
        "org.eclipse.jetty.server.Server", "org.shop.payments.StripeClient", "org.shop.auth.TokenFilter"};
    private static final String[] MESSAGES = {"processed order %d for customer %d in %d ms",
        "GET /api/v1/orders/%d 200 %d bytes %d ms", "connection %d returned to pool (active=%d, idle=%d)",
        "cache miss for key product:%d (ttl %d s, size %d)", "retrying payment %d after timeout (attempt %d of %d)",
        "token for user %d refreshed, expires in %d s (session %d)"};
    private static final String[] NAMES = {"main", "config", "server", "index", "parser", "shop", "orders", "build",
        "test", "README", "util", "cache", "report", "deploy", "notes", "data", "backup", "api", "nginx", "db"};
    private static final String[] EXTENSIONS = {".java", ".md", ".log", ".txt", ".json", ".yaml", ".sh", ".gz", "",
        ".py", ".conf"};
    /** Commands as typed; {@code %s} takes a file name, {@code %d} a number. */
    static final String[] COMMANDS = {"ls -la", "cd src/main/java/org/shop/%s", "git status", "git diff %s",
        "git log --oneline -n %d", "grep -rn TODO --include=*.java %s", "vim %s", "cat %s", "less /var/log/%s",
        "tail -n %d /var/log/nginx/access.log", "docker ps", "kubectl get pods -n %s", "make -j2 test",
        "sudo systemctl restart %s", "ps aux | grep %s", "df -h", "ssh deploy@%s", "curl -s http://localhost:8080/%s",
        "psql -h db.internal -U app -c 'select count(*) from %s'", "top -b -n 1 | head -n %d"};

    private final byte[] corpus;

    /** A corpus of {@code corpusBytes} bytes of output (16 MiB makes 1 MiB chunks differ from each other). */
    public SyntheticTerminal(int corpusBytes, long seed) {
        this.corpus = makeCorpus(corpusBytes, new Random(seed));
    }

    /** {@code length} bytes of output starting at a random place of the corpus. */
    public byte[] output(Random r, int length) {
        byte[] out = new byte[length];
        int at = r.nextInt(corpus.length);
        int filled = 0;
        while (filled < length) {
            int n = Math.min(length - filled, corpus.length - at);
            System.arraycopy(corpus, at, out, filled, n);
            filled += n;
            at = 0;
        }
        return out;
    }

    /** A command line as someone types it. */
    static String command(Random r) {
        String t = COMMANDS[r.nextInt(COMMANDS.length)];
        return t.replace("%s", NAMES[r.nextInt(NAMES.length)] + EXTENSIONS[r.nextInt(EXTENSIONS.length)])
                .replace("%d", Integer.toString(1 + r.nextInt(200)));
    }

    /** How much a typed command prints: mostly a few hundred bytes, sometimes a screenful or a long listing. */
    static int commandOutputSize(Random r) {
        int p = r.nextInt(100);
        if (p < 60) {
            return 100 + r.nextInt(400);
        } else if (p < 90) {
            return 1024 + r.nextInt(3 * 1024);
        }
        return 8 * 1024 + r.nextInt(24 * 1024);
    }

    private static byte[] makeCorpus(int size, Random r) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(size + 4096);
        long millis = 1_764_064_800_000L;   // 2025-11-25T10:00:00Z
        while (out.size() < size) {
            int kind = r.nextInt(10);
            String line;
            if (kind < 6) {
                millis += r.nextInt(50);
                String msg = String.format(MESSAGES[r.nextInt(MESSAGES.length)], r.nextInt(1_000_000),
                        r.nextInt(10_000), r.nextInt(500));
                String level = LEVELS[r.nextInt(LEVELS.length)];
                String coloured = level.startsWith("ERROR") ? "\u001b[31m" + level + "\u001b[0m"
                        : level.startsWith("WARN") ? "\u001b[33m" + level + "\u001b[0m" : level;
                line = java.time.Instant.ofEpochMilli(millis) + " " + coloured + " [worker-" + r.nextInt(16) + "] "
                        + CLASSES[r.nextInt(CLASSES.length)] + " - " + msg;
            } else if (kind < 9) {
                String name = NAMES[r.nextInt(NAMES.length)] + (r.nextBoolean() ? "-" + r.nextInt(100) : "")
                        + EXTENSIONS[r.nextInt(EXTENSIONS.length)];
                line = String.format("-rw-r--r-- 1 alice staff %8d Nov %2d %02d:%02d %s", r.nextInt(2_000_000),
                        1 + r.nextInt(28), r.nextInt(24), r.nextInt(60), name);
            } else {
                line = "src/main/java/org/shop/" + NAMES[r.nextInt(NAMES.length)] + "/"
                        + NAMES[r.nextInt(NAMES.length)] + ".java:" + (1 + r.nextInt(900))
                        + ": warning: [unchecked] unchecked call to add(E) as a member of the raw type List";
            }
            out.writeBytes((line + "\r\n").getBytes(StandardCharsets.UTF_8));
        }
        byte[] all = out.toByteArray();
        return java.util.Arrays.copyOf(all, size);
    }
}
