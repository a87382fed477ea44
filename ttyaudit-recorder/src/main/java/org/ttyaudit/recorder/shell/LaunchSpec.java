package org.ttyaudit.recorder.shell;

import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * How to start a shell so that it loads the recorder's integration: the argv (argv[0] is the program to execute,
 * looked up in PATH when it has no slash) and the complete environment for the child.
 */
public record LaunchSpec(List<String> argv, Map<String, String> env) {
    public LaunchSpec {
        argv = List.copyOf(Objects.requireNonNull(argv, "argv"));
        env = Map.copyOf(Objects.requireNonNull(env, "env"));
        if (argv.isEmpty()) {
            throw new IllegalArgumentException("argv must not be empty");
        }
    }
}
