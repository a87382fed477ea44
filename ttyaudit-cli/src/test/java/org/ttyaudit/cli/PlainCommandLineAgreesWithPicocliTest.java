package org.ttyaudit.cli;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.statistics.Statistics;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.lang.reflect.Field;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.function.Supplier;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code record} and {@code shell} read plain command lines without picocli (start-up time, see
 * {@link PlainCommandLine}); these tests hold that reader to picocli's: the same options, the same fields for every
 * line it accepts, and picocli for every line it does not.
 */
class PlainCommandLineAgreesWithPicocliTest {
    private static final Set<String> PICOCLI_ONLY = Set.of("-h", "--help", "-V", "--version");

    private record Command<C>(String name, Class<C> type, Supplier<C> make, Function<C, PlainCommandLine> reader) {
        boolean readPlain(C command, List<String> args) {
            return reader.apply(command).read(args);
        }
    }

    private static final Command<RecordCommand> RECORD = new Command<>("record", RecordCommand.class,
            RecordCommand::new, RecordCommand::plainReader);
    private static final Command<ShellCommand> SHELL = new Command<>("shell", ShellCommand.class,
            ShellCommand::new, ShellCommand::plainReader);

    @Test
    void theReaderKnowsEveryOptionOfTheAnnotationsAndNoOther() {
        for (Command<?> c : List.of(RECORD, SHELL)) {
            Set<String> picocli = new HashSet<>();
            new CommandLine(c.make().get()).getCommandSpec().options().forEach(o -> picocli.addAll(Arrays.asList(o.names())));
            picocli.removeAll(PICOCLI_ONLY);
            assertThat(plainReaderOf(c).names()).as(c.name()).isEqualTo(picocli);
            assertThat(c.type().getAnnotation(CommandLine.Command.class).name()).isEqualTo(c.name());
        }
    }

    private static <C> PlainCommandLine plainReaderOf(Command<C> c) {
        return c.reader().apply(c.make().get());
    }

    @Test
    void theCommonFormsAreReadWithoutPicocli() {
        assertThat(read(RECORD, "-o", "/tmp/s.tta", "--", "sh", "-c", "stty raw; cat"))
                .containsEntry("output", "/tmp/s.tta").containsEntry("command", List.of("sh", "-c", "stty raw; cat"));
        assertThat(read(RECORD, "--capture=output", "--upload", "--credential-file", "/etc/h.json", "-l"))
                .containsEntry("capture", "output").containsEntry("upload", true).containsEntry("login", true);
        assertThat(read(RECORD)).containsEntry("command", null);
        assertThat(read(SHELL, "-c", "ls -l /tmp")).containsEntry("commandString", "ls -l /tmp");
        assertThat(read(SHELL, "--config", "/etc/ttyaudit/shell.conf", "-l"))
                .containsEntry("config", "/etc/ttyaudit/shell.conf").containsEntry("login", true);
    }

    @Test
    void everythingElseIsLeftToPicocli() {
        for (List<String> args : List.of(List.of("--help"), List.of("-V"), List.of("-o"), List.of("-o", "-x"),
                List.of("-o", "a", "-o", "b"), List.of("-o", "a", "--output=b"), List.of("bash"),
                List.of("--login=true"), List.of("--output="), List.of("-o", ""), List.of("-ofile"),
                List.of("-lo", "f"), List.of("--outpt", "f"), List.of("-o", "a\0b"))) {
            assertThat(RECORD.readPlain(new RecordCommand(), args)).as(args.toString()).isFalse();
        }
        for (List<String> args : List.of(List.of("-lc", "ls"), List.of("-c", "-x"), List.of("--", "ls"),
                List.of("-c"), List.of("--help"))) {
            assertThat(SHELL.readPlain(new ShellCommand(), args)).as(args.toString()).isFalse();
        }
    }

    @Test
    void aPlainLineRunsWithoutPicocliAndFailsAsItWouldThroughIt() {
        assertThat(Main.plainSessionCommand(new String[]{"record", "--capture", "bogus", "--", "true"}))
                .isInstanceOf(RecordCommand.class);
        assertThat(Main.plainSessionCommand(new String[]{"record", "--help"})).isNull();
        assertThat(Main.plainSessionCommand(new String[]{"verify", "x"})).isNull();
        // The same failure, once read plainly and once by picocli (--capture given as the last option but one
        // vs. an option picocli alone reads): one line, exit status 2.
        String[] plain = run("record", "--capture", "bogus", "--", "true");
        String[] picocli = run("record", "--capture", "bogus", "--login=true", "--", "true");
        assertThat(plain[0]).isEqualTo("2").isEqualTo(picocli[0]);
        assertThat(plain[1]).startsWith("ttyaudit: --capture: ").isEqualTo(picocli[1]);
    }

    private static String[] run(String... args) {
        StringWriter err = new StringWriter();
        int code = Main.run(args, new PrintWriter(new StringWriter(), true), new PrintWriter(err, true));
        return new String[]{Integer.toString(code), err.toString()};
    }

    @Property(tries = 2000)
    void whateverTheLineARecordLineReadPlainlyIsReadTheSameByPicocli(@ForAll("recordLines") List<String> args) {
        agree(RECORD, args);
        // Both readers get their share of lines (a generator that never produced a plain line would prove nothing).
        Statistics.coverage(check -> check.check("plain").percentage(p -> p > 5));
    }

    @Property(tries = 1000)
    void whateverTheLineAShellLineReadPlainlyIsReadTheSameByPicocli(@ForAll("shellLines") List<String> args) {
        agree(SHELL, args);
        // Both readers get their share of lines (a generator that never produced a plain line would prove nothing).
        Statistics.coverage(check -> check.check("plain").percentage(p -> p > 5));
    }

    private static <C> void agree(Command<C> c, List<String> args) {
        C plain = c.make().get();
        boolean read = c.readPlain(plain, args);
        Statistics.collect(read ? "plain" : "picocli");
        if (!read) {
            return;
        }
        C picocli = c.make().get();
        new CommandLine(picocli).parseArgs(args.toArray(String[]::new));
        assertThat(fields(plain)).as(args.toString()).isEqualTo(fields(picocli));
    }

    @Provide
    Arbitrary<List<String>> recordLines() {
        return Arbitraries.of("-o", "--output", "--capture", "--data", "--masking", "--no-shell-integration", "-l",
                "--login", "--upload", "--credential-file", "--", "--", "x", "full", "/tmp/f", "-x", "--output=/a",
                "--capture=output", "--login=true", "", "-lc", "sh", "-c", "--help", "a b", "--data=", "=", "-",
                "--=x").list().ofMaxSize(8);
    }

    @Provide
    Arbitrary<List<String>> shellLines() {
        return Arbitraries.of("-c", "-l", "--config", "--config=/etc/p", "ls -l", "/etc/p", "-lc", "--", "", "x",
                "-x", "--help", "-").list().ofMaxSize(6);
    }

    private static Map<String, Object> read(Command<?> c, String... args) {
        Object command = c.make().get();
        @SuppressWarnings("unchecked")
        boolean read = ((Command<Object>) c).readPlain(command, List.of(args));
        assertThat(read).as(List.of(args).toString()).isTrue();
        return fields(command);
    }

    /** The values of the fields picocli sets, as text (paths) and with an empty operand list as none. */
    private static Map<String, Object> fields(Object command) {
        Map<String, Object> values = new LinkedHashMap<>();
        for (Field f : command.getClass().getDeclaredFields()) {
            if (f.isAnnotationPresent(CommandLine.Option.class) || f.isAnnotationPresent(CommandLine.Parameters.class)) {
                f.setAccessible(true);
                try {
                    Object value = f.get(command);
                    if (value instanceof List<?> list && list.isEmpty()) {
                        value = null;
                    }
                    values.put(f.getName(), value == null || value instanceof Boolean || value instanceof List
                            ? value : value.toString());
                } catch (IllegalAccessException e) {
                    throw new AssertionError(e);
                }
            }
        }
        return values;
    }
}
