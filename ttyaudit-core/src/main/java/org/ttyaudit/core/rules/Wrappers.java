package org.ttyaudit.core.rules;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Programs that run another program: {@code sudo -u x rm -rf /} runs both {@code sudo} and {@code rm}. For each
 * known wrapper this finds the command it runs, either as words ({@code sudo}, {@code env}, {@code nohup},
 * {@code time}, {@code nice}, {@code timeout}, {@code xargs}, {@code find -exec}, …) or as a script to read as a
 * command line ({@code bash -c '…'}, {@code su -c '…'}, {@code eval}, {@code watch}). Stateless.
 */
final class Wrappers {
    static final String SUDO_SHORT_WITH_ARG = "ugCDhprtTUR";
    static final Set<String> SUDO_LONG_WITH_ARG = Set.of("--user", "--group", "--prompt", "--close-from", "--chdir",
            "--role", "--type", "--other-user", "--command-timeout", "--chroot", "--host");
    private static final Set<String> NONE = Set.of();
    private static final Set<String> SHELLS = Set.of("sh", "bash", "dash", "zsh", "ksh", "mksh", "ash", "fish",
            "busybox-sh", "rbash");

    /** What a wrapper runs: words of a command, or a script (a command line) to read. */
    record Inner(List<String> words, String script) {
    }

    private Wrappers() {
    }

    /** The commands that program {@code name} with words {@code w} runs; empty when it is not a wrapper. */
    static List<Inner> inner(String name, List<String> w) {
        List<Inner> out = new ArrayList<>();
        switch (name) {
            case "sudo" -> words(out, w, skipAssignments(w, Options.firstOperand(w, 1, SUDO_SHORT_WITH_ARG,
                    SUDO_LONG_WITH_ARG)));
            case "doas" -> words(out, w, Options.firstOperand(w, 1, "uC", NONE));
            case "pkexec" -> words(out, w, Options.firstOperand(w, 1, "", Set.of("--user")));
            case "env" -> {
                int command = Options.firstOperand(w, 1, "uCS", Set.of("--unset", "--chdir", "--split-string"));
                String split = Options.value(w.subList(0, command), 1, 'S', "--split-string");
                if (split != null) {
                    out.add(new Inner(null, split));
                } else {
                    words(out, w, skipAssignments(w, command));
                }
            }
            case "nohup", "setsid", "builtin", "unbuffer", "busybox", "doas-keep" -> words(out, w,
                    Options.firstOperand(w, 1, "", NONE));
            case "command" -> words(out, w, Options.firstOperand(w, 1, "", NONE));
            case "exec" -> words(out, w, Options.firstOperand(w, 1, "a", NONE));
            case "nice" -> words(out, w, Options.firstOperand(w, 1, "n", Set.of("--adjustment")));
            case "ionice" -> words(out, w, Options.firstOperand(w, 1, "cnp", Set.of("--class", "--classdata")));
            case "stdbuf" -> words(out, w, Options.firstOperand(w, 1, "ioe", NONE));
            case "time" -> words(out, w, Options.firstOperand(w, 1, "fo", Set.of("--format", "--output")));
            case "timeout" -> {
                // timeout [options] DURATION COMMAND…
                int duration = Options.firstOperand(w, 1, "sk", Set.of("--signal", "--kill-after"));
                words(out, w, duration + 1);
            }
            case "chroot" -> words(out, w, Options.firstOperand(w, 1, "", Set.of("--userspec", "--groups")) + 1);
            case "xargs" -> words(out, w, Options.firstOperand(w, 1, "ILnPsdEa",
                    Set.of("--max-args", "--max-procs", "--delimiter", "--arg-file", "--max-lines", "--max-chars")));
            case "su", "runuser" -> {
                String script = Options.value(w, 1, 'c', "--command");
                if (script != null) {
                    out.add(new Inner(null, script));
                }
            }
            case "eval" -> {
                if (w.size() > 1) {
                    out.add(new Inner(null, String.join(" ", w.subList(1, w.size()))));
                }
            }
            case "watch" -> {
                int from = Options.firstOperand(w, 1, "nd", Set.of("--interval"));
                if (from < w.size()) {
                    out.add(new Inner(null, String.join(" ", w.subList(from, w.size()))));
                }
            }
            case "find" -> findExec(out, w);
            default -> {
                if (SHELLS.contains(name)) {
                    shellScript(out, w);
                }
            }
        }
        return out;
    }

    private static void words(List<Inner> out, List<String> w, int from) {
        if (from < w.size()) {
            out.add(new Inner(w.subList(from, w.size()), null));
        }
    }

    private static int skipAssignments(List<String> w, int from) {
        int i = from;
        while (i < w.size() && isAssignment(w.get(i))) {
            i++;
        }
        return i;
    }

    /** {@code NAME=value} (also {@code NAME+=value} and {@code NAME[i]=value}). */
    static boolean isAssignment(String word) {
        int eq = word.indexOf('=');
        if (eq <= 0) {
            return false;
        }
        char first = word.charAt(0);
        if (!(Character.isLetter(first) || first == '_')) {
            return false;
        }
        for (int i = 1; i < eq; i++) {
            char c = word.charAt(i);
            if (c == '[') {
                return word.indexOf(']', i) > 0 && word.indexOf(']', i) < eq;
            }
            if (c == '+' && i == eq - 1) {
                return true;
            }
            if (!(Character.isLetterOrDigit(c) || c == '_')) {
                return false;
            }
        }
        return true;
    }

    /** {@code bash -c 'script'}, also with clustered options ({@code -lc}, {@code -ec}). */
    private static void shellScript(List<Inner> out, List<String> w) {
        boolean dashC = false;
        for (int i = 1; i < w.size(); i++) {
            String a = w.get(i);
            if (a.equals("--")) {
                continue;
            }
            if (a.startsWith("-") && !a.startsWith("--") && a.length() > 1) {
                dashC |= a.indexOf('c', 1) > 0;
                if (a.equals("-o") || a.equals("+o")) {
                    i++;   // -o option-name
                }
            } else if (a.startsWith("+") || a.startsWith("--")) {
                continue;
            } else {
                if (dashC) {
                    out.add(new Inner(null, a));
                }
                return;
            }
        }
    }

    /** {@code find … -exec cmd {} ;} and {@code -execdir}, {@code -ok}, {@code -okdir}. */
    private static void findExec(List<Inner> out, List<String> w) {
        for (int i = 1; i < w.size(); i++) {
            String a = w.get(i);
            if (a.equals("-exec") || a.equals("-execdir") || a.equals("-ok") || a.equals("-okdir")) {
                int end = i + 1;
                while (end < w.size() && !w.get(end).equals(";") && !w.get(end).equals("+")) {
                    end++;
                }
                if (end > i + 1) {
                    out.add(new Inner(w.subList(i + 1, end), null));
                }
                i = end;
            }
        }
    }
}
