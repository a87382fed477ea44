package org.ttyaudit.cli;

import org.ttyaudit.cli.remote.EnrollmentTokenCommand;
import org.ttyaudit.cli.remote.LoginCommand;
import org.ttyaudit.cli.remote.LogoutCommand;
import org.ttyaudit.cli.remote.SearchCommand;
import org.ttyaudit.cli.remote.SessionsCommand;
import picocli.CommandLine;
import picocli.CommandLine.Command;

import java.io.PrintWriter;
import java.lang.reflect.Constructor;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.function.Supplier;

/**
 * Entry point of the {@code ttyaudit} command: the wiring of every program. Exit codes: the recorded command's
 * status for {@code record}/{@code shell}; otherwise 0 success, 1 failure (e.g. a damaged record), 2 usage error.
 */
@Command(name = "ttyaudit", mixinStandardHelpOptions = true, versionProvider = Version.class,
        description = "Makes terminal sessions accountable: record, verify, inspect and replay them.")
public final class Main {
    public static final int EXIT_FAILURE = 1;
    public static final int EXIT_USAGE = 2;

    /** The subcommands, in the order help lists them (made when picocli is used: it names one of picocli's). */
    private static List<Class<?>> subcommands() {
        return List.of(RecordCommand.class, ShellCommand.class,
                ServerCommand.class, GatewayCommand.class, EnrollCommand.class, UploadCommand.class, EnrollmentTokenCommand.class,
                LoginCommand.class, LogoutCommand.class, SessionsCommand.class, SearchCommand.class,
                CommandsCommand.class, FilesCommand.class, RulesCommand.class, PlayCommand.class, ExportCommand.class,
                ImportCommand.class, IngestAuditCommand.class, InstallCommand.class, MigrateCommand.class,
                VerifyCommand.class,
                InfoCommand.class, CommandLine.HelpCommand.class);
    }

    public static void main(String[] args) {
        System.exit(run(args, new PrintWriter(System.out, true), new PrintWriter(System.err, true)));
    }

    /** Runs the command line in this process's context and returns the exit status (used by tests too). */
    public static int run(String[] args, PrintWriter out, PrintWriter err) {
        return run(args, out, err, CliContext::system);
    }

    /**
     * Runs the command line with the given environment, input and clock (tests run commands in-process with
     * their own) and returns the exit status.
     */
    public static int run(String[] args, PrintWriter out, PrintWriter err, CliContext context) {
        return run(args, out, err, () -> context);
    }

    /** The context (time zone, console) serves picocli's commands only: a session does not wait for it. */
    private static int run(String[] args, PrintWriter out, PrintWriter err, Supplier<CliContext> context) {
        try {
            Callable<Integer> session = plainSessionCommand(args);
            return session == null ? runWithPicocli(args, out, err, context.get()) : session.call();
        } catch (Exception e) {
            return reportFailure(e, err);
        } catch (LinkageError e) {
            // A native library that cannot be loaded (JNA's, zstd-jni's): one line, not a stack trace.
            err.println("ttyaudit: a library cannot be loaded: " + describe(e));
            return EXIT_FAILURE;
        }
    }

    private static int runWithPicocli(String[] args, PrintWriter out, PrintWriter err, CliContext context) {
        ContextFactory factory = new ContextFactory(context);
        CommandLine cli = new CommandLine(new Main(), factory);
        // picocli reads every registered command's annotations at start-up, so a run of one named subcommand
        // registers only that one.
        List<Class<?>> subcommands = subcommands();
        Class<?> named = args.length == 0 ? null : subcommands.stream()
                .filter(c -> c != CommandLine.HelpCommand.class && nameOf(c).equals(args[0])).findFirst()
                .orElse(null);
        for (Class<?> c : subcommands) {
            if (named == null || c == named) {
                cli.addSubcommand(nameOf(c), c);
            }
        }
        cli.setOut(out);
        cli.setErr(err);
        cli.setParameterExceptionHandler((e, a) -> {
            err.println("ttyaudit: " + e.getMessage());
            err.println("Try 'ttyaudit " + subcommandName(e.getCommandLine()) + "--help' for more information.");
            return EXIT_USAGE;
        });
        cli.setExecutionExceptionHandler((e, commandLine, parseResult) -> reportFailure(e, err));
        return cli.execute(args);
    }

    /**
     * {@code record} or {@code shell} read from a plain command line without picocli, or null for picocli to read
     * the line: these two start every recorded session, and picocli's start-up would delay each first prompt by
     * about 100 ms (see {@link PlainCommandLine}). The names are written out rather than read from the
     * annotations, which would make annotation proxies, the slow part; PlainCommandLineAgreesWithPicocliTest checks
     * that they agree.
     */
    static Callable<Integer> plainSessionCommand(String[] args) {
        if (args.length == 0) {
            return null;
        }
        List<String> rest = Arrays.asList(args).subList(1, args.length);
        if (args[0].equals("record")) {
            RecordCommand record = new RecordCommand();
            return record.plainReader().read(rest) ? record : null;
        }
        if (args[0].equals("shell")) {
            ShellCommand shell = new ShellCommand();
            return shell.plainReader().read(rest) ? shell : null;
        }
        return null;
    }

    /** How a command's failure is reported: one line, never a stack trace; the exit status of a UserError. */
    private static int reportFailure(Exception e, PrintWriter err) {
        if (e instanceof UserError u) {
            err.println("ttyaudit: " + u.getMessage());
            return u.exitCode();
        }
        err.println("ttyaudit: " + describe(e));
        return EXIT_FAILURE;
    }

    /** Makes commands, handing the {@link CliContext} to those whose constructor takes it. */
    private record ContextFactory(CliContext context) implements CommandLine.IFactory {
        @Override
        public <K> K create(Class<K> cls) throws Exception {
            for (Constructor<?> c : cls.getDeclaredConstructors()) {
                if (c.getParameterCount() == 1 && c.getParameterTypes()[0] == CliContext.class) {
                    c.setAccessible(true);
                    return cls.cast(c.newInstance(context));
                }
            }
            return CommandLine.defaultFactory().create(cls);
        }
    }

    private static String nameOf(Class<?> command) {
        return command.getAnnotation(Command.class).name();
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
