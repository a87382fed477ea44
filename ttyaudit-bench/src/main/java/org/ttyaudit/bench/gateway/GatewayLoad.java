package org.ttyaudit.bench.gateway;

import org.apache.sshd.client.SshClient;
import org.apache.sshd.client.channel.ChannelExec;
import org.apache.sshd.client.channel.ClientChannelEvent;
import org.apache.sshd.client.config.hosts.HostConfigEntryResolver;
import org.apache.sshd.client.keyverifier.KnownHostsServerKeyVerifier;
import org.apache.sshd.client.keyverifier.RejectAllServerKeyVerifier;
import org.apache.sshd.client.session.ClientSession;
import org.apache.sshd.common.kex.KexProposalOption;
import org.apache.sshd.common.keyprovider.KeyIdentityProvider;
import org.ttyaudit.bench.server.Args;
import org.ttyaudit.bench.server.HeapProbe;
import org.ttyaudit.bench.server.Latencies;
import org.ttyaudit.bench.server.ProcessStats;
import org.ttyaudit.bench.server.SyntheticTerminal;
import org.ttyaudit.gateway.ssh.KeyFiles;
import org.ttyaudit.gateway.testkit.Keys;
import org.ttyaudit.gateway.testkit.Sshd;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The SSH gateway's load benchmark (docs/PERFORMANCE.md, "SSH gateway"): a real OpenSSH sshd on loopback, the
 * gateway in a JVM of its own in front of it, and MINA's SSH client in this JVM driving the same load once
 * directly to the sshd (the baseline) and once through the gateway:
 * <ol>
 *   <li>{@code --sessions} interactive sessions typing and printing ({@link TypingSession}): keystroke round
 *       trip p50/p99/max, direct and through the gateway, and the gateway's CPU;</li>
 *   <li>the gateway's heap per idle session: live heap after a full GC ({@code jcmd GC.run}, read with
 *       {@code jstat}) with {@code --sessions} idle shells open, minus the same with none, divided by their
 *       number; and which classes grew ({@code GC.class_histogram}); with {@code --idle-after-kib N} each shell
 *       first prints N KiB (a burst whose record buffers the session should not keep while idle);</li>
 *   <li>bulk throughput: {@code cat} of a {@code --bulk-mb} file of log-like text over exec channels, 1 stream and
 *       4 in parallel, direct and through the gateway, with MINA's client in this JVM and with the real OpenSSH
 *       client ({@link OpenSshBulk}: the cipher users' clients negotiate).</li>
 * </ol>
 * {@code --phases} picks some of them ({@code typing}, {@code idle}, {@code bulk}; default all three), and
 * {@code --bulk-clients} the bulk clients ({@code mina}, {@code openssh}; default both). {@code --capture} is the
 * capture policy of the sessions: {@code full} (default: every byte stored, the worst case, as in the runs before
 * the gateway applied capture policies) or {@code built-in} (the policy a gateway applies when none is configured:
 * output stored at 4 MiB/s after a 64 MiB burst).
 *
 * <pre>
 * flock -x /tmp/ttyaudit-cpu.lock java -cp ttyaudit-bench/target/benchmarks.jar \
 *     org.ttyaudit.bench.gateway.GatewayLoad [--sessions 200] [--warmup 15] [--duration 60] [--key-ms 200]
 *     [--pause-ms 1000] [--bulk-mb 200] [--gateway-jvm OPTION]... [--work DIR] [--profile]
 *     [--client-ciphers aes128-gcm@openssh.com,...] [--phases typing,idle,bulk] [--bulk-clients mina,openssh]
 *     [--bulk-warmup] [--capture full|built-in] [--idle-after-kib N]
 * </pre>
 */
public final class GatewayLoad {
    private static final Duration TIMEOUT = Duration.ofSeconds(60);

    private final Args args;
    private final int sessions;
    private final int warmup;
    private final int duration;
    private final int keyMs;
    private final int pauseMs;
    private final int bulkMb;
    /** With {@code idle}: the output each shell prints before it sits idle (0: none). */
    private final int idleAfterKiB;
    private final Path work;
    /** JFR in the gateway: the whole run in {@code gateway.jfr}, and {@code idle.jfr} while the idle shells are open. */
    private final boolean profile;
    /**
     * One untimed 4-stream bulk transfer through the gateway before the measured ones, so that they see the JIT's
     * compiled code (AES-GCM and AES-CTR run as plain Java until C2 compiles them with the AES-NI/CLMUL intrinsics:
     * in a fresh gateway that is most of a 400 MB transfer), as a long-running gateway would.
     */
    private final boolean bulkWarmup;
    /** The bench client's ciphers (OpenSSH names, comma-separated); empty: MINA's default order. */
    private final String clientCiphers;
    private final Set<String> phases;
    private final Set<String> bulkClients;
    private final String capture;
    private final SshClient client = SshClient.setUpDefaultClient();
    private final ScheduledExecutorService scheduler = Executors.newScheduledThreadPool(2);
    private KeyPair userKey;
    private Sshd sshd;
    private GatewayChild gateway;

    private GatewayLoad(String[] argv) {
        args = new Args(argv, Set.of("profile", "bulk-warmup"));
        sessions = args.number("sessions", 200);
        warmup = args.number("warmup", 15);
        duration = args.number("duration", 60);
        keyMs = args.number("key-ms", 200);
        pauseMs = args.number("pause-ms", 1000);
        bulkMb = args.number("bulk-mb", 200);
        idleAfterKiB = args.number("idle-after-kib", 0);
        profile = args.flag("profile");
        bulkWarmup = args.flag("bulk-warmup");
        clientCiphers = args.text("client-ciphers", "");
        phases = choices("phases", "typing,idle,bulk");
        bulkClients = choices("bulk-clients", "mina,openssh");
        capture = args.text("capture", "full");
        if (!Set.of("full", "built-in").contains(capture)) {
            throw new IllegalArgumentException("--capture: full or built-in");
        }
        work = Path.of(args.text("work", "target/gwload/"
                + LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss")))).toAbsolutePath();
    }

    private Set<String> choices(String option, String all) {
        Set<String> allowed = Set.of(all.split(","));
        Set<String> chosen = new java.util.LinkedHashSet<>(List.of(args.text(option, all).split(",")));
        if (!allowed.containsAll(chosen)) {
            throw new IllegalArgumentException("--" + option + ": one or more of " + all + ", comma-separated");
        }
        return chosen;
    }

    public static void main(String[] argv) throws Exception {
        quietLogging();
        GatewayLoad load;
        List<String> jvm;
        try {
            load = new GatewayLoad(argv);
            jvm = new ArrayList<>(load.args.all("gateway-jvm"));
            if (load.profile) {
                jvm.add("-XX:StartFlightRecording=settings=profile,dumponexit=true,filename="
                        + load.work.resolve("gateway.jfr"));
            }
            if (!load.args.unknown().isEmpty()) {
                throw new IllegalArgumentException("unknown option(s): " + String.join(" ", load.args.unknown()));
            }
        } catch (IllegalArgumentException e) {
            System.err.println("GatewayLoad: " + e.getMessage());
            System.exit(2);
            return;
        }
        try {
            load.run(jvm);
        } finally {
            load.close();
        }
        System.exit(0);
    }

    private void run(List<String> jvm) throws Exception {
        Files.createDirectories(work);
        say("work %s; %d sessions, key every %d ms, command every %d ms, capture %s; /proc/loadavg %s", work, sessions,
                keyMs, pauseMs, capture, loadAverage());
        Path key = Keys.generate(work.resolve("user_key"), "ed25519");
        userKey = KeyFiles.load(key);
        sshd = Sshd.start(work.resolve("sshd"), List.of("MaxStartups 1000", "MaxSessions 1000"));
        sshd.authorize(Keys.publicLine(key));
        String remoteUser = System.getProperty("user.name");
        gateway = GatewayChild.start(work, sshd.port(), remoteUser, Keys.publicLine(key), capture, jvm);
        sshd.authorize(gateway.identityLine);
        Files.writeString(work.resolve("gw/known_hosts"), sshd.knownHostsLine() + "\n");
        Path knownHosts = work.resolve("client_known_hosts");
        Files.writeString(knownHosts, sshd.knownHostsLine() + "\n[127.0.0.1]:" + gateway.port + " "
                + gateway.hostKeyLine + "\n");
        client.setServerKeyVerifier(new KnownHostsServerKeyVerifier(RejectAllServerKeyVerifier.INSTANCE, knownHosts));
        client.setHostConfigEntryResolver(HostConfigEntryResolver.EMPTY);
        client.setKeyIdentityProvider(KeyIdentityProvider.wrapKeyPairs(userKey));
        if (!clientCiphers.isEmpty()) {
            client.setCipherFactoriesNameList(clientCiphers);
        }
        client.start();
        say("sshd port %d, gateway port %d pid %d; client ciphers %s", sshd.port(), gateway.port, gateway.pid(),
                client.getCipherFactoriesNameList());
        Target direct = new Target("direct", remoteUser, sshd.port());
        Target viaGateway = new Target("gateway", GatewayProcess.USER + "%" + GatewayProcess.TARGET, gateway.port);

        TypingSession.Stats d = null;
        TypingSession.Stats g = null;
        if (phases.contains("typing")) {
            d = typing(direct);
            g = typing(viaGateway);
        }
        if (phases.contains("idle")) {
            try (HeapProbe heap = HeapProbe.ofProcess(gateway.pid())) {
                idleHeap(viaGateway, heap);
            }
        }
        List<String> bulkRows = new ArrayList<>();
        if (phases.contains("bulk")) {
            if (bulkClients.contains("mina")) {
                bulkRows.addAll(bulkRows("MINA client", warmedUp(this::bulk, viaGateway), direct, viaGateway));
            }
            if (bulkClients.contains("openssh")) {
                OpenSshBulk openssh = new OpenSshBulk(key, knownHosts, work, clientCiphers);
                bulkRows.addAll(bulkRows("OpenSSH client", warmedUp((t, n) -> bulkOpenSsh(openssh, t, n), viaGateway),
                        direct, viaGateway));
            }
        }
        report(d, g, bulkRows);
    }

    private interface BulkRun {
        double mbs(Target t, int streams) throws Exception;
    }

    /** {@code run}, after one untimed transfer through the gateway when {@code --bulk-warmup} asks for it. */
    private BulkRun warmedUp(BulkRun run, Target viaGateway) throws Exception {
        if (bulkWarmup) {
            say("bulk warm-up through the gateway (not measured)");
            run.mbs(viaGateway, 4);
        }
        return run;
    }

    /** 1 and 4 streams, direct then through the gateway: the report's rows. */
    private static List<String> bulkRows(String client, BulkRun run, Target direct, Target viaGateway)
            throws Exception {
        double[] d = {run.mbs(direct, 1), run.mbs(direct, 4)};
        double[] g = {run.mbs(viaGateway, 1), run.mbs(viaGateway, 4)};
        List<String> rows = new ArrayList<>();
        for (int i = 0; i < 2; i++) {
            rows.add(String.format("| bulk, %s, %d stream%s (MB/s) | %.1f | %.1f | %.0f %% | ≥ 50 %% |", client,
                    i == 0 ? 1 : 4, i == 0 ? "" : "s", d[i], g[i], 100 * g[i] / d[i]));
        }
        return rows;
    }

    private double bulkOpenSsh(OpenSshBulk openssh, Target t, int streams) throws Exception {
        Path file = bulkFile();
        ProcessStats gw0 = ProcessStats.of(gateway.pid());
        OpenSshBulk.Result r = openssh.run(t.login(), t.port(), file, streams);
        ProcessStats gw1 = ProcessStats.of(gateway.pid());
        long expected = Files.size(file) * streams;
        double mbs = r.bytes() / r.seconds() / 1e6;
        say("bulk %s, OpenSSH ssh, %d stream(s), %s: %.1f MB/s (%d of %d bytes in %.1f s); gateway CPU %.2f core;"
                        + " /proc/loadavg %s", t.name(), streams, r.negotiated(), mbs, r.bytes(), expected, r.seconds(),
                (gw1.cpuMillis() - gw0.cpuMillis()) / 1000.0 / r.seconds(), loadAverage());
        if (r.bytes() != expected) {
            throw new IOException("bulk " + t.name() + ": received " + r.bytes() + " bytes, expected " + expected);
        }
        Thread.sleep(2000);
        return mbs;
    }

    /** Where the client logs in. */
    private record Target(String name, String login, int port) {
    }

    private ClientSession login(Target t) throws IOException {
        ClientSession s = client.connect(t.login(), "127.0.0.1", t.port()).verify(TIMEOUT).getSession();
        s.auth().verify(TIMEOUT);
        return s;
    }

    /** Opens {@code sessions} shells, a few at a time (the logins cost CPU: not part of what is measured). */
    private List<TypingSession> openShells(Target t, TypingSession.Stats stats) throws Exception {
        ExecutorService openers = Executors.newFixedThreadPool(4);
        List<Future<TypingSession>> opening = new ArrayList<>();
        for (int i = 0; i < sessions; i++) {
            long seed = i;
            opening.add(openers.submit(() -> TypingSession.open(login(t), scheduler, stats, seed, keyMs, pauseMs)));
        }
        List<TypingSession> open = new ArrayList<>();
        try {
            for (Future<TypingSession> f : opening) {
                open.add(f.get());
            }
        } finally {
            openers.shutdown();
        }
        return open;
    }

    private TypingSession.Stats typing(Target t) throws Exception {
        TypingSession.Stats stats = new TypingSession.Stats();
        long t0 = System.nanoTime();
        List<TypingSession> open = openShells(t, stats);
        say("%s: %d shells open in %.1f s; typing, %d s warm-up", t.name(), open.size(),
                (System.nanoTime() - t0) / 1e9, warmup);
        open.forEach(TypingSession::type);
        Thread.sleep(warmup * 1000L);
        stats.measuring = true;
        ProcessStats gw0 = ProcessStats.of(gateway.pid());
        long m0 = System.nanoTime();
        Thread.sleep(duration * 1000L);
        stats.measuring = false;
        double seconds = (System.nanoTime() - m0) / 1e9;
        ProcessStats gw1 = ProcessStats.of(gateway.pid());
        long stuck = open.stream().filter(s -> s.stuck(Duration.ofSeconds(10))).count();
        Latencies.Summary k = stats.keys.summary();
        say("%s: keystroke round trip %s (%.0f keys/s); Enter to prompt %s; gateway CPU %.2f core, %d threads,"
                        + " RSS %d MiB; stuck sessions %d; /proc/loadavg %s", t.name(), k, k.count() / seconds,
                stats.commands.summary(), (gw1.cpuMillis() - gw0.cpuMillis()) / 1000.0 / seconds, gw1.threads(),
                gw1.rssKiB() / 1024, stuck, loadAverage());
        open.forEach(TypingSession::close);
        Thread.sleep(3000);
        return stats;
    }

    /** Live heap of the gateway with no session, then with {@code sessions} idle shells. */
    private void idleHeap(Target t, HeapProbe heap) throws Exception {
        Thread.sleep(2000);
        HeapProbe.Sample before = heap.afterFullGc();
        String histogramBefore = jcmd("GC.class_histogram");
        ProcessStats p0 = ProcessStats.of(gateway.pid());
        TypingSession.Stats unused = new TypingSession.Stats();
        List<TypingSession> open = openShells(t, unused);
        if (idleAfterKiB > 0) {
            // Each shell first prints a burst (its record's buffers grow with the chunks), then sits idle.
            for (TypingSession s : open) {
                s.run("head -c " + idleAfterKiB * 1024L + " /dev/zero | tr '\\0' x; echo");
            }
        }
        Thread.sleep(5000);
        HeapProbe.Sample after = heap.afterFullGc();
        String histogramAfter = jcmd("GC.class_histogram");
        if (profile) {
            // jdk.OldObjectSample: where the objects still live now were allocated
            jcmd("JFR.dump", "filename=" + work.resolve("idle.jfr"));
        }
        ProcessStats p1 = ProcessStats.of(gateway.pid());
        say("idle%s: live heap %d KiB with none, %d KiB with %d idle shells: %.1f KiB per session; RSS %d -> %d MiB"
                        + " (%.0f KiB per session), threads %d -> %d",
                idleAfterKiB > 0 ? " after " + idleAfterKiB + " KiB of output each" : "", before.usedKiB(),
                after.usedKiB(), open.size(),
                (after.usedKiB() - before.usedKiB()) / (double) open.size(), p0.rssKiB() / 1024, p1.rssKiB() / 1024,
                (p1.rssKiB() - p0.rssKiB()) / (double) open.size(), p0.threads(), p1.threads());
        Files.writeString(work.resolve("histogram-idle-0.txt"), histogramBefore);
        Files.writeString(work.resolve("histogram-idle-" + open.size() + ".txt"), histogramAfter);
        HistogramDiff.print(histogramBefore, histogramAfter, open.size(), 15, System.out);
        idlePerSessionKiB = (after.usedKiB() - before.usedKiB()) / (double) open.size();
        open.forEach(TypingSession::close);
        Thread.sleep(3000);
    }

    private double idlePerSessionKiB;

    /** MB/s of {@code streams} parallel {@code cat} of the bulk file (each in its own connection). */
    private double bulk(Target t, int streams) throws Exception {
        Path file = bulkFile();
        List<ClientSession> logins = new ArrayList<>();
        List<ChannelExec> channels = new ArrayList<>();
        AtomicLong bytes = new AtomicLong();
        java.io.ByteArrayOutputStream errors = new java.io.ByteArrayOutputStream();
        for (int i = 0; i < streams; i++) {
            ClientSession s = login(t);
            logins.add(s);
            ChannelExec exec = s.createExecChannel("cat " + file);
            OutputStream counter = new OutputStream() {
                @Override
                public void write(int b) {
                    bytes.incrementAndGet();
                }

                @Override
                public void write(byte[] b, int off, int len) {
                    bytes.addAndGet(len);
                }
            };
            exec.setOut(counter);
            exec.setErr(errors);
            channels.add(exec);
        }
        ProcessStats gw0 = ProcessStats.of(gateway.pid());
        long t0 = System.nanoTime();
        for (ChannelExec c : channels) {
            c.open().verify(TIMEOUT);
        }
        for (ChannelExec c : channels) {
            c.waitFor(EnumSet.of(ClientChannelEvent.CLOSED), 0L);
        }
        double seconds = (System.nanoTime() - t0) / 1e9;
        ProcessStats gw1 = ProcessStats.of(gateway.pid());
        String negotiated = logins.get(0).getNegotiatedKexParameter(KexProposalOption.S2CENC) + " "
                + logins.get(0).getNegotiatedKexParameter(KexProposalOption.S2CMAC);
        logins.forEach(s -> s.close(false));
        long expected = Files.size(file) * streams;
        double mbs = bytes.get() / seconds / 1e6;
        say("bulk %s, MINA client, %d stream(s), %s: %.1f MB/s (%d of %d bytes in %.1f s); gateway CPU %.2f core;"
                        + " /proc/loadavg %s", t.name(), streams, negotiated, mbs, bytes.get(), expected, seconds,
                (gw1.cpuMillis() - gw0.cpuMillis()) / 1000.0 / seconds, loadAverage());
        if (errors.size() > 0) {
            // the remote shell's start-up files may say something; it is not part of the stream measured
            say("bulk %s: standard error: %s", t.name(), errors.toString().trim());
        }
        if (bytes.get() != expected) {
            throw new IOException("bulk " + t.name() + ": received " + bytes.get() + " bytes, expected " + expected);
        }
        Thread.sleep(2000);
        return mbs;
    }

    /** {@code --bulk-mb} of log-like text (compresses like real output), made once per work directory. */
    private Path bulkFile() throws IOException {
        Path file = work.resolve("bulk.txt");
        if (!Files.exists(file)) {
            SyntheticTerminal text = new SyntheticTerminal(16 * 1024 * 1024, 42);
            Random r = new Random(7);
            try (OutputStream out = Files.newOutputStream(file)) {
                for (int i = 0; i < bulkMb; i++) {
                    out.write(text.output(r, 1_000_000));
                }
            }
        }
        return file;
    }

    private void report(TypingSession.Stats d, TypingSession.Stats g, List<String> bulkRows) {
        System.out.println();
        System.out.printf("| | direct | gateway | gateway − direct | target |%n| --- | --- | --- | --- | --- |%n");
        if (d != null) {
            Latencies.Summary kd = d.keys.summary();
            Latencies.Summary kg = g.keys.summary();
            System.out.printf("| keystroke round trip p50 / p99 / max (ms), %d sessions | %.2f / %.2f / %.1f | %.2f"
                            + " / %.2f / %.1f | p99 +%.2f | p99 +≤ 5 ms |%n", sessions, kd.p50(), kd.p99(), kd.max(),
                    kg.p50(), kg.p99(), kg.max(), kg.p99() - kd.p99());
            Latencies.Summary cd = d.commands.summary();
            Latencies.Summary cg = g.commands.summary();
            System.out.printf("| Enter to prompt p50 / p99 (ms) | %.1f / %.1f | %.1f / %.1f | | |%n", cd.p50(),
                    cd.p99(), cg.p50(), cg.p99());
        }
        bulkRows.forEach(System.out::println);
        if (phases.contains("idle")) {
            System.out.printf("| gateway live heap per idle session (KiB) | | %.1f | | ≤ 256 KB |%n", idlePerSessionKiB);
        }
    }

    private String jcmd(String... command) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of("jcmd", Long.toString(gateway.pid())));
        cmd.addAll(List.of(command));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        p.waitFor();
        return out;
    }

    /** MINA logs every login at INFO through slf4j-simple; 400 of those lines would bury the results. */
    static void quietLogging() {
        if (System.getProperty("org.slf4j.simpleLogger.defaultLogLevel") == null) {
            System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", "warn");
        }
    }

    private static String loadAverage() {
        try {
            return Files.readString(Path.of("/proc/loadavg")).trim();
        } catch (IOException e) {
            return "?";
        }
    }

    private static void say(String format, Object... values) {
        System.out.printf("gwload: " + format + "%n", values);
    }

    private void close() throws Exception {
        scheduler.shutdownNow();
        client.stop();
        if (gateway != null) {
            gateway.close();
        }
        if (sshd != null) {
            sshd.close();
        }
    }
}
