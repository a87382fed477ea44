package org.ttyaudit.core.rules;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Reads a program's arguments the way getopt does, as far as rules need it: which words are options, which
 * options take the next word as their argument, and which words are operands. Stateless.
 */
final class Options {
    private Options() {
    }

    /**
     * The index of the first operand in {@code w} at or after {@code from} (options come first, as for wrappers
     * like {@code sudo}), or {@code w.size()} when there is none.
     *
     * @param shortWithArg short option letters that take an argument ({@code "u"} for {@code -u root})
     * @param longWithArg  long options that take the next word when written without {@code =}
     */
    static int firstOperand(List<String> w, int from, String shortWithArg, Set<String> longWithArg) {
        int i = from;
        while (i < w.size()) {
            String a = w.get(i);
            if (a.equals("--")) {
                return i + 1;
            }
            if (!isOption(a)) {
                return i;
            }
            i += 1 + argumentWords(a, shortWithArg, longWithArg);
        }
        return w.size();
    }

    /**
     * The operands among {@code w[from..]}, with options (and their arguments) anywhere, as GNU tools allow;
     * after {@code --} every word is an operand.
     */
    static List<String> operands(List<String> w, int from, String shortWithArg, Set<String> longWithArg) {
        List<String> out = new ArrayList<>();
        boolean optionsEnded = false;
        for (int i = from; i < w.size(); i++) {
            String a = w.get(i);
            if (optionsEnded || !isOption(a)) {
                out.add(a);
            } else if (a.equals("--")) {
                optionsEnded = true;
            } else {
                i += argumentWords(a, shortWithArg, longWithArg);
            }
        }
        return out;
    }

    /** Whether some word of {@code w[from..]} is the short option {@code letter} (alone or in a cluster) or {@code long}. */
    static boolean has(List<String> w, int from, char letter, String longName) {
        for (int i = from; i < w.size(); i++) {
            String a = w.get(i);
            if (a.equals("--")) {
                return false;
            }
            if (a.startsWith("--")) {
                if (longName != null && (a.equals(longName) || a.startsWith(longName + "="))) {
                    return true;
                }
            } else if (a.length() > 1 && a.charAt(0) == '-' && a.indexOf(letter, 1) > 0) {
                return true;
            }
        }
        return false;
    }

    /** The argument of option {@code -letter} or {@code long} ({@code -t DIR}, {@code -tDIR}, {@code --long=DIR}, {@code --long DIR}), or null. */
    static String value(List<String> w, int from, char letter, String longName) {
        for (int i = from; i < w.size(); i++) {
            String a = w.get(i);
            if (a.equals("--")) {
                return null;
            }
            if (longName != null && a.startsWith(longName + "=")) {
                return a.substring(longName.length() + 1);
            }
            if (longName != null && a.equals(longName)) {
                return i + 1 < w.size() ? w.get(i + 1) : null;
            }
            if (a.length() > 1 && a.charAt(0) == '-' && a.charAt(1) == letter) {
                return a.length() > 2 ? a.substring(2) : i + 1 < w.size() ? w.get(i + 1) : null;
            }
        }
        return null;
    }

    static boolean isOption(String a) {
        return a.length() > 1 && a.charAt(0) == '-';
    }

    /** How many following words {@code option} consumes as its argument (0 or 1). */
    private static int argumentWords(String option, String shortWithArg, Set<String> longWithArg) {
        if (option.startsWith("--")) {
            return option.indexOf('=') < 0 && longWithArg.contains(option) ? 1 : 0;
        }
        for (int j = 1; j < option.length(); j++) {
            if (shortWithArg.indexOf(option.charAt(j)) >= 0) {
                return j == option.length() - 1 ? 1 : 0;   // the rest of the word is its argument
            }
        }
        return 0;
    }
}
