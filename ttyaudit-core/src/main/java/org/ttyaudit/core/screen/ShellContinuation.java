package org.ttyaudit.core.screen;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Decides whether a POSIX-shell command text is unfinished, so that the shell will ask for more with a
 * continuation prompt ({@code PS2}, e.g. {@code > } in bash, {@code for> } in zsh) instead of running it.
 *
 * <p>Unfinished means: an open quote ({@code '}, {@code "}, {@code $'}, backquote), a backslash at the very end,
 * a compound command still open ({@code for/while/until/select … done}, {@code if … fi}, {@code case … esac},
 * <code>{ … }</code>, parentheses), a pipeline or list ending in {@code |}, {@code &&} or {@code ||}, or a
 * here-document whose delimiter line has not come yet.
 *
 * <p>This is a lexer, not a parser: it errs towards "finished" on anything it does not understand (a syntax
 * error, unbalanced closers), because the shell rejects those at once and prints its primary prompt again.
 * Stateless; safe from any thread.
 */
final class ShellContinuation {
    private static final Set<String> OPENERS = Set.of("for", "while", "until", "select", "if", "case");
    private static final Set<String> CLOSERS = Set.of("done", "fi", "esac");
    /** Reserved words after which the next word is again in command position. */
    private static final Set<String> LEADING = Set.of("do", "then", "else", "elif", "!", "time", "{", "}",
            "done", "fi", "esac");

    private ShellContinuation() {
    }

    static boolean isIncomplete(String text) {
        Scan scan = new Scan(text);
        return scan.run();
    }

    private static final class Scan {
        private final String s;
        private int i;
        private int compound;
        private int braces;
        private int parens;
        private int caseDepth;
        private boolean commandPosition = true;
        private boolean endsWithOperator;
        private final List<String[]> pendingHeredocs = new ArrayList<>();

        Scan(String s) {
            this.s = s;
        }

        boolean run() {
            int n = s.length();
            while (i < n) {
                char c = s.charAt(i);
                if (c == '\n') {
                    i++;
                    commandPosition = true;
                    if (!pendingHeredocs.isEmpty() && !skipHeredocBodies()) {
                        return true;
                    }
                    continue;
                }
                if (c == ' ' || c == '\t') {
                    i++;
                    continue;
                }
                if (c == '#') {
                    while (i < n && s.charAt(i) != '\n') {
                        i++;
                    }
                    continue;
                }
                if (c == ';' || c == '&' || c == '|') {
                    boolean doubled = i + 1 < n && s.charAt(i + 1) == c;
                    i += doubled ? 2 : 1;
                    // "a |" and "a &&" wait for the rest of the pipeline or list; "a ;" and "a &" do not.
                    endsWithOperator = c == '|' || (c == '&' && doubled);
                    commandPosition = true;
                    continue;
                }
                if (c == '(') {
                    parens++;
                    i++;
                    commandPosition = true;
                    endsWithOperator = false;
                    continue;
                }
                if (c == ')') {
                    if (parens > 0) {
                        parens--;
                    }
                    // Otherwise a case pattern's closing parenthesis.
                    i++;
                    commandPosition = true;
                    endsWithOperator = false;
                    continue;
                }
                endsWithOperator = false;
                int start = i;
                StringBuilder plain = new StringBuilder();
                Boolean word = readWord(plain);
                if (word == null) {
                    return true; // Open quote or trailing backslash.
                }
                String w = plain.toString();
                boolean quoted = !word;
                if (w.startsWith("<<") && !w.startsWith("<<<")) {
                    if (!heredoc(w)) {
                        return true;
                    }
                    continue;
                }
                if (commandPosition && !quoted) {
                    keyword(w);
                } else {
                    commandPosition = false;
                }
                if (i == start) {
                    i++; // Never loop without progress.
                }
            }
            return !pendingHeredocs.isEmpty() || endsWithOperator || compound > 0 || braces > 0 || parens > 0;
        }

        private void keyword(String w) {
            if (OPENERS.contains(w)) {
                compound++;
                if (w.equals("case")) {
                    caseDepth++;
                }
                commandPosition = w.equals("if") || w.equals("while") || w.equals("until");
                return;
            }
            if (CLOSERS.contains(w)) {
                if (compound > 0) {
                    compound--;
                }
                if (w.equals("esac") && caseDepth > 0) {
                    caseDepth--;
                }
            } else if (w.equals("{")) {
                braces++;
            } else if (w.equals("}")) {
                if (braces > 0) {
                    braces--;
                }
            }
            commandPosition = LEADING.contains(w);
        }

        /**
         * Reads one word up to a blank or operator into {@code plain} (quotes removed). Returns TRUE for an unquoted
         * word, FALSE when any part was quoted, null when a quote is still open or a backslash ends the text.
         */
        private Boolean readWord(StringBuilder plain) {
            int n = s.length();
            boolean quoted = false;
            while (i < n) {
                char c = s.charAt(i);
                if (c == ' ' || c == '\t' || c == '\n' || c == ';' || c == '&' || c == '|' || c == ')'
                        || (c == '(' && plain.length() == 0)) {
                    break;
                }
                if (c == '<' && plain.length() > 0 && plain.charAt(0) != '<') {
                    break;
                }
                if (c == '\\') {
                    if (i + 1 >= n) {
                        return null;
                    }
                    if (s.charAt(i + 1) != '\n') {
                        plain.append(s.charAt(i + 1));
                    }
                    quoted = true;
                    i += 2;
                } else if (c == '\'') {
                    int close = s.indexOf('\'', i + 1);
                    if (close < 0) {
                        return null;
                    }
                    plain.append(s, i + 1, close);
                    quoted = true;
                    i = close + 1;
                } else if (c == '"' || c == '`') {
                    int close = closingWithEscapes(i + 1, c);
                    if (close < 0) {
                        return null;
                    }
                    plain.append(s, i + 1, close);
                    quoted = true;
                    i = close + 1;
                } else if (c == '$' && i + 1 < n && s.charAt(i + 1) == '\'') {
                    int close = closingWithEscapes(i + 2, '\'');
                    if (close < 0) {
                        return null;
                    }
                    quoted = true;
                    i = close + 1;
                } else if (c == '$' && i + 1 < n && s.charAt(i + 1) == '(') {
                    // Command substitution or arithmetic: its parentheses count like a subshell's.
                    plain.append("$(");
                    parens++;
                    i += 2;
                    return Boolean.valueOf(!quoted);
                } else if (c == '<' && plain.length() == 0 && i + 1 < n && s.charAt(i + 1) == '<') {
                    // A here-document operator: read the operator and its delimiter word together.
                    int j = i + 2;
                    plain.append("<<");
                    if (j < n && (s.charAt(j) == '-' || s.charAt(j) == '<')) {
                        plain.append(s.charAt(j));
                        j++;
                    }
                    while (j < n && (s.charAt(j) == ' ' || s.charAt(j) == '\t')) {
                        j++;
                    }
                    i = j;
                    StringBuilder delimiter = new StringBuilder();
                    Boolean d = readWord(delimiter);
                    if (d == null) {
                        return null;
                    }
                    plain.append(delimiter);
                    return Boolean.TRUE;
                } else {
                    plain.append(c);
                    i++;
                }
            }
            return Boolean.valueOf(!quoted);
        }

        private int closingWithEscapes(int from, char quote) {
            int n = s.length();
            for (int j = from; j < n; j++) {
                char c = s.charAt(j);
                if (c == '\\') {
                    j++;
                } else if (c == quote) {
                    return j;
                }
            }
            return -1;
        }

        /** Registers a here-document; its body starts after the current line. False if it has no delimiter. */
        private boolean heredoc(String operatorAndWord) {
            if (operatorAndWord.startsWith("<<<")) {
                return true;
            }
            boolean stripTabs = operatorAndWord.startsWith("<<-");
            String delimiter = operatorAndWord.substring(stripTabs ? 3 : 2);
            if (delimiter.isEmpty()) {
                return true; // "cat <<" alone: a syntax error the shell reports at once.
            }
            pendingHeredocs.add(new String[] {delimiter, stripTabs ? "-" : ""});
            commandPosition = false;
            return true;
        }

        /** After a newline: skips the bodies of pending here-documents. False if one is still open at the end. */
        private boolean skipHeredocBodies() {
            int n = s.length();
            while (!pendingHeredocs.isEmpty()) {
                String[] doc = pendingHeredocs.get(0);
                while (true) {
                    if (i >= n) {
                        return false;
                    }
                    int eol = s.indexOf('\n', i);
                    String line = s.substring(i, eol < 0 ? n : eol);
                    if (doc[1].equals("-")) {
                        line = line.replaceFirst("^\t+", "");
                    }
                    i = eol < 0 ? n : eol + 1;
                    if (line.equals(doc[0])) {
                        break;
                    }
                }
                pendingHeredocs.remove(0);
            }
            return true;
        }
    }
}
