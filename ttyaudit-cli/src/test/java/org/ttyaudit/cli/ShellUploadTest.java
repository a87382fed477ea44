package org.ttyaudit.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.ttyaudit.recorder.upload.HostCredential;
import org.ttyaudit.recorder.upload.HostCredentialFile;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code ttyaudit shell} uploads exactly when the system credential file exists and reads. */
class ShellUploadTest {
    @TempDir
    Path dir;

    @Test
    void noCredentialFileMeansLocalRecordingOnly() {
        assertThat(ShellCommand.uploadWith(dir.resolve("host.json"))).isNull();
    }

    @Test
    void anEnrolledHostUploadsWithItsCredential() throws Exception {
        Path file = dir.resolve("host.json");
        HostCredential c = new HostCredential(URI.create("https://audit.example:8443"), null, "h1", "tth_x");
        HostCredentialFile.write(file, c);
        SessionRunner.Upload upload = ShellCommand.uploadWith(file);
        assertThat(upload.credential()).isEqualTo(c);
        assertThat(upload.credentialFile()).isEqualTo(file);
    }

    @Test
    void anUnreadableCredentialStillLetsTheUserIn() throws Exception {
        Path file = Files.writeString(dir.resolve("host.json"), "{ not json");
        assertThat(ShellCommand.uploadWith(file)).isNull();
    }
}
