package org.ttyaudit.server.store.jdbc;

import org.ttyaudit.server.store.StoreException;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.UUID;

/**
 * Opaque page cursors: the sort key of a page's last row, tagged with what was listed, as base64url text. A
 * cursor of another listing, a damaged one or a made-up one is a {@link StoreException} "invalid cursor", never
 * a wrong page. Cursors are not secret: they only hold values of rows the caller has already seen.
 */
public final class Cursors {
    private static final char SEPARATOR = '\n';

    private Cursors() {
    }

    public static String encode(String listing, Object... key) {
        StringBuilder sb = new StringBuilder(listing);
        for (Object part : key) {
            sb.append(SEPARATOR).append(part);
        }
        return Base64.getUrlEncoder().withoutPadding().encodeToString(sb.toString().getBytes(StandardCharsets.UTF_8));
    }

    /** The key parts of a cursor of {@code listing}; null when {@code cursor} is null (the first page). */
    public static Key decode(String listing, String cursor, int parts) {
        if (cursor == null) {
            return null;
        }
        String text;
        try {
            text = new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw invalid();
        }
        List<String> fields = List.of(text.split(String.valueOf(SEPARATOR), -1));
        if (fields.size() != parts + 1 || !fields.get(0).equals(listing)) {
            throw invalid();
        }
        return new Key(fields.subList(1, fields.size()));
    }

    private static StoreException invalid() {
        return new StoreException("invalid cursor: use the next cursor of the previous page, unchanged, with the"
                + " same query");
    }

    /** A decoded sort key; its typed accessors fail as an invalid cursor. */
    public record Key(List<String> parts) {
        public long longAt(int i) {
            try {
                return Long.parseLong(parts.get(i));
            } catch (NumberFormatException e) {
                throw invalid();
            }
        }

        public String uuidAt(int i) {
            try {
                UUID uuid = UUID.fromString(parts.get(i));
                String canonical = uuid.toString();
                if (!canonical.equals(parts.get(i))) {
                    throw invalid();
                }
                return canonical;
            } catch (IllegalArgumentException e) {
                throw invalid();
            }
        }

        public String oneOf(int i, String... allowed) {
            for (String a : allowed) {
                if (a.equals(parts.get(i))) {
                    return a;
                }
            }
            throw invalid();
        }
    }
}
