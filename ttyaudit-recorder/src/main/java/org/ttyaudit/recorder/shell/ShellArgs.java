package org.ttyaudit.recorder.shell;

import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * A shell's argv taken apart: the program to execute, whether it asks for a login shell, which of our
 * understood switches it carries ({@code flags}, e.g. {@code --norc}) and the options to pass on unchanged.
 */
record ShellArgs(String executable, boolean login, Set<String> flags, List<String> passOn) {
    ShellArgs {
        Objects.requireNonNull(executable, "executable");
        flags = Set.copyOf(flags);
        passOn = List.copyOf(passOn);
    }

    /** {@code /usr/bin/bash} → {@code bash}; the login-style {@code -bash} → {@code bash}. */
    static String basename(String argv0) {
        String base = argv0.substring(argv0.lastIndexOf('/') + 1);
        return base.startsWith("-") ? base.substring(1) : base;
    }

    /** argv[0] without the login dash, so that it can be executed ({@code -bash} → {@code bash}). */
    static String executable(String argv0) {
        return argv0.startsWith("-") ? argv0.substring(1) : argv0;
    }
}
