package org.ttyaudit.gateway.relay;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.ttyaudit.core.format.Recording;
import org.ttyaudit.core.model.CommandStartEvent;
import org.ttyaudit.gateway.testkit.GatewayHarness;
import org.ttyaudit.gateway.testkit.Typist;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What the target prints before its shell's first prompt ("Last login: …", the message of the day) is never taken
 * for a command, even when the user typed a command ahead of it: the real sshd prints both, the real ssh client
 * sends the line typed ahead as soon as the session is open. (Before the fix, the banner's first line was taken
 * for the command typed ahead in most of these sessions, and the command itself was lost.)
 */
class LoginBannerTest {
    private static final String TYPED = "echo typed-$((6*7))";

    @TempDir
    Path dir;

    @Test
    void aCommandTypedAheadOfTheBannerIsNeverTheBanner() throws Exception {
        try (GatewayHarness gw = new GatewayHarness(dir, null, List.of("PrintMotd yes", "PrintLastLog yes"))) {
            int sessions = 6;
            for (int i = 0; i < sessions; i++) {
                Process p = new ProcessBuilder(gw.ssh("alice%web1", List.of("-tt"))).redirectErrorStream(true).start();
                Typist t = new Typist(p);
                t.type(TYPED + "\r");
                t.await(gw.remoteUser.equals("root") ? "# " : "$ ");   // the first prompt
                // Wait for the shell to settle, as a user reading the screen would, then leave.
                Thread.sleep(500);
                t.type("exit\r");
                assertThat(p.waitFor()).as(t.seen()).isZero();
            }
            List<Recording> records = gw.awaitCompleteRecordings(sessions, Duration.ofSeconds(10));

            // The target did print its banner (sshd records each login: from the second on there is a last one).
            assertThat(RelayTest.output(RelayTest.events(records.get(sessions - 1)))).contains("Last login:");
            String motd = Files.isReadable(Path.of("/etc/motd")) ? Files.readString(Path.of("/etc/motd")).strip() : "";
            if (!motd.isEmpty()) {
                assertThat(RelayTest.output(RelayTest.events(records.get(0)))).contains(motd.lines().findFirst()
                        .orElseThrow());
            }
            int ran = 0;
            for (Recording rec : records) {
                List<String> commands = RelayTest.events(rec).stream().filter(CommandStartEvent.class::isInstance)
                        .map(e -> ((CommandStartEvent) e).commandLine()).toList();
                // sshd drops what was typed before it handed the terminal to the shell (vhangup): then the line
                // was echoed but never ran. Either way the banner is no command.
                assertThat(commands).as("session %s", rec.header().sessionId())
                        .allMatch(c -> c.equals(TYPED) || c.equals("exit"));
                if (RelayTest.output(RelayTest.events(rec)).contains("typed-42")) {
                    ran++;
                    assertThat(commands).as("session %s", rec.header().sessionId()).containsExactly(TYPED, "exit");
                }
            }
            assertThat(ran).as("sessions in which the line typed ahead ran").isPositive();
        }
    }
}
