package org.ttyaudit.recorder.upload;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class HostCredentialFileTest {
    private static final String FP = "sha256:" + "3f".repeat(32);

    @TempDir
    Path dir;

    private static HostCredential credential(String secret) {
        return new HostCredential(URI.create("https://audit.example:8443/"), FP, "h-42", secret);
    }

    @Test
    void writtenWithMode0600AndReadBack() throws Exception {
        Path file = dir.resolve("config/ttyaudit/host.json");
        HostCredentialFile.write(file, credential("tth_secret"));

        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file.getParent())))
                .isEqualTo("rwx------");
        HostCredential read = HostCredentialFile.read(file);
        assertThat(read).isEqualTo(credential("tth_secret"));
        assertThat(read.server()).hasToString("https://audit.example:8443");
        assertThat(Files.readString(file)).contains("\"host_id\"").contains("\"fingerprint\" : \"" + FP + "\"");
    }

    @Test
    void replacingKeepsTheModeAndLeavesNoTemporaryFile() throws Exception {
        Path file = dir.resolve("host.json");
        HostCredentialFile.write(file, credential("tth_old"));
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r--r--"));
        HostCredentialFile.write(file, credential("tth_new"));

        assertThat(HostCredentialFile.read(file).credential()).isEqualTo("tth_new");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
        try (var files = Files.list(dir)) {
            assertThat(files).containsExactly(file);
        }
    }

    @Test
    void aNullFingerprintMeansSystemTrust() throws Exception {
        Path file = dir.resolve("host.json");
        HostCredentialFile.write(file, new HostCredential(URI.create("https://a.example"), null, "h", "tth_x"));
        assertThat(Files.readString(file)).contains("\"fingerprint\" : null");
        assertThat(HostCredentialFile.read(file).fingerprint()).isNull();
    }

    @Test
    void locationFollowsTheRules() {
        assertThat(HostCredentialFile.defaultLocation(true, Map.of("XDG_CONFIG_HOME", "/x", "HOME", "/home/a")))
                .isEqualTo(Path.of("/etc/ttyaudit/host.json"));
        assertThat(HostCredentialFile.defaultLocation(false, Map.of("XDG_CONFIG_HOME", "/x", "HOME", "/home/a")))
                .isEqualTo(Path.of("/x/ttyaudit/host.json"));
        assertThat(HostCredentialFile.defaultLocation(false, Map.of("HOME", "/home/a")))
                .isEqualTo(Path.of("/home/a/.config/ttyaudit/host.json"));
        assertThat(HostCredentialFile.defaultLocation(false, Map.of("XDG_CONFIG_HOME", "relative", "HOME", "/h")))
                .as("XDG says relative paths are to be ignored").isEqualTo(Path.of("/h/.config/ttyaudit/host.json"));
    }

    @Test
    void theCredentialNeverAppearsInTextOrErrors() throws Exception {
        assertThat(credential("tth_topsecret").toString()).doesNotContain("tth_topsecret").contains("hidden");
        Path file = Files.writeString(dir.resolve("host.json"), "{\"server\": \"ftp://x\", \"host_id\": \"h\", "
                + "\"credential\": \"tth_topsecret\"}");
        assertThatThrownBy(() -> HostCredentialFile.read(file)).isInstanceOf(IOException.class)
                .hasMessageContaining(file.toString()).hasMessageContaining("https://")
                .hasMessageNotContaining("tth_topsecret");
        Path broken = Files.writeString(dir.resolve("broken.json"), "{\"credential\": \"tth_topsecret\", ");
        assertThatThrownBy(() -> HostCredentialFile.read(broken)).isInstanceOf(IOException.class)
                .hasMessageContaining("not a host credential file").hasMessageNotContaining("tth_topsecret");
        Path binary = Files.write(dir.resolve("binary.json"), "\u0000\u0000\u0000{\"credential\": \"tth_topsecret\"}"
                .getBytes(java.nio.charset.StandardCharsets.UTF_8));
        assertThatThrownBy(() -> HostCredentialFile.read(binary)).isInstanceOf(IOException.class)
                .hasMessage(binary + ": not a host credential file (not JSON text)");
        assertThatThrownBy(() -> HostCredentialFile.read(dir.resolve("missing.json")))
                .isInstanceOf(NoSuchFileException.class);
    }

    @Test
    void plainHttpOnlyToThisMachine() {
        assertThat(HostCredential.parseServer("http://127.0.0.1:8080")).hasToString("http://127.0.0.1:8080");
        assertThat(HostCredential.parseServer("http://localhost:8080/")).hasToString("http://localhost:8080");
        assertThat(HostCredential.parseServer("http://[::1]:8080")).hasToString("http://[::1]:8080");
        assertThatThrownBy(() -> HostCredential.parseServer("http://audit.example"))
                .hasMessageContaining("must start with https://");
        assertThatThrownBy(() -> HostCredential.parseServer("http://10.0.0.1"))
                .hasMessageContaining("must start with https://");
        assertThatThrownBy(() -> HostCredential.parseServer("https://audit.example/?x=1"))
                .hasMessageContaining("https://HOST");
        assertThatThrownBy(() -> new HostCredential(URI.create("https://a"), "sha1:00", "h", "c"))
                .hasMessageContaining("64 hex digits");
    }

    @Test
    void severalServersAreWrittenAsAListAfterTheFirstOneAloneForOlderReaders() throws Exception {
        Path file = dir.resolve("host.json");
        HostCredential fleet = new HostCredential(List.of(URI.create("https://a.example:8443/"),
                URI.create("https://b.example:8443")), FP, "h-42", "tth_x");
        HostCredentialFile.write(file, fleet);

        JsonNode json = new ObjectMapper().readTree(file.toFile());
        assertThat(json.get("server").asText()).isEqualTo("https://a.example:8443");
        assertThat(json.get("servers")).extracting(JsonNode::asText)
                .containsExactly("https://a.example:8443", "https://b.example:8443");
        HostCredential read = HostCredentialFile.read(file);
        assertThat(read).isEqualTo(fleet);
        assertThat(read.server()).hasToString("https://a.example:8443");
        assertThat(read.fingerprint()).as("one pin for every server").isEqualTo(FP);
    }

    @Test
    void aFileWithOneServerKeepsItsOldShapeAndAnOldFileReadsAsAListOfOne() throws Exception {
        Path file = dir.resolve("host.json");
        HostCredentialFile.write(file, credential("tth_x"));
        assertThat(new ObjectMapper().readTree(file.toFile()).has("servers")).isFalse();

        Path old = Files.writeString(dir.resolve("old.json"), "{\"server\": \"https://audit.example:8443\", "
                + "\"fingerprint\": null, \"host_id\": \"h\", \"credential\": \"tth_x\"}");
        assertThat(HostCredentialFile.read(old).servers()).containsExactly(URI.create("https://audit.example:8443"));
    }

    @Test
    void aListAloneIsEnough() throws Exception {
        Path file = Files.writeString(dir.resolve("host.json"), "{\"servers\": [\"https://a.example\", "
                + "\"https://b.example/\"], \"host_id\": \"h\", \"credential\": \"tth_x\"}");
        assertThat(HostCredentialFile.read(file).servers()).containsExactly(URI.create("https://a.example"),
                URI.create("https://b.example"));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "\"servers\": []                                                   | 'servers' must be a list of one or more URLs",
            "\"servers\": \"https://a.example\"                                | 'servers' must be a list of one or more URLs",
            "\"servers\": [\"https://a.example\", 7]                           | 'servers' item 2 must be a string",
            "\"servers\": [\"https://a.example\", \"http://b.example\"]        | 'servers' item 2: the server URL must start with https://",
            "\"servers\": [\"https://a.example\", \"https://a.example/\"]      | the server URL https://a.example is listed twice",
            "\"server\": \"https://b.example\", \"servers\": [\"https://a.example\"] | 'server' (https://b.example) must be the first of 'servers' (https://a.example)",
            "\"fingerprint\": null                                            | 'server' is missing",
    })
    void aBadListIsRefusedNamingWhatIsWrong(String fields, String problem) throws Exception {
        Path file = Files.writeString(dir.resolve("host.json"), "{" + fields + ", \"host_id\": \"h\", "
                + "\"credential\": \"tth_topsecret\"}");
        assertThatThrownBy(() -> HostCredentialFile.read(file)).isInstanceOf(IOException.class)
                .hasMessageStartingWith(file + ": invalid host credential file: " + problem)
                .hasMessageNotContaining("tth_topsecret");
    }
}
