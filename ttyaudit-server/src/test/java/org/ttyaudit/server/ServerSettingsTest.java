package org.ttyaudit.server;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.ttyaudit.core.config.ConfigException;

import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ServerSettingsTest {
    @TempDir
    Path dir;

    private ServerConfig config(Path settings) {
        return new ServerConfig(dir, new InetSocketAddress("127.0.0.1", 0), null, null, List.of(), null,
                Duration.ofSeconds(10), "org/ttyaudit/web", settings);
    }

    @Test
    void noFileMeansDefaults() {
        ServerSettings s = ServerSettings.load(config(null));
        assertThat(s.file()).isEqualTo(dir.resolve("server.yaml"));
        assertThat(s.rules().keys()).isEmpty();
        assertThat(s.notifications().keys()).isEmpty();
        assertThat(s.capture().keys()).isEmpty();
    }

    @Test
    void theDataDirectorysFileIsReadBySection() throws Exception {
        Files.writeString(dir.resolve("server.yaml"), "rules:\n  default_pack: false\nnotify:\n  targets: []\n");
        ServerSettings s = ServerSettings.load(config(null));
        assertThat(s.rules().bool("default_pack", true)).isFalse();
        assertThat(s.notifications().list("targets")).isEmpty();
    }

    @Test
    void aMissingGivenFileAndAnUnknownSectionAreErrors() throws Exception {
        assertThatThrownBy(() -> ServerSettings.load(config(dir.resolve("nope.yaml"))))
                .isInstanceOf(ConfigException.class).hasMessageContaining("nope.yaml: cannot read the file");
        Path file = dir.resolve("s.yaml");
        Files.writeString(file, "rules: {}\nalerts: {}\n");
        assertThatThrownBy(() -> ServerSettings.load(config(file)))
                .hasMessage(file + ":2: unknown key 'alerts' (expected blobs, capture, database, forwarding, gateway, notify, retention, rules)");
    }
}
