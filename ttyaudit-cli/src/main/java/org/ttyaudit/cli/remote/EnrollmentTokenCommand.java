package org.ttyaudit.cli.remote;

import com.fasterxml.jackson.databind.JsonNode;
import org.ttyaudit.cli.CliContext;
import org.ttyaudit.cli.UserError;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Callable;

/**
 * {@code ttyaudit enrollment-token}: an admin makes a single-use host enrollment token
 * ({@code POST /api/v1/enrollment-tokens}) and gets the exact {@code ttyaudit enroll} line to run on the host.
 * The token is a secret: it is printed once, to standard output only.
 */
@Command(name = "enrollment-token", mixinStandardHelpOptions = true,
        description = "Make a single-use token that enrolls one host (admins), and print the 'ttyaudit enroll' "
                + "line to run on that host.")
public final class EnrollmentTokenCommand implements Callable<Integer> {
    private final CliContext context;

    @Mixin
    RemoteOptions remote;

    @Option(names = "--hours", paramLabel = "N", defaultValue = "24",
            description = "How long the token stays valid (default: ${DEFAULT-VALUE}; at most 720).")
    int hours;

    @Spec
    CommandSpec spec;

    EnrollmentTokenCommand(CliContext context) {
        this.context = context;
    }

    @Override
    public Integer call() {
        if (hours < 1 || hours > 720) {
            throw UserError.usage("--hours must be between 1 and 720");
        }
        ServerClient client = ServerClient.of(remote.require(context));
        JsonNode made = client.postJson("/api/v1/enrollment-tokens",
                ("{\"ttl_hours\":" + hours + "}").getBytes(StandardCharsets.UTF_8));
        PrintWriter out = spec.commandLine().getOut();
        out.println("Enrollment token (single use, valid until " + made.get("expires_at").asText() + "):");
        out.println("  " + made.get("token").asText());
        out.println("On the host to enroll, run as root:");
        out.println("  " + made.get("enroll_command").asText());
        return 0;
    }
}
