package org.ttyaudit.server.testkit;

import org.ttyaudit.server.tls.ServerCertificate;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A real S3 API server for tests: s3proxy (its self-contained jar, which the server module's build copies to
 * {@code target/s3proxy/s3proxy.jar}; it is not on the test class path because it brings Jetty 11) in a child
 * JVM, on a free loopback port, with the filesystem backend under a directory of the test (a bucket is a
 * directory there, an object a file below it), AWS signature v4 and random credentials; with TLS, a self-signed
 * certificate for localhost and 127.0.0.1 that clients trust through {@link #caFile}.
 */
public final class S3Server implements AutoCloseable {
    /** Jetty's line for a connector that listens, with its port: {@code …{HTTP/1.1, (http/1.1)}{127.0.0.1:43567}}. */
    private static final Pattern CONNECTOR = Pattern.compile(
            "Started ServerConnector@\\S*\\{([^}]*)}\\{([0-9.]+):(\\d+)}");
    private static final Duration START_TIMEOUT = Duration.ofSeconds(120);
    private static S3Server shared;

    public final URI endpoint;
    public final String accessKeyId;
    public final String secretAccessKey;
    /** The backend's directory: {@code <baseDir>/<bucket>/<object key>}. */
    public final Path baseDir;
    /** With TLS: the server's certificate (PEM), to trust as the CA; null without. */
    public final Path caFile;
    private final Process process;
    private final List<String> output;

    private S3Server(URI endpoint, String accessKeyId, String secretAccessKey, Path baseDir, Path caFile,
                     Process process, List<String> output) {
        this.endpoint = endpoint;
        this.accessKeyId = accessKeyId;
        this.secretAccessKey = secretAccessKey;
        this.baseDir = baseDir;
        this.caFile = caFile;
        this.process = process;
        this.output = output;
    }

    /** A server speaking plain HTTP on 127.0.0.1, its state under {@code workDir}. */
    public static S3Server start(Path workDir) throws IOException, InterruptedException {
        return start(workDir, false);
    }

    /**
     * One plain-HTTP server for the whole test JVM, under this module's {@code target/}: s3proxy takes seconds to
     * start, and test classes need no server of their own when each uses buckets of its own. Never closed by a
     * test; the JVM's exit stops it.
     */
    public static synchronized S3Server shared() throws IOException, InterruptedException {
        if (shared == null) {
            shared = start(Files.createTempDirectory(jar().getParent().getParent(), "s3proxy-shared-"), false);
        }
        return shared;
    }

    /** A server speaking HTTPS only, with a self-signed certificate ({@link #caFile}). */
    public static S3Server startTls(Path workDir) throws IOException, InterruptedException {
        return start(workDir, true);
    }

    private static S3Server start(Path workDir, boolean tls) throws IOException, InterruptedException {
        Path baseDir = Files.createDirectories(workDir.resolve("s3-data"));
        SecureRandom random = new SecureRandom();
        String id = "AK" + HexFormat.of().withUpperCase().formatHex(random.generateSeed(9));
        String secret = HexFormat.of().formatHex(random.generateSeed(20));
        Properties p = new Properties();
        p.setProperty("s3proxy.authorization", "aws-v4");
        p.setProperty("s3proxy.identity", id);
        p.setProperty("s3proxy.credential", secret);
        // "filesystem" writes an object to a temporary file and renames it, as S3 replaces an object whole;
        // s3proxy's newer "filesystem-nio2" writes it in place, so a reader can see a torn object
        p.setProperty("jclouds.provider", "filesystem");
        p.setProperty("jclouds.filesystem.basedir", baseDir.toString());
        p.setProperty("jclouds.identity", "unused");      // the backend wants them; the files need none
        p.setProperty("jclouds.credential", "unused");
        Path caFile = null;
        if (tls) {
            ServerCertificate certificate = ServerCertificate.loadOrCreateSelfSigned(workDir.resolve("s3-tls"),
                    List.of());
            caFile = workDir.resolve("s3-tls").resolve(ServerCertificate.DIRECTORY)
                    .resolve(ServerCertificate.CERT_FILE);
            char[] password = HexFormat.of().formatHex(random.generateSeed(12)).toCharArray();
            Path keystore = workDir.resolve("s3-tls/keystore.p12");
            try (OutputStream out = Files.newOutputStream(keystore)) {
                KeyStore ks = certificate.toKeyStore(password);
                KeyStore pkcs12 = KeyStore.getInstance("PKCS12");
                pkcs12.load(null, null);
                for (String alias : java.util.Collections.list(ks.aliases())) {
                    pkcs12.setEntry(alias, ks.getEntry(alias, new KeyStore.PasswordProtection(password)),
                            new KeyStore.PasswordProtection(password));
                }
                pkcs12.store(out, password);
            } catch (GeneralSecurityException e) {
                throw new IOException("cannot write the test keystore", e);
            }
            p.setProperty("s3proxy.secure-endpoint", "https://127.0.0.1:0");
            p.setProperty("s3proxy.keystore-path", keystore.toString());
            p.setProperty("s3proxy.keystore-password", new String(password));
        } else {
            p.setProperty("s3proxy.endpoint", "http://127.0.0.1:0");
        }
        Path properties = workDir.resolve("s3proxy.properties");
        try (OutputStream out = Files.newOutputStream(properties)) {
            p.store(out, "s3proxy for the S3 blob store's tests");
        }
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        ProcessBuilder pb = new ProcessBuilder(java.toString(), "-Xmx256m", "-XX:TieredStopAtLevel=1",
                "-XX:+UseSerialGC", "-jar", jar().toString(), "--properties", properties.toString())
                .redirectErrorStream(true);
        Process process = pb.start();
        // a test JVM that ends without closing it (a failed @BeforeAll, surefire's timeout) takes it along
        Runtime.getRuntime().addShutdownHook(new Thread(process::destroyForcibly, "s3proxy-stop"));
        List<String> output = new ArrayList<>();
        CompletableFuture<Integer> port = new CompletableFuture<>();
        Thread reader = new Thread(() -> {
            int found = -1;
            try (BufferedReader r = new BufferedReader(new InputStreamReader(process.getInputStream(),
                    StandardCharsets.UTF_8))) {
                for (String line; (line = r.readLine()) != null; ) {
                    synchronized (output) {
                        output.add(line);
                    }
                    Matcher m = CONNECTOR.matcher(line);
                    if (m.find()) {
                        found = Integer.parseInt(m.group(3));
                    }
                    if (line.contains("Started Server@") && found > 0) {
                        port.complete(found);
                    }
                }
            } catch (IOException ignored) {
                // the process ended
            }
            port.completeExceptionally(new IOException("s3proxy exited"));
        }, "s3proxy-output");
        reader.setDaemon(true);
        reader.start();
        try {
            int bound = port.get(START_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
            URI endpoint = new URI((tls ? "https" : "http") + "://127.0.0.1:" + bound);
            return new S3Server(endpoint, id, secret, baseDir, caFile, process, output);
        } catch (TimeoutException | ExecutionException | URISyntaxException e) {
            process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            String tail;
            synchronized (output) {
                tail = String.join("\n", output.subList(Math.max(0, output.size() - 40), output.size()));
            }
            throw new IOException("s3proxy did not start within " + START_TIMEOUT + "; its output:\n" + tail, e);
        }
    }

    /** s3proxy's jar: {@code -Dttyaudit.s3proxy.jar=…}, else where this module's build put it. */
    private static Path jar() throws IOException {
        String given = System.getProperty("ttyaudit.s3proxy.jar");
        if (given != null) {
            return Path.of(given);
        }
        try {
            // target/test-classes or target/ttyaudit-server-…-tests.jar: both lie in the server module's target/
            Path here = Path.of(S3Server.class.getProtectionDomain().getCodeSource().getLocation().toURI());
            Path jar = here.getParent().resolve("s3proxy/s3proxy.jar");
            if (!Files.isRegularFile(jar)) {
                throw new IOException("no s3proxy jar at " + jar + " (the server module's build copies it there in"
                        + " generate-test-resources; or give -Dttyaudit.s3proxy.jar=PATH)");
            }
            return jar;
        } catch (URISyntaxException e) {
            throw new IOException("cannot locate the test classes", e);
        }
    }

    /**
     * The {@code blobs:} section of a server.yaml that keeps chunk bytes in {@code bucket} of this server, under
     * {@code prefix} (null: none), with the secret key read from {@code secretFile} (as the settings name it).
     */
    public String blobsSection(String bucket, String prefix, String secretFile) {
        return "blobs:\n  type: s3\n  endpoint: " + endpoint + "\n  bucket: " + bucket + "\n"
                + (prefix == null ? "" : "  prefix: " + prefix + "\n")
                + "  access_key_id: " + accessKeyId + "\n  secret_access_key: {file: " + secretFile + "}\n";
    }

    /** Creates an empty bucket (a directory of the backend). */
    public String createBucket(String name) throws IOException {
        Files.createDirectories(baseDir.resolve(name));
        return name;
    }

    /** The file that holds object {@code key} of {@code bucket}. */
    public Path objectFile(String bucket, String key) {
        return baseDir.resolve(bucket).resolve(key);
    }

    /** Everything s3proxy printed so far. */
    public String output() {
        synchronized (output) {
            return String.join("\n", output);
        }
    }

    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(20, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
    }
}
