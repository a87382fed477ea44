package org.ttyaudit.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/** A standalone gateway's configuration: its mistakes stop the start, naming file, line and reason. */
class GatewayCommandTest {
    @TempDir
    Path dir;

    @Test
    @Timeout(60) // were the mistake missed, the gateway would start and run until stopped
    void aMistakeInTheCaptureSectionIsAUsageErrorNamingFileAndLine() throws Exception {
        Path config = Files.writeString(dir.resolve("gateway.yaml"), """
                gateway:
                  targets: {web1: {address: 127.0.0.1}}
                  rules: [{users: [alice], targets: [web1]}]
                capture:
                  policies:
                    - match: {hosts: [web1]}
                      mode: everything
                """);
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();

        int code = Main.run(new String[]{"gateway", "--config", config.toString(), "--data", dir.resolve("gw").toString(),
                "--listen", "127.0.0.1:0"}, new PrintWriter(out, true), new PrintWriter(err, true));

        assertThat(code).isEqualTo(2);
        assertThat(err.toString()).contains("gateway.yaml:7: mode: unknown capture mode 'everything'");
        assertThat(dir.resolve("gw")).doesNotExist();
    }
}
