package org.ttyaudit.cli.install;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** The Debian package this build made (target/ttyaudit.deb), and running the tools that read or install it. */
final class DebianPackage {
    static final Path DEB = Path.of("target/ttyaudit.deb").toAbsolutePath();
    static final List<String> UNITS = List.of("ttyaudit-server.service", "ttyaudit-gateway.service");

    private DebianPackage() {
    }

    /** The package file, which the {@code package} phase builds before these tests run. */
    static Path deb() {
        assertThat(DEB).as("the package phase builds it (not with -Djdeb.skip=true)").isRegularFile();
        return DEB;
    }

    /** This build's version, e.g. {@code 0.1.0-SNAPSHOT}. */
    static String projectVersion() throws IOException {
        Properties p = new Properties();
        try (var in = DebianPackage.class.getResourceAsStream("/org/ttyaudit/cli/version.properties")) {
            p.load(in);
        }
        return p.getProperty("version");
    }

    record Result(int exitCode, String output) {
        Result ok() {
            assertThat(exitCode).as(output).isZero();
            return this;
        }

        @Override
        public String toString() {
            return "exit " + exitCode + ": " + output;
        }
    }

    /** Runs {@code argv} to its end (at most 5 minutes), standard error merged into the output. */
    static Result run(String... argv) throws IOException, InterruptedException {
        Path out = Files.createTempFile("ttyaudit-deb", ".out");
        try {
            Process p = new ProcessBuilder(argv).redirectErrorStream(true).redirectOutput(out.toFile())
                    .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null"))).start();
            if (!p.waitFor(5, TimeUnit.MINUTES)) {
                p.destroyForcibly();
                throw new AssertionError(String.join(" ", argv) + " did not end within 5 minutes");
            }
            return new Result(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8));
        } finally {
            Files.deleteIfExists(out);
        }
    }
}
