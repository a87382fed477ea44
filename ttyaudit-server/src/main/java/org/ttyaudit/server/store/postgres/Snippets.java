package org.ttyaudit.server.store.postgres;

import java.util.ArrayList;
import java.util.List;

/**
 * Snippets of search hits, as SQLite's FTS5 {@code snippet()} makes them, so that both stores show the same: at
 * most {@link #WINDOW} words of the text around the first match, each match marked {@code [[…]]} (a phrase's words
 * as one mark), and {@code …} where the text was cut. Made here rather than with {@code ts_headline}, whose parser
 * keeps {@code /etc/passwd} as one token and marks phrase words one by one.
 *
 * <p>Stateless.
 */
final class Snippets {
    static final int WINDOW = 24;
    private static final String OPEN = "[[";
    private static final String CLOSE = "]]";
    private static final String ELLIPSIS = "…";

    private Snippets() {
    }

    /** A word of the text: where it is and its folded form. */
    private record Token(int start, int end, String folded) {
    }

    static String of(String text, List<SearchQuery.Phrase> phrases) {
        List<Token> tokens = tokens(text);
        boolean[] starts = new boolean[tokens.size()];
        int[] spanEnd = new int[tokens.size()];
        int first = -1;
        for (int i = 0; i < tokens.size(); i++) {
            for (SearchQuery.Phrase p : phrases) {
                if (matchesAt(tokens, i, p)) {
                    starts[i] = true;
                    spanEnd[i] = Math.max(spanEnd[i], i + p.words().size() - 1);
                    if (first < 0) {
                        first = i;
                    }
                }
            }
        }
        if (tokens.isEmpty()) {
            return text;
        }
        int from = first < 0 ? 0 : Math.max(0, Math.min(first, tokens.size() - WINDOW));
        int to = Math.min(tokens.size(), from + WINDOW) - 1;
        StringBuilder out = new StringBuilder();
        int textFrom = from == 0 ? 0 : tokens.get(from).start();
        int textTo = to == tokens.size() - 1 ? text.length() : tokens.get(to).end();
        if (from > 0) {
            out.append(ELLIPSIS);
        }
        int pos = textFrom;
        int i = from;
        while (i <= to) {
            if (starts[i]) {
                int last = Math.min(spanEnd[i], to);
                out.append(text, pos, tokens.get(i).start()).append(OPEN)
                        .append(text, tokens.get(i).start(), tokens.get(last).end()).append(CLOSE);
                pos = tokens.get(last).end();
                i = last + 1;
            } else {
                i++;
            }
        }
        out.append(text, pos, textTo);
        if (to < tokens.size() - 1) {
            out.append(ELLIPSIS);
        }
        return out.toString();
    }

    private static boolean matchesAt(List<Token> tokens, int i, SearchQuery.Phrase p) {
        List<String> words = p.words();
        if (i + words.size() > tokens.size()) {
            return false;
        }
        for (int k = 0; k < words.size(); k++) {
            String token = tokens.get(i + k).folded();
            boolean last = k == words.size() - 1;
            if (last && p.prefix() ? !token.startsWith(words.get(k)) : !token.equals(words.get(k))) {
                return false;
            }
        }
        return true;
    }

    private static List<Token> tokens(String text) {
        List<Token> out = new ArrayList<>();
        int i = 0;
        while (i < text.length()) {
            int cp = text.codePointAt(i);
            if (org.ttyaudit.server.store.jdbc.SearchTerms.isWordCharacter(cp)) {
                int start = i;
                while (i < text.length() && org.ttyaudit.server.store.jdbc.SearchTerms.isWordCharacter(
                        text.codePointAt(i))) {
                    i += Character.charCount(text.codePointAt(i));
                }
                out.add(new Token(start, i, SearchQuery.fold(text.substring(start, i))));
            } else {
                i += Character.charCount(cp);
            }
        }
        return out;
    }
}
