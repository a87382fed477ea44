package org.ttyaudit.core.rules;

import java.util.regex.Pattern;

/**
 * A shell-style wildcard pattern of a rule file, matched against the whole text: {@code *} (any characters; in a
 * path pattern not {@code /}), {@code **} (any characters, also {@code /}), {@code ?} (one character; in a path
 * pattern not {@code /}), {@code [abc]}, {@code [a-z]}, {@code [!abc]}, and {@code \x} for a literal {@code x}
 * (so {@code '/\*'} is the text {@code /*} itself). A pattern without wildcards is compared as text. Immutable.
 */
final class Glob {
    private final String text;
    private final String literal;
    private final Pattern pattern;

    private Glob(String text, String literal, Pattern pattern) {
        this.text = text;
        this.literal = literal;
        this.pattern = pattern;
    }

    /**
     * Compiles {@code glob}; with {@code path}, single wildcards stop at {@code /}.
     *
     * @throws IllegalArgumentException when a {@code [} is not closed or the pattern ends in a lone {@code \}
     */
    static Glob of(String glob, boolean path) {
        StringBuilder regex = new StringBuilder(glob.length() + 16);
        StringBuilder literal = new StringBuilder();
        boolean wild = false;
        String one = path ? "[^/]" : ".";
        for (int i = 0; i < glob.length(); i++) {
            char c = glob.charAt(i);
            switch (c) {
                case '*' -> {
                    wild = true;
                    if (i + 1 < glob.length() && glob.charAt(i + 1) == '*') {
                        regex.append(".*");
                        i++;
                    } else {
                        regex.append(one).append('*');
                    }
                }
                case '?' -> {
                    wild = true;
                    regex.append(one);
                }
                case '[' -> {
                    wild = true;
                    int end = glob.indexOf(']', i + 2);
                    if (end < 0) {
                        throw new IllegalArgumentException("'[' at position " + (i + 1) + " is not closed by ']'");
                    }
                    String set = glob.substring(i + 1, end);
                    boolean negate = set.startsWith("!") || set.startsWith("^");
                    if (negate) {
                        set = set.substring(1);
                    }
                    regex.append(negate ? "[^" : "[");
                    for (char s : set.toCharArray()) {
                        // Inside a class only these are special to java.util.regex.
                        regex.append(s == '\\' || s == '[' || s == ']' || s == '&' || s == '^' ? "\\" + s
                                : String.valueOf(s));
                    }
                    regex.append(']');
                    i = end;
                }
                case '\\' -> {
                    if (i + 1 == glob.length()) {
                        throw new IllegalArgumentException("the pattern ends in a lone '\\'");
                    }
                    char next = glob.charAt(++i);
                    regex.append(Pattern.quote(String.valueOf(next)));
                    literal.append(next);
                }
                default -> {
                    regex.append(Pattern.quote(String.valueOf(c)));
                    literal.append(c);
                }
            }
        }
        return wild ? new Glob(glob, null, Pattern.compile(regex.toString(), Pattern.DOTALL))
                : new Glob(glob, literal.toString(), null);
    }

    boolean matches(String s) {
        return literal != null ? literal.equals(s) : pattern.matcher(s).matches();
    }

    /** The pattern as written in the rule file. */
    @Override
    public String toString() {
        return text;
    }
}
