package org.ttyaudit.server.store.jdbc;

import org.ttyaudit.server.store.StoreException;

import java.util.ArrayList;
import java.util.List;

/**
 * A user's search text as the terms of the query language every store shares (described on
 * {@link org.ttyaudit.server.store.SessionQueries#search}): each word or quoted phrase is a term, a word ending in
 * {@code *} is a prefix term, a word starting with {@code *} ({@code *etc/shad*}, {@code *-rf}) is a substring
 * term, and the terms are ANDed. Each engine renders the terms in its own syntax (FTS5 strings, tsquery, LIKE
 * patterns), so that no user input is ever a syntax error there.
 *
 * <p>Word, phrase and prefix terms without a letter or digit ({@code --}, {@code |}) would match nothing, so they
 * are left out; control characters in a term become spaces. A substring term is taken literally (punctuation
 * included: that is what it is for) and needs at least {@link #MIN_SUBSTRING} characters, as trigram indexes do.
 * Stateless.
 */
public final class SearchTerms {
    public static final int MAX_LENGTH = 1000;
    public static final int MAX_TERMS = 64;
    /** The shortest substring term: a trigram index cannot look up fewer characters. */
    public static final int MIN_SUBSTRING = 3;

    /** How a term matches. */
    public enum Kind {
        /** its words, adjacent and in order */
        WORDS,
        /** as {@link #WORDS}, the last word matching words that start with it */
        PREFIX,
        /** its characters anywhere in a command line, case-insensitively; command lines only */
        SUBSTRING
    }

    /**
     * One term: {@code text} holds no {@code "} and no control character; a {@link Kind#SUBSTRING} term's text
     * holds at least {@link #MIN_SUBSTRING} code points, no white space and no unpaired surrogate, and the others'
     * text a letter or digit.
     */
    public record Term(String text, Kind kind) {
        public boolean prefix() {
            return kind == Kind.PREFIX;
        }

        public boolean substring() {
            return kind == Kind.SUBSTRING;
        }
    }

    private SearchTerms() {
    }

    /**
     * @throws StoreException when the text has no word to search for, is too long, has too many terms, or a
     *                        substring term shorter than {@link #MIN_SUBSTRING} characters
     */
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
                addTerm(terms, query.substring(i + 1, end), Kind.WORDS);
                i = end + 1;
            } else {
                int end = i;
                while (end < n && !isBlank(query.charAt(end)) && query.charAt(end) != '"') {
                    end++;
                }
                addWord(terms, query.substring(i, end));
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

    private static void addWord(List<Term> terms, String word) {
        if (word.startsWith("*")) {
            // *text* and *text alike: a command line is not made of words, so "ends with" would mean nothing more
            String text = word.replaceAll("^\\*+", "").replaceAll("\\*+$", "");
            addSubstring(terms, text);
        } else if (word.endsWith("*")) {
            addTerm(terms, word.replaceAll("\\*+$", ""), Kind.PREFIX);
        } else {
            addTerm(terms, word, Kind.WORDS);
        }
    }

    private static void addSubstring(List<Term> terms, String text) {
        if (text.isEmpty()) {
            return; // a lone "*" (or "**"): nothing to look for, like other punctuation on its own
        }
        int length = text.codePointCount(0, text.length());
        if (length < MIN_SUBSTRING) {
            throw new StoreException("the search query's substring term *" + text + "* is shorter than "
                    + MIN_SUBSTRING + " characters (substring terms, *text*, search command lines for at least "
                    + MIN_SUBSTRING + " characters)");
        }
        // a lone surrogate cannot be sent to an engine as UTF-8; it can match nothing, so it stands for itself
        StringBuilder clean = new StringBuilder(text.length());
        text.codePoints().forEach(cp -> clean.appendCodePoint(
                Character.getType(cp) == Character.SURROGATE ? 0xFFFD : cp));
        terms.add(new Term(clean.toString(), Kind.SUBSTRING));
    }

    private static void addTerm(List<Term> terms, String text, Kind kind) {
        if (!hasWordCharacter(text)) {
            return;
        }
        // A NUL would end the string inside SQLite ("unterminated string"); other control characters go too.
        StringBuilder clean = new StringBuilder(text.length());
        text.codePoints().forEach(cp -> clean.appendCodePoint(Character.isISOControl(cp) ? ' ' : cp));
        terms.add(new Term(clean.toString(), kind));
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

    /** The runs of word characters of {@code text}, in order: the words a word or phrase term looks for. */
    public static List<String> words(String text) {
        List<String> out = new ArrayList<>();
        StringBuilder word = new StringBuilder();
        text.codePoints().forEach(cp -> {
            if (isWordCharacter(cp)) {
                word.appendCodePoint(cp);
            } else if (word.length() > 0) {
                out.add(word.toString());
                word.setLength(0);
            }
        });
        if (word.length() > 0) {
            out.add(word.toString());
        }
        return out;
    }

    private static boolean hasWordCharacter(String text) {
        return text.codePoints().anyMatch(SearchTerms::isWordCharacter);
    }
}
