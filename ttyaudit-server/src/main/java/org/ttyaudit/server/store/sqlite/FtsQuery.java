package org.ttyaudit.server.store.sqlite;

import org.ttyaudit.server.store.StoreException;

import java.util.ArrayList;
import java.util.List;

/**
 * Turns a user's search text into an FTS5 expression that is always valid syntax: every word or quoted phrase
 * becomes an FTS5 string (so {@code - / : ( ) * ^ NEAR OR NOT} and column names are never operators), the strings
 * are ANDed, and a word ending in {@code *} becomes a prefix query. The language is described on
 * {@link org.ttyaudit.server.store.SessionQueries#search}.
 *
 * <p>Words without a letter or digit ({@code --}, {@code |}) would be empty FTS5 strings, which match nothing,
 * so they are left out. Stateless.
 */
final class FtsQuery {
    static final int MAX_LENGTH = 1000;
    static final int MAX_TERMS = 64;

    private FtsQuery() {
    }

    /** @throws StoreException when the text has no word to search for, or is too long */
    static String toFts5(String query) {
        if (query == null) {
            throw new StoreException("the search query is missing");
        }
        if (query.length() > MAX_LENGTH) {
            throw new StoreException("the search query is longer than " + MAX_LENGTH + " characters");
        }
        List<String> terms = new ArrayList<>();
        int n = query.length();
        int i = 0;
        while (i < n) {
            char ch = query.charAt(i);
            if (isBlank(ch)) {
                i++;
            } else if (ch == '"') {
                int close = query.indexOf('"', i + 1);
                int end = close < 0 ? n : close;
                addTerm(terms, query.substring(i + 1, end), false);
                i = end + 1;
            } else {
                int end = i;
                while (end < n && !isBlank(query.charAt(end)) && query.charAt(end) != '"') {
                    end++;
                }
                String word = query.substring(i, end);
                boolean prefix = word.endsWith("*");
                addTerm(terms, prefix ? word.replaceAll("\\*+$", "") : word, prefix);
                i = end;
            }
        }
        if (terms.isEmpty()) {
            throw new StoreException("the search query has no word to search for (words are letters and digits)");
        }
        if (terms.size() > MAX_TERMS) {
            throw new StoreException("the search query has more than " + MAX_TERMS + " words");
        }
        return String.join(" AND ", terms);
    }

    private static void addTerm(List<String> terms, String text, boolean prefix) {
        if (!hasWordCharacter(text)) {
            return;
        }
        // A NUL would end the string inside SQLite ("unterminated string"); other control characters go too.
        StringBuilder clean = new StringBuilder(text.length());
        text.codePoints().forEach(cp -> clean.appendCodePoint(Character.isISOControl(cp) ? ' ' : cp));
        // text holds no '"' (it ends words and phrases), so it cannot break out of the FTS5 string "…"
        terms.add('"' + clean.toString() + '"' + (prefix ? "*" : ""));
    }

    /** White space and control characters (a NUL would end the string inside SQLite) separate words. */
    private static boolean isBlank(char ch) {
        return Character.isWhitespace(ch) || Character.isISOControl(ch) || Character.isSpaceChar(ch);
    }

    /** The characters FTS5's unicode61 tokenizer keeps in words by default: letters, numbers, private use. */
    private static boolean hasWordCharacter(String text) {
        return text.codePoints().anyMatch(cp -> switch (Character.getType(cp)) {
            case Character.UPPERCASE_LETTER, Character.LOWERCASE_LETTER, Character.TITLECASE_LETTER,
                    Character.MODIFIER_LETTER, Character.OTHER_LETTER, Character.DECIMAL_DIGIT_NUMBER,
                    Character.LETTER_NUMBER, Character.OTHER_NUMBER, Character.PRIVATE_USE -> true;
            default -> false;
        });
    }
}
