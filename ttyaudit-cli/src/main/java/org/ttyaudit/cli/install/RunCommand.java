package org.ttyaudit.cli.install;

import org.ttyaudit.cli.UserError;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.function.BooleanSupplier;

/**
 * A system command (usermod, systemctl) run only when {@code alreadySo} says the system is not yet as wanted;
 * a command that fails stops the installation with its output.
 */
record RunCommand(List<String> argv, String what, BooleanSupplier alreadySo) implements Step {

    @Override
    public Outcome apply(boolean dryRun) throws IOException, InterruptedException {
        if (alreadySo.getAsBoolean()) {
            return Outcome.already(what);
        }
        if (!dryRun) {
            run(argv);
        }
        return Outcome.changed(what + " (" + String.join(" ", argv) + ")");
    }

    /** Runs argv to its end; a non-zero exit is a failure naming the command's output. */
    static String run(List<String> argv) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(argv).redirectErrorStream(true).redirectInput(ProcessBuilder.Redirect.PIPE)
                .start();
        p.getOutputStream().close();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        int code = p.waitFor();
        if (code != 0) {
            throw UserError.failure(String.join(" ", argv) + " failed (exit " + code + ")"
                    + (output.isEmpty() ? "" : ": " + output));
        }
        return output;
    }
}
