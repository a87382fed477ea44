package org.ttyaudit.recorder.session;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class HostFactsTest {
    @TempDir
    Path dir;

    @Test
    void theGroupsAreWhatIdPrints() throws Exception {
        Process id = new ProcessBuilder("id", "-Gn").redirectErrorStream(true).start();
        String printed = new String(id.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
        assertThat(id.waitFor()).isZero();
        assertThat(HostFacts.groupNames()).containsExactly(printed.split("\\s+"));
    }

    @Test
    void theEffectiveGroupComesFirstAndGroupsWithoutANameKeepTheirNumber() throws Exception {
        Path status = Files.writeString(dir.resolve("status"),
                "Name:\tbash\nUid:\t1000\t1000\t1000\t1000\nGid:\t100\t50\t100\t100\nGroups:\t4 50 100 4242 \n");
        Path group = Files.writeString(dir.resolve("group"), "adm:x:4:alice\nstaff:x:50:\nusers:x:100:\n");
        assertThat(HostFacts.groupNames(status, group)).containsExactly("staff", "adm", "users", "4242");
        assertThat(HostFacts.groupNames(dir.resolve("missing"), group)).isEmpty();
        assertThat(HostFacts.groupNames(status, dir.resolve("missing"))).isEqualTo(List.of("50", "4", "100", "4242"));
    }
}
