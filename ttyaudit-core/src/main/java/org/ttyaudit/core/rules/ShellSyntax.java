package org.ttyaudit.core.rules;

import java.util.ArrayList;
import java.util.List;

/**
 * A small reader of shell command lines (bash, zsh and POSIX sh syntax, as far as rules need it): it splits a line
 * into its simple commands (at {@code |}, {@code ||}, {@code &&}, {@code ;}, {@code &}, newlines, {@code ( )}) and
 * reads their words as the shell would after quote removal ({@code '…'}, {@code "…"}, {@code $'…'}, backslash
 * escapes), with their redirections. Commands inside {@code $(…)}, backticks and {@code <(…)}/{@code >(…)} are
 * simple commands of their own; in the word that held them they leave a placeholder ({@code $(…)}). Here-document
 * bodies are skipped. Nothing is expanded or run.
 *
 * <p>It never throws on any input, reads each character a bounded number of times (nesting deeper than
 * {@value #MAX_DEPTH} is read as plain text), and is not a validator: a line bash would reject still gives its
 * best reading. Instances are single-use; {@link #parse} is the entry point and is thread-safe.
 */
final class ShellSyntax {
    /** Deeper nesting of substitutions and subshells is not followed. */
    static final int MAX_DEPTH = 12;
    /** The placeholder a command or process substitution leaves in its word. */
    static final String SUBSTITUTION = "$(…)";

    /** One redirection: the operator ({@code >}, {@code >>}, {@code >|}, {@code &>}, {@code &>>}, {@code <}, …). */
    record Redirect(String op, String target) {
    }

    /** The words (after quote removal) and redirections of one simple command. */
    record SimpleCommand(List<String> words, List<Redirect> redirects) {
    }

    private final String s;
    private final List<SimpleCommand> out = new ArrayList<>();
    private final List<String[]> pendingHeredocs = new ArrayList<>();
    private int pos;

    private ShellSyntax(String s) {
        this.s = s;
    }

    /** The simple commands of {@code line}, in the order they appear (a substitution before its command). */
    static List<SimpleCommand> parse(String line) {
        ShellSyntax p = new ShellSyntax(line);
        p.parseList((char) 0, 0);
        return p.out;
    }

    /** The words and redirections being collected for one simple command. */
    private final class Builder {
        final List<String> words = new ArrayList<>();
        final List<Redirect> redirects = new ArrayList<>();

        void finish() {
            if (!words.isEmpty() || !redirects.isEmpty()) {
                out.add(new SimpleCommand(List.copyOf(words), List.copyOf(redirects)));
            }
            words.clear();
            redirects.clear();
        }
    }

    /** Reads commands up to {@code stop} (consumed) or the end; {@code stop} 0 reads to the end. */
    private void parseList(char stop, int depth) {
        Builder cmd = new Builder();
        while (pos < s.length()) {
            char c = s.charAt(pos);
            if (stop != 0 && c == stop) {
                pos++;
                cmd.finish();
                return;
            }
            switch (c) {
                case ' ', '\t', '\r' -> pos++;
                case '\n' -> {
                    pos++;
                    cmd.finish();
                    skipHeredocBodies();
                }
                case ';', '|' -> {
                    pos++;
                    cmd.finish();
                }
                case '&' -> {
                    if (pos + 1 < s.length() && s.charAt(pos + 1) == '>') {
                        redirect(cmd, depth);
                    } else {
                        pos++;
                        cmd.finish();
                    }
                }
                case '(' -> {
                    pos++;
                    String last = cmd.words.isEmpty() ? "" : cmd.words.get(cmd.words.size() - 1);
                    if (last.endsWith("=")) {
                        // an array assignment, name=(a b): its items belong to the assignment word
                        int from = pos - 1;
                        skipBalanced(')');
                        cmd.words.set(cmd.words.size() - 1, last + s.substring(from, pos));
                    } else if (cmd.words.size() == 1 && pos < s.length() && s.charAt(pos) == ')') {
                        // name() { … }: a function definition; its name is not a program
                        pos++;
                        cmd.words.clear();
                    } else {
                        cmd.finish();
                        nested(')', depth);
                    }
                }
                case ')' -> {
                    pos++;   // unmatched (e.g. a case pattern): a separator
                    cmd.finish();
                }
                case '<', '>' -> {
                    if (pos + 1 < s.length() && s.charAt(pos + 1) == '(') {
                        pos += 2;
                        nested(')', depth);
                        cmd.words.add(SUBSTITUTION);
                    } else {
                        redirect(cmd, depth);
                    }
                }
                case '#' -> {
                    while (pos < s.length() && s.charAt(pos) != '\n') {
                        pos++;
                    }
                }
                default -> {
                    int start = pos;
                    String word = word(depth, stop);
                    if (pos < s.length() && (s.charAt(pos) == '<' || s.charAt(pos) == '>') && isDigits(word)
                            && pos - start == word.length()) {
                        break;   // the file descriptor of a redirection (2>file): not a word
                    }
                    cmd.words.add(word);
                }
            }
        }
        cmd.finish();
    }

    /** Reads a nested list ending at {@code close}, unless too deep: then it is skipped as text. */
    private void nested(char close, int depth) {
        if (depth >= MAX_DEPTH) {
            skipBalanced(close);
        } else {
            parseList(close, depth + 1);
        }
    }

    /** Redirection operators, longest first so that the first prefix that fits is the operator. */
    private static final String[] REDIRECT_OPS = {"&>>", "<<<", "<<-", "&>", "<<", "<>", "<&", ">>", ">|", ">&",
            "<", ">"};

    private void redirect(Builder cmd, int depth) {
        int start = pos;
        for (String candidate : REDIRECT_OPS) {
            if (s.startsWith(candidate, pos)) {
                pos += candidate.length();
                break;
            }
        }
        String op = s.substring(start, pos);
        while (pos < s.length() && (s.charAt(pos) == ' ' || s.charAt(pos) == '\t')) {
            pos++;
        }
        if (pos >= s.length() || "\n;|&()<>".indexOf(s.charAt(pos)) >= 0) {
            return;   // no target: a syntax error the shell would report
        }
        String target = word(depth, (char) 0);
        if ((op.equals(">&") || op.equals("<&")) && (isDigits(target) || target.equals("-"))) {
            return;   // duplicates a file descriptor (2>&1): no file
        }
        if (op.startsWith("<<") && !op.equals("<<<")) {
            pendingHeredocs.add(new String[] {target, op});
            return;
        }
        cmd.redirects.add(new Redirect(op, target));
    }

    /** After the newline that ends a line with here-documents: skip their bodies up to each delimiter line. */
    private void skipHeredocBodies() {
        for (String[] h : pendingHeredocs) {
            boolean stripTabs = h[1].equals("<<-");
            while (pos < s.length()) {
                int end = s.indexOf('\n', pos);
                String line = s.substring(pos, end < 0 ? s.length() : end);
                pos = end < 0 ? s.length() : end + 1;
                if ((stripTabs ? line.replaceFirst("^\t+", "") : line).equals(h[0])) {
                    break;
                }
            }
        }
        pendingHeredocs.clear();
    }

    /** Reads one word from {@code pos}, removing quotes and reading substitutions as nested commands. */
    private String word(int depth, char stop) {
        StringBuilder w = new StringBuilder();
        while (pos < s.length()) {
            char c = s.charAt(pos);
            if ((stop != 0 && c == stop) || " \t\r\n;&|()<>".indexOf(c) >= 0) {
                break;
            }
            switch (c) {
                case '\\' -> {
                    pos++;
                    if (pos < s.length()) {
                        if (s.charAt(pos) != '\n') {
                            w.append(s.charAt(pos));
                        }
                        pos++;
                    }
                }
                case '\'' -> {
                    int end = s.indexOf('\'', pos + 1);
                    int stopAt = end < 0 ? s.length() : end;
                    w.append(s, pos + 1, stopAt);
                    pos = end < 0 ? s.length() : end + 1;
                }
                case '"' -> doubleQuoted(w, depth);
                case '`' -> {
                    pos++;
                    nested('`', depth);
                    w.append(SUBSTITUTION);
                }
                case '$' -> dollar(w, depth);
                default -> {
                    w.append(c);
                    pos++;
                }
            }
        }
        return w.toString();
    }

    private void doubleQuoted(StringBuilder w, int depth) {
        pos++;
        while (pos < s.length()) {
            char c = s.charAt(pos);
            if (c == '"') {
                pos++;
                return;
            }
            if (c == '\\' && pos + 1 < s.length() && "$`\"\\\n".indexOf(s.charAt(pos + 1)) >= 0) {
                if (s.charAt(pos + 1) != '\n') {
                    w.append(s.charAt(pos + 1));
                }
                pos += 2;
            } else if (c == '`') {
                pos++;
                nested('`', depth);
                w.append(SUBSTITUTION);
            } else if (c == '$') {
                dollar(w, depth);
            } else {
                w.append(c);
                pos++;
            }
        }
    }

    /** At a {@code $}: a command substitution, arithmetic, a parameter, an ANSI-C string, or a plain dollar. */
    private void dollar(StringBuilder w, int depth) {
        char next = pos + 1 < s.length() ? s.charAt(pos + 1) : 0;
        if (next == '(') {
            if (pos + 2 < s.length() && s.charAt(pos + 2) == '(') {
                int start = pos;
                pos += 2;
                skipBalanced(')');
                w.append(s, start, pos);
            } else {
                pos += 2;
                nested(')', depth);
                w.append(SUBSTITUTION);
            }
        } else if (next == '{') {
            int start = pos;
            pos += 2;
            skipBalancedBraces();
            w.append(s, start, pos);
        } else if (next == '\'') {
            pos += 2;
            ansiC(w);
        } else {
            w.append('$');
            pos++;
        }
    }

    /** {@code $'…'} after the opening quote: the common escapes. */
    private void ansiC(StringBuilder w) {
        while (pos < s.length()) {
            char c = s.charAt(pos++);
            if (c == '\'') {
                return;
            }
            if (c != '\\' || pos >= s.length()) {
                w.append(c);
                continue;
            }
            char e = s.charAt(pos++);
            switch (e) {
                case 'n' -> w.append('\n');
                case 't' -> w.append('\t');
                case 'r' -> w.append('\r');
                case 'e', 'E' -> w.append('\u001b');
                case 'x' -> {
                    int end = pos;
                    while (end < s.length() && end - pos < 2 && Character.digit(s.charAt(end), 16) >= 0) {
                        end++;
                    }
                    if (end > pos) {
                        w.append((char) Integer.parseInt(s.substring(pos, end), 16));
                        pos = end;
                    } else {
                        w.append("\\x");
                    }
                }
                default -> w.append(e);
            }
        }
    }

    /** Skips to just after the {@code close} that balances an already-consumed opener, counting parentheses. */
    private void skipBalanced(char close) {
        char open = close == ')' ? '(' : 0;
        int level = 1;
        while (pos < s.length()) {
            char c = s.charAt(pos++);
            if (c == '\\') {
                pos++;
            } else if (open != 0 && c == open) {
                level++;
            } else if (c == close && --level == 0) {
                return;
            }
        }
        pos = Math.min(pos, s.length());
    }

    private void skipBalancedBraces() {
        int level = 1;
        while (pos < s.length()) {
            char c = s.charAt(pos++);
            if (c == '\\') {
                pos++;
            } else if (c == '{') {
                level++;
            } else if (c == '}' && --level == 0) {
                return;
            }
        }
        pos = Math.min(pos, s.length());
    }

    private static boolean isDigits(String w) {
        if (w.isEmpty() || w.length() > 4) {
            return false;
        }
        for (int i = 0; i < w.length(); i++) {
            if (!Character.isDigit(w.charAt(i))) {
                return false;
            }
        }
        return true;
    }
}
