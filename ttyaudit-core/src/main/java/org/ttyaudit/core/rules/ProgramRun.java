package org.ttyaudit.core.rules;

import java.util.List;

/**
 * One program a command line runs (or a process seen running): the program as written ({@code /usr/bin/sudo}),
 * its basename ({@code sudo}), its words from the program on, and the files it is taken to touch.
 */
record ProgramRun(String path, String name, List<String> argv, List<FileTouch> files) {
    ProgramRun {
        argv = List.copyOf(argv);
        files = List.copyOf(files);
    }

    /** The argv joined by single spaces, as argv conditions see it. */
    String joinedArgv() {
        return String.join(" ", argv);
    }

    static String basename(String path) {
        int end = path.length();
        while (end > 1 && path.charAt(end - 1) == '/') {
            end--;
        }
        int slash = path.lastIndexOf('/', end - 1);
        return path.substring(slash + 1, end);
    }
}
