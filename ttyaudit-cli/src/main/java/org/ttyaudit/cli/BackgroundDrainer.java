package org.ttyaudit.cli;

import org.ttyaudit.recorder.spool.DataDirectory;
import org.ttyaudit.recorder.spool.Spool;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;

/**
 * Starts {@code ttyaudit upload --wait --quiet} detached from the terminal, so sessions left in the spool reach
 * the server after the recorder has exited: in a new session ({@code setsid}: a hang-up of the user's terminal
 * does not reach it), with the same Java and class path as this process, its output appended to
 * {@code <data dir>/upload.log}. The drain lock makes a second one exit at once.
 */
final class BackgroundDrainer {
    /** The log is started afresh (the old one kept as upload.log.1) when it grows beyond this. */
    private static final long MAX_LOG_BYTES = 1024 * 1024;

    private BackgroundDrainer() {
    }

    /** Starts a drainer when the spool holds entries waiting for upload and no drainer runs; the log, if started. */
    static Path startIfPending(Spool spool, DataDirectory data, Path credentialFile) throws IOException {
        if (spool.drainerRunning() || spool.pending().isEmpty()) {
            return null;
        }
        return start(data, credentialFile);
    }

    /** Starts a drainer for {@code data}'s spool; returns its log file. */
    static Path start(DataDirectory data, Path credentialFile) throws IOException {
        Path root = data.root().toAbsolutePath();
        Files.createDirectories(root);
        Path log = root.resolve("upload.log");
        if (Files.isRegularFile(log) && Files.size(log) > MAX_LOG_BYTES) {
            Files.move(log, root.resolve("upload.log.1"), StandardCopyOption.REPLACE_EXISTING);
        }
        List<String> cmd = new ArrayList<>();
        cmd.add("setsid");
        cmd.add(javaBinary());
        // A small, quickly started JVM: it only reads files and talks HTTP.
        cmd.addAll(List.of("-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-Xmx256m"));
        cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), Main.class.getName()));
        cmd.addAll(List.of("upload", "--wait", "--quiet", "--data", root.toString(), "--credential-file",
                credentialFile.toAbsolutePath().toString()));
        new ProcessBuilder(cmd)
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
                .redirectErrorStream(true)
                .start();
        return log;
    }

    private static String javaBinary() {
        return ProcessHandle.current().info().command()
                .orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    }
}
