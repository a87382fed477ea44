package org.ttyaudit.cli;

import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;

/**
 * Reads the plain forms of a command line without picocli: long and short options by their full names, a value
 * as the next argument or after {@code --name=}, then optionally {@code --} and the operands.
 *
 * <p>Why it exists: the commands that start a recorded session ({@code record}, {@code shell}) run before every
 * login's first prompt, and picocli's first use costs about 100 ms there on a 2-core VM (some 175 classes that
 * class-data sharing cannot archive because picocli is compiled for Java 5, run in the interpreter, and annotation
 * proxies made at run time): a third of the time to the prompt. This reader only accepts what it reads exactly as
 * picocli would and answers {@code false} for everything else (help and version options, clustered short options,
 * an option given twice, a value that starts with {@code -} or is empty, an operand before {@code --}, a value
 * the field's type refuses), so that picocli then reads the whole line and its messages and corner cases stay the
 * only ones users see. {@code PlainCommandLineAgreesWithPicocliTest} holds the two readers to the same result.
 */
final class PlainCommandLine {
    private final Map<String, Consumer<String>> valued = new HashMap<>();
    private final Map<String, Runnable> flags = new HashMap<>();
    private Consumer<List<String>> operands;

    /** An option that takes a value; {@code setter} may throw an {@link IllegalArgumentException} to refuse it. */
    PlainCommandLine option(Consumer<String> setter, String... names) {
        for (String name : names) {
            valued.put(name, setter);
        }
        return this;
    }

    /** An option without a value. */
    PlainCommandLine flag(Runnable setter, String... names) {
        for (String name : names) {
            flags.put(name, setter);
        }
        return this;
    }

    /** What follows {@code --}, when it is not empty. Without this, {@code --} is left to picocli. */
    PlainCommandLine operands(Consumer<List<String>> setter) {
        this.operands = setter;
        return this;
    }

    /** Every option name this reader knows. */
    Set<String> names() {
        Set<String> names = new HashSet<>(valued.keySet());
        names.addAll(flags.keySet());
        return names;
    }

    /**
     * Reads {@code args} through the setters and answers true, or answers false as soon as an argument is not of
     * a plain form (the setters may then have run for some options: read into an object that is thrown away).
     */
    boolean read(List<String> args) {
        Set<Object> given = new HashSet<>();
        for (int i = 0; i < args.size(); i++) {
            String arg = args.get(i);
            if (arg.equals("--")) {
                if (operands == null) {
                    return false;
                }
                if (i + 1 < args.size()) {
                    operands.accept(List.copyOf(args.subList(i + 1, args.size())));
                }
                return true;
            }
            String name = arg;
            String value = null;
            int equals = arg.indexOf('=');
            if (arg.startsWith("--") && equals > 2) {
                name = arg.substring(0, equals);
                value = arg.substring(equals + 1);
            }
            Runnable flag = flags.get(name);
            Consumer<String> setter = valued.get(name);
            if (flag == null && setter == null || !given.add(flag != null ? flag : setter)) {
                return false;
            }
            if (flag != null) {
                if (value != null) {
                    return false;
                }
                flag.run();
                continue;
            }
            if (value == null) {
                if (i + 1 == args.size()) {
                    return false;
                }
                value = args.get(++i);
            }
            if (value.isEmpty() || value.startsWith("-")) {
                return false;
            }
            try {
                setter.accept(value);
            } catch (IllegalArgumentException e) {
                return false;
            }
        }
        return true;
    }
}
