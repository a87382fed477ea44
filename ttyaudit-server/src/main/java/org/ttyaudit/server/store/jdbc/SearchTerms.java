package org.ttyaudit.server.store.jdbc;

import org.ttyaudit.server.store.StoreException;

import java.util.ArrayList;
import java.util.List;

/**
 * A user's search text as the terms of the query language every store shares (described on
 * {@link org.ttyaudit.server.store.SessionQueries#search}): each word or quoted phrase is a term, a word ending in
 * {@code *} is a prefix term, and the terms are ANDed. Each engine renders the terms in its own syntax (FTS5
 * strings, tsquery), so that no user input is ever a syntax error there.
 *
 * <p>Terms without a letter or digit ({@code --}, {@code |}) would match nothing, so they are left out; control
 * characters in a term become spaces. Stateless.
 */
public final class SearchTerms {
    public static final int MAX_LENGTH = 1000;
    public static final int MAX_TERMS = 64;

    /**
     * One term: {@code text} holds no {@code "} and no control character.
     *
     * @param prefix whether the term's last word matches words that start with it
     */
    public record Term(String text, boolean prefix) {
    }

    private SearchTerms() {
    }

    /** @throws StoreException when the text has no word to search for, is too long or has too many terms */
    public static List<Term> parse(String query) {
        if (query == null) {
            throw new StoreException("the search query is missing");
        }
        if (query.length() > MAX_LENGTH) {
            throw new StoreException("the search query is longer than " + MAX_LENGTH + " characters");
        }
        List<Term> terms = new ArrayList<>();
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
        return terms;
    }

    private static void addTerm(List<Term> terms, String text, boolean prefix) {
        if (!hasWordCharacter(text)) {
            return;
        }
        // A NUL would end the string inside SQLite ("unterminated string"); other control characters go too.
        StringBuilder clean = new StringBuilder(text.length());
        text.codePoints().forEach(cp -> clean.appendCodePoint(Character.isISOControl(cp) ? ' ' : cp));
        terms.add(new Term(clean.toString(), prefix));
    }

    /** White space and control characters (a NUL would end the string inside SQLite) separate words. */
    private static boolean isBlank(char ch) {
        return Character.isWhitespace(ch) || Character.isISOControl(ch) || Character.isSpaceChar(ch);
    }

    /** Whether {@code cp} is part of a word: letters, numbers, private use (FTS5 unicode61's default). */
    public static boolean isWordCharacter(int cp) {
        return switch (Character.getType(cp)) {
            case Character.UPPERCASE_LETTER, Character.LOWERCASE_LETTER, Character.TITLECASE_LETTER,
                    Character.MODIFIER_LETTER, Character.OTHER_LETTER, Character.DECIMAL_DIGIT_NUMBER,
                    Character.LETTER_NUMBER, Character.OTHER_NUMBER, Character.PRIVATE_USE -> true;
            default -> false;
        };
    }

    private static boolean hasWordCharacter(String text) {
        return text.codePoints().anyMatch(SearchTerms::isWordCharacter);
    }
}
