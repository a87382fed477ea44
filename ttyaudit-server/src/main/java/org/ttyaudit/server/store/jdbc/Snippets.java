package org.ttyaudit.server.store.jdbc;

import java.text.Normalizer;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;

/**
 * Snippets of search hits, as SQLite's FTS5 {@code snippet()} makes them, so that both stores show the same: at
 * most {@link #WINDOW} words of the text around the first match, each match marked {@code [[…]]} (a phrase's words
 * as one mark, overlapping matches as one), and {@code …} where the text was cut. PostgreSQL makes every snippet
 * here (rather than with {@code ts_headline}, whose parser keeps {@code /etc/passwd} as one token and marks phrase
 * words one by one); SQLite makes here the snippets of queries with substring terms, which its word index cannot
 * mark and whose trigram index would count its window in trigrams.
 *
 * <p>Stateless.
 */
public final class Snippets {
    public static final int WINDOW = 24;
    private static final String OPEN = "[[";
    private static final String CLOSE = "]]";
    private static final String ELLIPSIS = "…";

    private Snippets() {
    }

    /** One word or phrase term's folded words ({@link #fold}); the last matches as a prefix when {@code prefix}. */
    public record Phrase(List<String> words, boolean prefix) {
    }

    /** A word of the text: where it is and its folded form. */
    private record Token(int start, int end, String folded) {
    }

    /** A stretch of the text to mark: chars {@code [start, end)}. */
    private record Mark(int start, int end) {
    }

    /** Case and diacritics folded, as the unaccent and simple dictionaries (and FTS5's unicode61) fold a word. */
    public static String fold(String word) {
        String decomposed = Normalizer.normalize(word, Normalizer.Form.NFD);
        return decomposed.replaceAll("\\p{M}+", "").toLowerCase(Locale.ROOT);
    }

    /**
     * The snippet of {@code text} with the matches of {@code phrases} and of {@code substrings} (the texts of
     * substring terms, found anywhere, case-insensitively) marked.
     */
    public static String of(String text, List<Phrase> phrases, List<String> substrings) {
        List<Token> tokens = tokens(text);
        List<Mark> marks = new ArrayList<>();
        for (int i = 0; i < tokens.size(); i++) {
            for (Phrase p : phrases) {
                if (matchesAt(tokens, i, p)) {
                    marks.add(new Mark(tokens.get(i).start(), tokens.get(i + p.words().size() - 1).end()));
                }
            }
        }
        for (String s : substrings) {
            marks.addAll(occurrences(text, s));
        }
        marks = merged(marks);

        int textFrom = 0;
        int textTo = text.length();
        if (tokens.size() > WINDOW) {
            int first = marks.isEmpty() ? 0 : tokenAtOrAfter(tokens, marks.get(0).start());
            int from = Math.max(0, Math.min(first, tokens.size() - WINDOW));
            int to = from + WINDOW - 1;
            textFrom = from == 0 ? 0 : tokens.get(from).start();
            textTo = to == tokens.size() - 1 ? text.length() : tokens.get(to).end();
            // a substring mark may begin in the punctuation before the window's first word: keep it whole
            for (Mark m : marks) {
                if (m.start() < textFrom && m.end() > textFrom) {
                    textFrom = m.start();
                }
                if (m.start() < textTo && m.end() > textTo) {
                    textTo = m.end();
                }
            }
        }
        StringBuilder out = new StringBuilder();
        if (textFrom > 0) {
            out.append(ELLIPSIS);
        }
        int pos = textFrom;
        for (Mark m : marks) {
            if (m.start() >= textFrom && m.end() <= textTo) {
                out.append(text, pos, m.start()).append(OPEN).append(text, m.start(), m.end()).append(CLOSE);
                pos = m.end();
            }
        }
        out.append(text, pos, textTo);
        if (textTo < text.length()) {
            out.append(ELLIPSIS);
        }
        return out.toString();
    }

    private static boolean matchesAt(List<Token> tokens, int i, Phrase p) {
        List<String> words = p.words();
        if (words.isEmpty() || i + words.size() > tokens.size()) {
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

    /** Where {@code needle} occurs in {@code text}, each code point compared case-insensitively; not overlapping. */
    private static List<Mark> occurrences(String text, String needle) {
        int[] want = needle.codePoints().map(Snippets::foldCase).toArray();
        int[] have = text.codePoints().map(Snippets::foldCase).toArray();
        int[] charAt = new int[have.length + 1];
        for (int k = 0, c = 0; k < have.length; k++) {
            charAt[k] = c;
            c += Character.charCount(text.codePointAt(c));
            charAt[k + 1] = c;
        }
        List<Mark> out = new ArrayList<>();
        if (want.length == 0) {
            return out;
        }
        int k = 0;
        while (k + want.length <= have.length) {
            int j = 0;
            while (j < want.length && have[k + j] == want[j]) {
                j++;
            }
            if (j == want.length) {
                out.add(new Mark(charAt[k], charAt[k + want.length]));
                k += want.length;
            } else {
                k++;
            }
        }
        return out;
    }

    /** Simple case folding of one code point, as the engines compare substrings (no diacritics folded). */
    private static int foldCase(int cp) {
        return Character.toLowerCase(Character.toUpperCase(cp));
    }

    /** The marks in text order, overlapping or touching ones joined. */
    private static List<Mark> merged(List<Mark> marks) {
        List<Mark> sorted = new ArrayList<>(marks);
        sorted.sort(Comparator.comparingInt(Mark::start).thenComparingInt(Mark::end));
        List<Mark> out = new ArrayList<>();
        for (Mark m : sorted) {
            Mark last = out.isEmpty() ? null : out.get(out.size() - 1);
            if (last != null && m.start() <= last.end()) {
                out.set(out.size() - 1, new Mark(last.start(), Math.max(last.end(), m.end())));
            } else {
                out.add(m);
            }
        }
        return out;
    }

    /** The first token that ends after {@code pos} (the one holding it, or the next); the last one if none. */
    private static int tokenAtOrAfter(List<Token> tokens, int pos) {
        for (int i = 0; i < tokens.size(); i++) {
            if (tokens.get(i).end() > pos) {
                return i;
            }
        }
        return tokens.size() - 1;
    }

    private static List<Token> tokens(String text) {
        List<Token> out = new ArrayList<>();
        int i = 0;
        while (i < text.length()) {
            int cp = text.codePointAt(i);
            if (SearchTerms.isWordCharacter(cp)) {
                int start = i;
                while (i < text.length() && SearchTerms.isWordCharacter(text.codePointAt(i))) {
                    i += Character.charCount(text.codePointAt(i));
                }
                out.add(new Token(start, i, fold(text.substring(start, i))));
            } else {
                i += Character.charCount(cp);
            }
        }
        return out;
    }
}
