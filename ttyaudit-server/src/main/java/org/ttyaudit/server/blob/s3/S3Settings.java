package org.ttyaudit.server.blob.s3;

import org.ttyaudit.core.config.ConfigException;
import org.ttyaudit.core.config.ConfigNode;
import org.ttyaudit.server.blob.BlobKeys;
import org.ttyaudit.server.blob.BlobStoreException;
import org.ttyaudit.server.notify.SettingValues;

import java.net.InetAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.function.UnaryOperator;
import java.util.regex.Pattern;

/**
 * Where and how an {@link S3BlobStore} stores blobs: the {@code blobs:} section of server.yaml with
 * {@code type: s3}, each connection value overridable by an environment variable ({@link #ENV_ENDPOINT} …).
 * Reading it loads no AWS SDK class (the SDK is loaded when the store is opened).
 *
 * <p>The secret access key is never written in the file: {@code secret_access_key: {file: PATH}} or
 * {@code {env: NAME}}, or the file named by {@code TTYAUDIT_S3_SECRET_ACCESS_KEY_FILE}; without an
 * {@code access_key_id}, the AWS SDK's default credential chain is used (AWS_ACCESS_KEY_ID and
 * AWS_SECRET_ACCESS_KEY, ~/.aws/credentials, container and instance roles). {@link #toString()} and every error
 * leave the secret out. Plain {@code http} is refused unless the endpoint is on this host (loopback): traffic that
 * leaves the host is TLS, verified against the system's CAs or {@code ca_file}'s.
 */
public record S3Settings(URI endpoint, String region, String bucket, String prefix, boolean pathStyle,
                         String accessKeyId, Secret secretAccessKey, Path caFile, Encryption encryption,
                         String kmsKeyId, int maxParallelUploads, Duration connectTimeout, Duration requestTimeout,
                         int maxAttempts) {
    public static final String ENV_ENDPOINT = "TTYAUDIT_S3_ENDPOINT";
    public static final String ENV_REGION = "TTYAUDIT_S3_REGION";
    public static final String ENV_BUCKET = "TTYAUDIT_S3_BUCKET";
    public static final String ENV_PREFIX = "TTYAUDIT_S3_PREFIX";
    public static final String ENV_ACCESS_KEY_ID = "TTYAUDIT_S3_ACCESS_KEY_ID";
    public static final String ENV_SECRET_ACCESS_KEY_FILE = "TTYAUDIT_S3_SECRET_ACCESS_KEY_FILE";
    public static final String ENV_CA_FILE = "TTYAUDIT_S3_CA_FILE";

    static final List<String> KEYS = List.of("type", "endpoint", "region", "bucket", "prefix", "path_style",
            "access_key_id", "secret_access_key", "ca_file", "server_side_encryption", "kms_key_id",
            "max_parallel_uploads", "connect_timeout", "request_timeout", "max_attempts");
    private static final String DEFAULT_REGION = "us-east-1";
    private static final Pattern REGION = Pattern.compile("[a-z0-9][a-z0-9-]{0,39}");
    /** S3's bucket naming rules (lower case; dots allowed, but not next to each other or a dash). */
    private static final Pattern BUCKET = Pattern.compile("[a-z0-9](?:[a-z0-9-]|\\.(?![.-])|-(?!\\.)){1,61}[a-z0-9]");
    private static final Pattern ACCESS_KEY_ID = Pattern.compile("[A-Za-z0-9+/=._-]{3,128}");

    /** Server-side encryption asked for on every PUT. */
    public enum Encryption { NONE, AES256, KMS }

    /** A secret: its text is only handed to the credential provider, never printed. */
    public record Secret(String value) {
        public Secret {
            Objects.requireNonNull(value, "value");
        }

        @Override
        public String toString() {
            return "(secret)";
        }
    }

    public S3Settings {
        Objects.requireNonNull(region, "region");
        Objects.requireNonNull(bucket, "bucket");
        Objects.requireNonNull(prefix, "prefix");
        Objects.requireNonNull(encryption, "encryption");
        Objects.requireNonNull(connectTimeout, "connectTimeout");
        Objects.requireNonNull(requestTimeout, "requestTimeout");
        if ((accessKeyId == null) != (secretAccessKey == null)) {
            throw new IllegalArgumentException("an access key id and its secret go together");
        }
    }

    /**
     * Reads the {@code blobs:} section (its {@code type} is {@code s3}) with the environment's overrides.
     *
     * @param env the environment (System::getenv, or a map in tests)
     * @throws ConfigException naming the key (or the environment variable) and what is wrong with it; it never
     *                         quotes a secret
     */
    public static S3Settings parse(ConfigNode section, UnaryOperator<String> env) {
        section.allowOnly(KEYS);
        URI endpoint = setting(section, "endpoint", ENV_ENDPOINT, env).map(S3Settings::endpoint).orElse(null);
        String region = setting(section, "region", ENV_REGION, env).map(v -> v.matching(REGION,
                "expected an AWS region name such as eu-central-1")).orElse(DEFAULT_REGION);
        String bucket = setting(section, "bucket", ENV_BUCKET, env).map(v -> v.matching(BUCKET,
                "expected a bucket name: 3 to 63 lower-case letters, digits, '-' and '.'"))
                .orElseThrow(() -> section.error("blobs: type s3 needs a 'bucket' (or " + ENV_BUCKET + ")"));
        String prefix = setting(section, "prefix", ENV_PREFIX, env).map(S3Settings::prefix).orElse("");
        boolean pathStyle = section.bool("path_style", endpoint != null);
        String accessKeyId = setting(section, "access_key_id", ENV_ACCESS_KEY_ID, env).map(v -> v.matching(
                ACCESS_KEY_ID, "expected an access key id (letters and digits)")).orElse(null);
        Secret secret = secret(section, env);
        if (accessKeyId != null && secret == null) {
            throw section.error("blobs: access_key_id is set but its secret is not: add secret_access_key: {file:"
                    + " PATH} (or set " + ENV_SECRET_ACCESS_KEY_FILE + ")");
        }
        if (accessKeyId == null && secret != null) {
            throw section.error("blobs: a secret access key is set but no access_key_id (or " + ENV_ACCESS_KEY_ID
                    + ")");
        }
        Path caFile = setting(section, "ca_file", ENV_CA_FILE, env).map(Setting::readableFile).orElse(null);
        if (caFile != null && endpoint != null && !endpoint.getScheme().equals("https")) {
            throw section.error("blobs: ca_file is for an https endpoint, but the endpoint is " + endpoint);
        }
        Encryption encryption = switch (section.choice("server_side_encryption", "none",
                List.of("none", "aes256", "aws:kms"))) {
            case "aes256" -> Encryption.AES256;
            case "aws:kms" -> Encryption.KMS;
            default -> Encryption.NONE;
        };
        String kmsKeyId = section.text("kms_key_id", null);
        if (kmsKeyId != null && encryption != Encryption.KMS) {
            throw section.require("kms_key_id").error("kms_key_id: only with server_side_encryption: aws:kms");
        }
        int parallel = (int) section.number("max_parallel_uploads", 8, 1, 64);
        Duration connect = SettingValues.duration(section, "connect_timeout", Duration.ofSeconds(5),
                Duration.ofMillis(100), Duration.ofMinutes(5));
        Duration request = SettingValues.duration(section, "request_timeout", Duration.ofSeconds(30),
                Duration.ofMillis(100), Duration.ofMinutes(30));
        int attempts = (int) section.number("max_attempts", 4, 1, 20);
        return new S3Settings(endpoint, region, bucket, prefix, pathStyle, accessKeyId, secret, caFile, encryption,
                kmsKeyId, parallel, connect, request, attempts);
    }

    /** How messages name the store: {@code s3://bucket/prefix/} and where it is. */
    public String describe() {
        return location() + " at " + (endpoint != null ? endpoint : "AWS region " + region);
    }

    /** {@code s3://bucket/prefix/}: with a key appended, how messages name a blob. */
    public String location() {
        return "s3://" + bucket + "/" + prefix;
    }

    /** The object key of blob {@code key}. */
    String objectKey(String key) {
        return prefix + key;
    }

    @Override
    public String toString() {
        return "S3Settings[" + describe() + ", path style " + pathStyle + ", access key id "
                + (accessKeyId != null ? accessKeyId : "(default credential chain)") + ", ca_file " + caFile
                + ", encryption " + encryption + "]";
    }

    // ---- reading values -------------------------------------------------------------------------------------

    /** A value from the file or from an environment variable, which can name itself in an error. */
    private record Setting(String text, ConfigNode node, String key, String variable) {
        ConfigException error(String reason) {
            return node != null ? node.error(key + ": " + reason)
                    : new ConfigException("environment variable " + variable, 0, reason);
        }

        String matching(Pattern pattern, String expected) {
            if (!pattern.matcher(text).matches()) {
                throw error(expected + ", not '" + printable(text) + "'");
            }
            return text;
        }

        Path readableFile() {
            Path file = node != null ? SettingValues.path(node, text) : Path.of(text);
            if (!Files.isRegularFile(file) || !Files.isReadable(file)) {
                throw error("cannot read the file " + file);
            }
            return file;
        }
    }

    /** The environment's value when set (it overrides the file), else the file's. */
    private static Optional<Setting> setting(ConfigNode section, String key, String variable,
                                             UnaryOperator<String> env) {
        String fromEnv = env.apply(variable);
        if (fromEnv != null && !fromEnv.isEmpty()) {
            return Optional.of(new Setting(fromEnv, null, key, variable));
        }
        return section.get(key).map(n -> new Setting(section.text(key), n, key, null));
    }

    private static URI endpoint(Setting s) {
        if (s.text().contains("@")) {
            // user info may be a key and its secret (which may hold a '/', so a URI parser does not see it as
            // such): never echo this URL
            throw s.error("the URL must not hold a user name or password; use access_key_id and"
                    + " secret_access_key");
        }
        URI uri;
        try {
            uri = new URI(s.text());
        } catch (URISyntaxException e) {
            throw s.error("not a URL: " + e.getReason());
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("https") && !scheme.equals("http") || uri.getHost() == null) {
            throw s.error("expected an https:// URL such as https://s3.example.com, not '" + printable(s.text())
                    + "'");
        }
        if (uri.getRawQuery() != null || uri.getRawFragment() != null
                || uri.getRawPath() != null && !uri.getRawPath().isEmpty() && !uri.getRawPath().equals("/")) {
            throw s.error("expected the server's URL only (scheme, host, port), not '" + printable(s.text()) + "'");
        }
        if (scheme.equals("http") && !isLoopback(uri.getHost())) {
            throw s.error("plain http is allowed only to this host (loopback); use https for " + uri.getHost());
        }
        return URI.create(scheme + "://" + uri.getRawAuthority());
    }

    private static boolean isLoopback(String host) {
        String h = host.startsWith("[") ? host.substring(1, host.length() - 1) : host;
        if (h.equalsIgnoreCase("localhost")) {
            return true;
        }
        if (!h.matches("[0-9.]+|[0-9a-fA-F:]+")) {
            return false;   // a name: not resolved here, so it is not trusted to stay on this host
        }
        try {
            return InetAddress.getByName(h).isLoopbackAddress();
        } catch (UnknownHostException e) {
            return false;
        }
    }

    private static String prefix(Setting s) {
        String p = s.text();
        while (p.endsWith("/")) {
            p = p.substring(0, p.length() - 1);
        }
        if (p.isEmpty()) {
            return "";
        }
        try {
            BlobKeys.check(p);
        } catch (BlobStoreException e) {
            throw s.error("expected segments of letters, digits, '-', '_' and '.' separated by '/', not '"
                    + printable(s.text()) + "'");
        }
        if (p.length() > 400) {
            throw s.error("at most 400 characters (an object key has at most 1024 bytes)");
        }
        return p + "/";
    }

    private static Secret secret(ConfigNode section, UnaryOperator<String> env) {
        String file = env.apply(ENV_SECRET_ACCESS_KEY_FILE);
        if (file != null && !file.isEmpty()) {
            Setting s = new Setting(file, null, "secret_access_key", ENV_SECRET_ACCESS_KEY_FILE);
            Path path = s.readableFile();
            try {
                String value = Files.readString(path).strip();
                if (value.isEmpty()) {
                    throw s.error("the file " + path + " is empty");
                }
                return new Secret(value);
            } catch (java.io.IOException e) {
                throw s.error("cannot read the file " + path + " (" + e.getClass().getSimpleName() + ")");
            }
        }
        Optional<ConfigNode> node = section.get("secret_access_key");
        if (node.isEmpty()) {
            return null;
        }
        if (node.get().isScalar()) {
            // never quote it: it may be the secret itself
            throw node.get().error("secret_access_key: do not write the secret into the settings file; name a file"
                    + " ({file: /etc/ttyaudit/s3-secret}) or an environment variable ({env: NAME})");
        }
        return new Secret(SettingValues.secret(node.get(), "secret_access_key", env).strip());
    }

    private static String printable(String text) {
        String shown = text.length() > 80 ? text.substring(0, 80) + "…" : text;
        return shown.replaceAll("\\p{Cntrl}", "?");
    }
}
