package org.ttyaudit.server.store.sqlite;

import org.ttyaudit.server.store.StoreException;
import org.ttyaudit.server.store.jdbc.SearchTerms;
import org.ttyaudit.server.store.jdbc.Snippets;

import java.util.ArrayList;
import java.util.List;

/**
 * A user's search text as FTS5 expressions that are always valid syntax: every term of {@link SearchTerms}
 * becomes an FTS5 string (so {@code - / : ( ) * ^ NEAR OR NOT} and column names are never operators), the strings
 * are ANDed, and a prefix term gets FTS5's {@code *}. Word, phrase and prefix terms go to the word indexes
 * ({@code commands_fts}, {@code output_fts}); substring terms to the trigram index of the command lines
 * ({@code commands_trigram}), where a string is the phrase of its trigrams: the lines that contain it.
 *
 * @param words         for the word indexes; null when the query has substring terms only
 * @param substrings    for the trigram index; null when the query has none
 * @param phrases       the word and phrase terms' words, folded, for snippets made by {@link Snippets}
 * @param substringText the substring terms' texts, for snippets made by {@link Snippets}
 */
record FtsQuery(String words, String substrings, List<Snippets.Phrase> phrases, List<String> substringText) {

    /** @throws StoreException when the text has no word to search for, is too long, or has a too short substring */
    static FtsQuery of(String query) {
        List<String> words = new ArrayList<>();
        List<String> substrings = new ArrayList<>();
        List<Snippets.Phrase> phrases = new ArrayList<>();
        List<String> substringText = new ArrayList<>();
        for (SearchTerms.Term t : SearchTerms.parse(query)) {
            // a term holds no '"' (it ends words and phrases), so it cannot break out of the FTS5 string "…"
            String string = '"' + t.text() + '"';
            if (t.substring()) {
                substrings.add(string);
                substringText.add(t.text());
            } else {
                words.add(string + (t.prefix() ? "*" : ""));
                phrases.add(new Snippets.Phrase(SearchTerms.words(t.text()).stream().map(Snippets::fold).toList(),
                        t.prefix()));
            }
        }
        return new FtsQuery(words.isEmpty() ? null : String.join(" AND ", words),
                substrings.isEmpty() ? null : String.join(" AND ", substrings), phrases, substringText);
    }
}
