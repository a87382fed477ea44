package org.ttyaudit.core.rules;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Finds the programs a command line runs and the files they touch: the simple commands of the line
 * ({@link ShellSyntax}), without leading {@code VAR=value} assignments and shell keywords, each wrapper together
 * with what it wraps ({@link Wrappers}; scripts such as {@code bash -c '…'} are read recursively), and the files of
 * each ({@link FileHeuristics}). A {@code cd DIR} earlier on the line moves the working directory of the commands
 * after it. An exec event's argv is read the same way, as one simple command.
 *
 * <p>Bounded: a command line is read up to its first {@value #MAX_LINE} characters, and scripts nest at most
 * {@value #MAX_DEPTH} deep. Never throws for any text. Immutable and thread-safe.
 */
final class CommandAnalyzer {
    /** Command lines are read up to this many characters, so a hostile 10 MB line costs no more than 8 KiB. */
    static final int MAX_LINE = 8192;
    static final int MAX_DEPTH = 6;
    /** Words before a command that are not programs. */
    private static final Set<String> KEYWORDS = Set.of("!", "{", "}", "then", "do", "else", "elif", "if", "while",
            "until", "fi", "done", "esac", "coproc");
    /** Words that start a command that runs no program of that name. */
    private static final Set<String> NOT_PROGRAMS = Set.of("for", "select", "case", "function", "in", "[[", "]]",
            "((", "))");

    private final String user;
    private final String home;

    CommandAnalyzer(String user) {
        this.user = user;
        this.home = SessionFacts.homeOf(user);
    }

    /** The programs {@code line} runs, with their files; {@code cwd} may be null. */
    List<ProgramRun> commandLine(String line, String cwd) {
        List<ProgramRun> out = new ArrayList<>();
        String text = line.length() > MAX_LINE ? line.substring(0, MAX_LINE) : line;
        script(text, new PathResolver(home, cwd), 0, out);
        return out;
    }

    /** The programs a process with {@code argv} runs (itself and what it wraps), with their files. */
    List<ProgramRun> argv(List<String> argv, String cwd) {
        List<ProgramRun> out = new ArrayList<>();
        List<String> bounded = argv.size() > 256 ? argv.subList(0, 256) : argv;
        words(bounded, List.of(), new PathResolver(home, cwd), 0, out);
        return out;
    }

    /** Returns the working directory after the script (a {@code cd} in it moves it). */
    private PathResolver script(String text, PathResolver paths, int depth, List<ProgramRun> out) {
        PathResolver at = paths;
        for (ShellSyntax.SimpleCommand c : ShellSyntax.parse(text)) {
            at = words(c.words(), c.redirects(), at, depth, out);
        }
        return at;
    }

    private PathResolver words(List<String> words, List<ShellSyntax.Redirect> redirects, PathResolver paths,
                               int depth, List<ProgramRun> out) {
        int i = 0;
        while (i < words.size() && (Wrappers.isAssignment(words.get(i)) || KEYWORDS.contains(words.get(i)))) {
            i++;
        }
        List<FileTouch> redirected = new ArrayList<>();
        FileHeuristics.redirects(redirects, paths, redirected);
        if (i == words.size() || NOT_PROGRAMS.contains(words.get(i))) {
            if (!redirected.isEmpty()) {
                // `> file` alone truncates it: a write with no program
                out.add(new ProgramRun("", "", List.of(), redirected));
            }
            return paths;
        }
        List<String> w = words.subList(i, words.size());
        String path = w.get(0);
        String name = ProgramRun.basename(path);
        List<FileTouch> files = new ArrayList<>(redirected);
        FileHeuristics.program(name, w, user, paths, files);
        out.add(new ProgramRun(path, name, w, files));
        if ((name.equals("cd") || name.equals("pushd")) && w.size() > 1) {
            String dir = paths.resolve(w.get(w.size() - 1));
            if (dir != null && dir.startsWith("/")) {
                return paths.withCwd(dir);
            }
        }
        if (depth < MAX_DEPTH) {
            for (Wrappers.Inner inner : Wrappers.inner(name, w)) {
                if (inner.words() != null) {
                    words(inner.words(), List.of(), paths, depth + 1, out);
                } else {
                    script(inner.script().length() > MAX_LINE ? inner.script().substring(0, MAX_LINE)
                            : inner.script(), paths, depth + 1, out);
                }
            }
        }
        return paths;
    }
}
