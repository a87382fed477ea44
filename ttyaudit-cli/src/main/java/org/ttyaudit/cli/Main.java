package org.ttyaudit.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

import java.io.PrintWriter;

/**
 * Entry point of the {@code ttyaudit} command: the wiring of every program. Exit codes: the recorded command's
 * status for {@code record}/{@code shell}; otherwise 0 success, 1 failure (e.g. a damaged record), 2 usage error.
 */
@Command(name = "ttyaudit", mixinStandardHelpOptions = true, versionProvider = Version.class,
        description = "Makes terminal sessions accountable: record, verify, inspect and replay them.",
        subcommands = {RecordCommand.class, ShellCommand.class, ServerCommand.class, EnrollCommand.class,
                UploadCommand.class, CommandsCommand.class, PlayCommand.class, ExportCommand.class,
                VerifyCommand.class, InfoCommand.class, CommandLine.HelpCommand.class})
public final class Main {
    public static final int EXIT_FAILURE = 1;
    public static final int EXIT_USAGE = 2;

    public static void main(String[] args) {
        System.exit(run(args, new PrintWriter(System.out, true), new PrintWriter(System.err, true)));
    }

    /** Runs the command line and returns the exit status (used by tests too). */
    public static int run(String[] args, PrintWriter out, PrintWriter err) {
        CommandLine cli = new CommandLine(new Main());
        cli.setOut(out);
        cli.setErr(err);
        cli.setParameterExceptionHandler((e, a) -> {
            err.println("ttyaudit: " + e.getMessage());
            err.println("Try 'ttyaudit " + subcommandName(e.getCommandLine()) + "--help' for more information.");
            return EXIT_USAGE;
        });
        cli.setExecutionExceptionHandler((e, commandLine, parseResult) -> {
            if (e instanceof UserError u) {
                err.println("ttyaudit: " + u.getMessage());
                return u.exitCode();
            }
            err.println("ttyaudit: " + describe(e));
            return EXIT_FAILURE;
        });
        return cli.execute(args);
    }

    private static String subcommandName(CommandLine commandLine) {
        String name = commandLine.getCommandName();
        return "ttyaudit".equals(name) ? "" : name + " ";
    }

    private static String describe(Throwable e) {
        String message = e.getMessage();
        return message == null || message.isBlank() ? e.getClass().getSimpleName() : message;
    }
}
