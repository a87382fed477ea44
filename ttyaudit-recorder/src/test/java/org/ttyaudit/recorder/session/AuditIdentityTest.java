package org.ttyaudit.recorder.session;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class AuditIdentityTest {
    @TempDir
    Path proc;

    @Test
    void setValuesBecomeTags() throws IOException {
        Files.writeString(proc.resolve("sessionid"), "42");
        Files.writeString(proc.resolve("loginuid"), "1000\n");
        assertThat(AuditIdentity.tags(proc)).isEqualTo(Map.of("audit_session", "42", "loginuid", "1000"));
    }

    @Test
    void unsetAndMissingValuesAreLeftOut() throws IOException {
        Files.writeString(proc.resolve("sessionid"), "4294967295");
        assertThat(AuditIdentity.tags(proc)).isEmpty();
        Files.writeString(proc.resolve("loginuid"), "junk");
        assertThat(AuditIdentity.tags(proc)).isEmpty();
    }
}
