package org.ttyaudit.server.store.postgres;

import org.ttyaudit.server.store.jdbc.SearchTerms;
import org.ttyaudit.server.store.jdbc.Snippets;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/**
 * A user's search text as PostgreSQL's tsquery text and LIKE patterns, and as what the snippets are marked with.
 * Each word or phrase term of {@link SearchTerms} becomes its words (runs of letters and digits, as
 * {@code ttyaudit_search_words} splits the searched text) joined by {@code <->} (a phrase: adjacent, in order); a
 * prefix term's last word gets {@code :*}; the terms are ANDed with {@code &}. Every word is quoted and holds only
 * letters and digits, so no input is a tsquery operator or a syntax error. Each substring term becomes an
 * {@code ILIKE} pattern {@code %text%} whose {@code % _ \} are escaped with {@code \}, so the user's text is
 * literal.
 *
 * @param tsquery    for {@code to_tsquery('ttyaudit_search', ?)}; empty when the query has substring terms only
 * @param phrases    the word and phrase terms' words, folded ({@link Snippets#fold}), for marking snippets
 * @param substrings the substring terms' texts, for marking snippets
 * @param patterns   the substring terms as {@code ILIKE ? ESCAPE '\'} patterns
 */
record SearchQuery(String tsquery, List<Snippets.Phrase> phrases, List<String> substrings, List<String> patterns) {

    static SearchQuery of(String query) {
        List<String> terms = new ArrayList<>();
        List<Snippets.Phrase> phrases = new ArrayList<>();
        List<String> substrings = new ArrayList<>();
        for (SearchTerms.Term t : SearchTerms.parse(query)) {
            if (t.substring()) {
                substrings.add(t.text());
                continue;
            }
            List<String> words = SearchTerms.words(t.text());
            if (words.isEmpty()) {
                continue;
            }
            List<String> quoted = words.stream().map(w -> "'" + w + "'").collect(Collectors.toList());
            if (t.prefix()) {
                quoted.set(quoted.size() - 1, quoted.get(quoted.size() - 1) + ":*");
            }
            terms.add(quoted.size() == 1 ? quoted.get(0) : "(" + String.join(" <-> ", quoted) + ")");
            phrases.add(new Snippets.Phrase(words.stream().map(Snippets::fold).toList(), t.prefix()));
        }
        return new SearchQuery(String.join(" & ", terms), phrases, substrings,
                substrings.stream().map(SearchQuery::containsPattern).toList());
    }

    /** Whether the query has word, phrase or prefix terms (a tsquery to match). */
    boolean hasWords() {
        return !tsquery.isEmpty();
    }

    /** Whether the query has substring terms, which search command lines only. */
    boolean hasSubstrings() {
        return !substrings.isEmpty();
    }

    /** The LIKE pattern of text that contains {@code text}: {@code %text%}, its wildcards and {@code \} escaped. */
    static String containsPattern(String text) {
        StringBuilder p = new StringBuilder(text.length() + 2).append('%');
        for (int i = 0; i < text.length(); i++) {
            char ch = text.charAt(i);
            if (ch == '%' || ch == '_' || ch == '\\') {
                p.append('\\');
            }
            p.append(ch);
        }
        return p.append('%').toString();
    }
}
