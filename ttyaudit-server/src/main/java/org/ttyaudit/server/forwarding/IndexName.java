package org.ttyaudit.server.forwarding;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The Elasticsearch/OpenSearch index a document goes to: a fixed name ({@code ttyaudit}, or an alias) or a name
 * with one date part in Logstash's notation, {@code ttyaudit-%{+yyyy.MM.dd}}, filled from the document's own
 * {@code @timestamp} in UTC. The document's time, not the time of sending, so that a document sent again (after a
 * lost answer, or a restart) goes to the same index and its {@code _id} finds the copy already there. Immutable.
 */
final class IndexName {
    private static final Pattern DATE = Pattern.compile("%\\{\\+([^}]+)}");
    private static final Pattern ILLEGAL = Pattern.compile("[\\\\/*?\"<>| ,#:A-Z]");

    private final String prefix;
    private final DateTimeFormatter date;
    private final String suffix;

    private IndexName(String prefix, DateTimeFormatter date, String suffix) {
        this.prefix = prefix;
        this.date = date;
        this.suffix = suffix;
    }

    /** Reads {@code text}; IllegalArgumentException says what is wrong with it. */
    static IndexName parse(String text) {
        Objects.requireNonNull(text, "text");
        Matcher m = DATE.matcher(text);
        IndexName name;
        if (m.find()) {
            if (m.find()) {
                throw new IllegalArgumentException("'" + text + "' has more than one %{+…} date part");
            }
            m.reset().find();
            DateTimeFormatter f;
            try {
                f = DateTimeFormatter.ofPattern(m.group(1), Locale.ROOT).withZone(ZoneOffset.UTC);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("'" + m.group(1) + "' is not a date pattern (" + e.getMessage()
                        + ")");
            }
            name = new IndexName(text.substring(0, m.start()), f, text.substring(m.end()));
        } else {
            name = new IndexName(text, null, "");
        }
        String sample = name.at(Instant.parse("2026-12-31T23:59:59Z"));
        if (sample.isEmpty() || sample.length() > 255 || ILLEGAL.matcher(sample).find() || sample.startsWith("-")
                || sample.startsWith("_") || sample.startsWith("+") || sample.equals(".") || sample.equals("..")) {
            throw new IllegalArgumentException("'" + sample + "' is not a valid index name (lowercase, without"
                    + " spaces or \\ / * ? \" < > | , # :, not starting with - _ +)");
        }
        if (name.date != null && name.templatePattern().equals("*")) {
            throw new IllegalArgumentException("'" + text + "' needs a fixed part besides the date");
        }
        return name;
    }

    /** The index of a document of time {@code at}. */
    String at(Instant at) {
        return date == null ? prefix : prefix + date.format(at) + suffix;
    }

    /** The {@code index_patterns} entry that matches every index this name gives. */
    String templatePattern() {
        return date == null ? prefix : prefix + "*" + suffix;
    }
}
