package org.ttyaudit.cli;

import org.ttyaudit.core.asciicast.AsciicastFormat;
import org.ttyaudit.core.asciicast.AsciicastOptions;
import org.ttyaudit.core.asciicast.AsciicastWriter;
import org.ttyaudit.core.format.FormatException;
import org.ttyaudit.core.format.Recording;
import org.ttyaudit.core.model.SessionEnd;
import org.ttyaudit.cli.remote.RemoteOptions;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.Callable;

/**
 * {@code ttyaudit export FILE|ID --format asciicast-v2|asciicast-v3 [--with-input] [-o OUT]}.
 *
 * <p>A session on a server is exported from its downloaded record ({@link RecordArgument}) rather than through
 * the server's own export endpoint: one code path, so the output is byte for byte what exporting the record file
 * gives, {@code --with-input} works, and the record's hash chain is checked on the way.
 */
@Command(name = "export", mixinStandardHelpOptions = true,
        description = "Export a recorded session as an asciicast file that asciinema's player and CLI play.")
final class ExportCommand implements Callable<Integer> {
    private final CliContext context;

    @Parameters(paramLabel = "FILE|ID", description = "A record file, or the id of a session on the server.")
    Path file;

    @Mixin
    RemoteOptions remote;

    @Option(names = "--format", required = true, paramLabel = "FORMAT",
            description = "asciicast-v2 or asciicast-v3.")
    String format;

    @Option(names = "--with-input", description = "Include keystrokes as 'i' events (redacted input stays out).")
    boolean withInput;

    @Option(names = {"-o", "--output"}, paramLabel = "OUT", description = "Write here instead of standard output.")
    Path output;

    @Spec
    CommandSpec spec;

    ExportCommand(CliContext context) {
        this.context = context;
    }

    @Override
    public Integer call() {
        AsciicastFormat fmt;
        try {
            fmt = AsciicastFormat.fromCliName(format);
        } catch (IllegalArgumentException e) {
            throw UserError.usage("--format: " + e.getMessage());
        }
        RecordArgument.Opened opened = RecordArgument.open(file, remote, context, spec.commandLine().getErr());
        Recording recording = opened.recording();
        String label = opened.label();
        SessionEnd end = recording.end().map(e -> e.end()).orElse(null);
        AsciicastOptions options = AsciicastOptions.defaults().withInput(withInput);
        try (OutputStream out = open()) {
            AsciicastWriter.export(recording.header(), recording.events(), end, out, fmt, options);
        } catch (FormatException e) {
            throw UserError.failure(label + ": " + e.getMessage());
        } catch (IOException e) {
            throw UserError.failure("cannot write " + (output == null ? "the export" : output) + ": "
                    + SessionRunner.reason(e));
        }
        return 0;
    }

    private OutputStream open() throws IOException {
        if (output == null) {
            return new BufferedOutputStream(new java.io.FileOutputStream(java.io.FileDescriptor.out) {
                @Override
                public void close() throws IOException {
                    flush();
                }
            }, 64 * 1024);
        }
        return new BufferedOutputStream(Files.newOutputStream(output, StandardOpenOption.CREATE,
                StandardOpenOption.TRUNCATE_EXISTING, StandardOpenOption.WRITE), 64 * 1024);
    }
}
