package org.ttyaudit.cli.remote;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.ttyaudit.cli.UserError;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ClientConfigFileTest {
    @TempDir
    Path dir;

    static final ClientConfig CONFIG = new ClientConfig("https://audit.example:8443",
            "sha256:" + "ab".repeat(32), "tta_secret", "tok-1", "alice");

    @Test
    void locatesTheFileByXdgConfigHomeElseHome() {
        assertThat(ClientConfigFile.locate(Map.of("XDG_CONFIG_HOME", "/x/config", "HOME", "/home/a")).path())
                .isEqualTo(Path.of("/x/config/ttyaudit/client.json"));
        assertThat(ClientConfigFile.locate(Map.of("XDG_CONFIG_HOME", "relative", "HOME", "/home/a")).path())
                .isEqualTo(Path.of("/home/a/.config/ttyaudit/client.json"));
        assertThat(ClientConfigFile.locate(Map.of("HOME", "/home/a")).path())
                .isEqualTo(Path.of("/home/a/.config/ttyaudit/client.json"));
    }

    @Test
    void writesPrivatelyAndReadsBack() throws Exception {
        ClientConfigFile file = ClientConfigFile.locate(Map.of("XDG_CONFIG_HOME", dir.resolve("cfg").toString()));
        assertThat(file.read()).isEmpty();
        file.write(CONFIG);
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file.path()))).isEqualTo("rw-------");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file.path().getParent())))
                .isEqualTo("rwx------");
        assertThat(file.read()).contains(CONFIG);

        ClientConfig other = new ClientConfig("https://b.example", null, "tta_other", "tok-2", "bob");
        file.write(other);
        assertThat(file.read()).contains(other);
        assertThat(Files.list(file.path().getParent())).containsExactly(file.path());
        assertThat(file.delete()).isTrue();
        assertThat(file.delete()).isFalse();
        assertThat(file.read()).isEmpty();
    }

    @Test
    void aReplacedFileWasNeverReadableByOthersEvenWhenTheOldOneWas() throws Exception {
        ClientConfigFile file = new ClientConfigFile(dir.resolve("ttyaudit/client.json"));
        Files.createDirectories(file.path().getParent());
        Files.writeString(file.path(), "{}");
        Files.setPosixFilePermissions(file.path(), PosixFilePermissions.fromString("rw-r--r--"));
        file.write(CONFIG);
        // A rename replaces the inode: the new file has the temporary file's mode, not the old file's.
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file.path()))).isEqualTo("rw-------");
    }

    @Test
    void aDamagedFileIsOneClearError() throws Exception {
        ClientConfigFile file = new ClientConfigFile(dir.resolve("client.json"));
        Files.writeString(file.path(), "{\"server\": \"https://a.example\"}");
        assertThatThrownBy(file::read).isInstanceOf(UserError.class)
                .hasMessageStartingWith(file.path() + ": not a valid client configuration")
                .hasMessageEndingWith("run ttyaudit login again, or remove the file");
        Files.writeString(file.path(), "not json");
        assertThatThrownBy(file::read).isInstanceOf(UserError.class);
    }
}
