package org.ttyaudit.server.blob;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.ttyaudit.core.config.ConfigException;
import org.ttyaudit.core.config.ConfigNode;
import org.ttyaudit.core.config.YamlConfig;
import org.ttyaudit.server.blob.s3.S3Settings;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The {@code blobs:} section: the directory by default, S3 with every key checked, environment overrides. */
class BlobSettingsTest {
    private static final String SECRET = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYSECRETKEY";

    @TempDir
    Path dir;
    final Map<String, String> env = new HashMap<>();

    private BlobSettings parse(String yaml) throws Exception {
        Path file = Files.writeString(dir.resolve("server.yaml"), yaml);
        ConfigNode blobs = YamlConfig.read(file).mapping("blobs");
        return BlobSettings.parse(blobs, env::get);
    }

    private S3Settings s3(String yaml) throws Exception {
        return ((BlobSettings.S3) parse(yaml)).settings();
    }

    private Path secretFile() throws Exception {
        return Files.writeString(dir.resolve("s3-secret"), SECRET + "\n");
    }

    @Test
    void withoutTheSectionBlobsAreFilesInTheDataDirectory() throws Exception {
        assertThat(parse("rules: {}\n")).isInstanceOf(BlobSettings.Directory.class);
        assertThat(parse("blobs:\n  type: directory\n")).isInstanceOf(BlobSettings.Directory.class);
        assertThatThrownBy(() -> parse("blobs:\n  type: directory\n  bucket: bkt\n"))
                .isInstanceOf(ConfigException.class).hasMessageContaining(":3: unknown key 'bucket'");
        assertThatThrownBy(() -> parse("blobs:\n  type: gcs\n")).isInstanceOf(ConfigException.class)
                .hasMessageContaining(":2: type: unknown value 'gcs' (expected one of directory, s3)");
    }

    @Test
    void everyS3KeyIsRead() throws Exception {
        Path ca = Files.writeString(dir.resolve("ca.pem"), "not checked until the store opens");
        S3Settings s = s3("blobs:\n  type: s3\n  endpoint: https://s3.example.com:9000/\n  region: eu-central-1\n"
                + "  bucket: audit.records-1\n  prefix: ttyaudit/prod/\n  path_style: false\n"
                + "  access_key_id: AKIAEXAMPLE\n  secret_access_key: {file: " + secretFile() + "}\n"
                + "  ca_file: ca.pem\n  server_side_encryption: aws:kms\n  kms_key_id: alias/ttyaudit\n"
                + "  max_parallel_uploads: 16\n  connect_timeout: 2s\n  request_timeout: 1m\n  max_attempts: 6\n");

        assertThat(s.endpoint()).isEqualTo(URI.create("https://s3.example.com:9000"));
        assertThat(s.region()).isEqualTo("eu-central-1");
        assertThat(s.bucket()).isEqualTo("audit.records-1");
        assertThat(s.prefix()).isEqualTo("ttyaudit/prod/");
        assertThat(s.pathStyle()).isFalse();
        assertThat(s.accessKeyId()).isEqualTo("AKIAEXAMPLE");
        assertThat(s.secretAccessKey().value()).isEqualTo(SECRET);
        assertThat(s.caFile()).isEqualTo(ca);
        assertThat(s.encryption()).isEqualTo(S3Settings.Encryption.KMS);
        assertThat(s.kmsKeyId()).isEqualTo("alias/ttyaudit");
        assertThat(s.maxParallelUploads()).isEqualTo(16);
        assertThat(s.connectTimeout()).isEqualTo(Duration.ofSeconds(2));
        assertThat(s.requestTimeout()).isEqualTo(Duration.ofMinutes(1));
        assertThat(s.maxAttempts()).isEqualTo(6);
        assertThat(s.toString()).doesNotContain(SECRET).contains("AKIAEXAMPLE");
        assertThat(s.location()).isEqualTo("s3://audit.records-1/ttyaudit/prod/");
    }

    @Test
    void defaultsNeedOnlyABucketAndUseTheAwsCredentialChain() throws Exception {
        S3Settings s = s3("blobs:\n  type: s3\n  bucket: records\n");

        assertThat(s.endpoint()).isNull();
        assertThat(s.region()).isEqualTo("us-east-1");
        assertThat(s.prefix()).isEmpty();
        assertThat(s.pathStyle()).isFalse();
        assertThat(s.accessKeyId()).isNull();
        assertThat(s.secretAccessKey()).isNull();
        assertThat(s.encryption()).isEqualTo(S3Settings.Encryption.NONE);
        assertThat(s3("blobs:\n  type: s3\n  bucket: records\n  endpoint: http://127.0.0.1:9000\n").pathStyle())
                .as("an endpoint of its own is S3-compatible storage: path-style by default").isTrue();
    }

    @Test
    void theEnvironmentOverridesTheFile() throws Exception {
        env.put(S3Settings.ENV_ENDPOINT, "https://minio.internal:9000");
        env.put(S3Settings.ENV_REGION, "eu-west-3");
        env.put(S3Settings.ENV_BUCKET, "from-env");
        env.put(S3Settings.ENV_PREFIX, "p");
        env.put(S3Settings.ENV_ACCESS_KEY_ID, "AKFROMENV");
        env.put(S3Settings.ENV_SECRET_ACCESS_KEY_FILE, secretFile().toString());

        S3Settings s = s3("blobs:\n  type: s3\n  bucket: from-file\n  endpoint: https://elsewhere\n");

        assertThat(s.endpoint()).isEqualTo(URI.create("https://minio.internal:9000"));
        assertThat(s.region()).isEqualTo("eu-west-3");
        assertThat(s.bucket()).isEqualTo("from-env");
        assertThat(s.prefix()).isEqualTo("p/");
        assertThat(s.accessKeyId()).isEqualTo("AKFROMENV");
        assertThat(s.secretAccessKey().value()).isEqualTo(SECRET);
    }

    @Test
    void aSecretWrittenIntoTheFileIsRefusedWithoutQuotingIt() {
        assertThatThrownBy(() -> s3("blobs:\n  type: s3\n  bucket: bkt\n  access_key_id: AKIAEXAMPLE\n"
                + "  secret_access_key: " + SECRET + "\n")).isInstanceOf(ConfigException.class)
                .hasMessageContaining(":5: secret_access_key: do not write the secret into the settings file")
                .hasMessageNotContaining(SECRET);
    }

    @Test
    void aSecretFromTheEnvironmentIsAccepted() throws Exception {
        env.put("S3_SECRET", SECRET);
        S3Settings s = s3("blobs:\n  type: s3\n  bucket: bkt\n  access_key_id: AKIAEXAMPLE\n"
                + "  secret_access_key: {env: S3_SECRET}\n");

        assertThat(s.secretAccessKey().value()).isEqualTo(SECRET);
    }

    @Test
    void anEndpointWithCredentialsInItIsRefusedWithoutEchoingIt() {
        assertThatThrownBy(() -> s3("blobs:\n  type: s3\n  bucket: bkt\n  endpoint: https://AKID:" + SECRET
                + "@s3.example.com\n")).isInstanceOf(ConfigException.class)
                .hasMessageContaining(":4: endpoint: the URL must not hold a user name or password")
                .hasMessageNotContaining(SECRET);
    }

    @Test
    void plainHttpIsOnlyForThisHost() throws Exception {
        assertThat(s3("blobs:\n  type: s3\n  bucket: bkt\n  endpoint: http://localhost:9000\n").endpoint())
                .hasScheme("http");
        assertThat(s3("blobs:\n  type: s3\n  bucket: bkt\n  endpoint: http://[::1]:9000\n").endpoint())
                .hasScheme("http");
        assertThatThrownBy(() -> s3("blobs:\n  type: s3\n  bucket: bkt\n  endpoint: http://minio.internal:9000\n"))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining(":4: endpoint: plain http is allowed only to this host (loopback); use https"
                        + " for minio.internal");
        env.put(S3Settings.ENV_ENDPOINT, "http://10.1.2.3");
        assertThatThrownBy(() -> s3("blobs:\n  type: s3\n  bucket: bkt\n")).isInstanceOf(ConfigException.class)
                .hasMessage("environment variable TTYAUDIT_S3_ENDPOINT: plain http is allowed only to this host"
                        + " (loopback); use https for 10.1.2.3");
    }

    @Test
    void badValuesAreErrorsNamingTheKeyAndLine() {
        String head = "blobs:\n  type: s3\n";
        assertThatThrownBy(() -> s3(head)).isInstanceOf(ConfigException.class)
                .hasMessageContaining("type s3 needs a 'bucket'");
        assertThatThrownBy(() -> s3(head + "  bucket: Has_Upper\n")).hasMessageContaining(":3: bucket: expected a"
                + " bucket name");
        assertThatThrownBy(() -> s3(head + "  bucket: bkt\n  endpoint: ftp://x\n")).hasMessageContaining(
                ":4: endpoint: expected an https:// URL");
        assertThatThrownBy(() -> s3(head + "  bucket: bkt\n  endpoint: https://x/some/path\n")).hasMessageContaining(
                ":4: endpoint: expected the server's URL only");
        assertThatThrownBy(() -> s3(head + "  bucket: bkt\n  region: Mars 1\n")).hasMessageContaining(
                ":4: region: expected an AWS region name");
        assertThatThrownBy(() -> s3(head + "  bucket: bkt\n  prefix: ../up\n")).hasMessageContaining(
                ":4: prefix: expected segments");
        assertThatThrownBy(() -> s3(head + "  bucket: bkt\n  ca_file: /no/such/ca.pem\n")).hasMessageContaining(
                ":4: ca_file: cannot read the file /no/such/ca.pem");
        assertThatThrownBy(() -> s3(head + "  bucket: bkt\n  access_key_id: AKIAEXAMPLE\n")).hasMessageContaining(
                "access_key_id is set but its secret is not");
        assertThatThrownBy(() -> s3(head + "  bucket: bkt\n  kms_key_id: k\n")).hasMessageContaining(
                ":4: kms_key_id: only with server_side_encryption: aws:kms");
        assertThatThrownBy(() -> s3(head + "  bucket: bkt\n  max_parallel_uploads: 0\n")).hasMessageContaining(
                ":4: max_parallel_uploads: 0 is outside 1..64");
        assertThatThrownBy(() -> s3(head + "  bucket: bkt\n  request_timeout: soon\n")).hasMessageContaining(
                ":4: request_timeout: expected a duration");
        assertThatThrownBy(() -> s3(head + "  bucket: bkt\n  bukket: c\n")).hasMessageContaining(
                ":4: unknown key 'bukket'");
        assertThatThrownBy(() -> s3(head + "  bucket: bkt\n  endpoint: http://127.0.0.1\n  ca_file: "
                + dir.resolve("server.yaml") + "\n")).hasMessageContaining("ca_file is for an https endpoint");
    }
}
