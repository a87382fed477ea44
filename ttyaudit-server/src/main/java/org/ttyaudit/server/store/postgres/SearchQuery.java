package org.ttyaudit.server.store.postgres;

import org.ttyaudit.server.store.jdbc.SearchTerms;

import java.text.Normalizer;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * A user's search text as PostgreSQL's tsquery text, and as the word lists the snippets are marked with. Each term
 * of {@link SearchTerms} becomes its words (runs of letters and digits, as {@code ttyaudit_search_words} splits
 * the searched text) joined by {@code <->} (a phrase: adjacent, in order); a prefix term's last word gets
 * {@code :*}; the terms are ANDed with {@code &}. Every word is quoted and holds only letters and digits, so no
 * input is a tsquery operator or a syntax error.
 *
 * @param tsquery for {@code to_tsquery('ttyaudit_search', ?)}
 * @param phrases the terms' words, folded ({@link #fold}), for marking matches in snippets
 */
record SearchQuery(String tsquery, List<Phrase> phrases) {

    /** One term's folded words; the last matches as a prefix when {@code prefix}. */
    record Phrase(List<String> words, boolean prefix) {
    }

    static SearchQuery of(String query) {
        List<String> terms = new ArrayList<>();
        List<Phrase> phrases = new ArrayList<>();
        for (SearchTerms.Term t : SearchTerms.parse(query)) {
            List<String> words = words(t.text());
            if (words.isEmpty()) {
                continue;
            }
            List<String> quoted = words.stream().map(w -> "'" + w + "'").collect(Collectors.toList());
            if (t.prefix()) {
                quoted.set(quoted.size() - 1, quoted.get(quoted.size() - 1) + ":*");
            }
            terms.add(quoted.size() == 1 ? quoted.get(0) : "(" + String.join(" <-> ", quoted) + ")");
            phrases.add(new Phrase(words.stream().map(SearchQuery::fold).toList(), t.prefix()));
        }
        return new SearchQuery(String.join(" & ", terms), phrases);
    }

    /** The runs of word characters of {@code text}, in order. */
    static List<String> words(String text) {
        List<String> out = new ArrayList<>();
        StringBuilder word = new StringBuilder();
        text.codePoints().forEach(cp -> {
            if (SearchTerms.isWordCharacter(cp)) {
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

    /** Case and diacritics folded, as the unaccent and simple dictionaries fold a word. */
    static String fold(String word) {
        String decomposed = Normalizer.normalize(word, Normalizer.Form.NFD);
        return decomposed.replaceAll("\\p{M}+", "").toLowerCase(Locale.ROOT);
    }
}
