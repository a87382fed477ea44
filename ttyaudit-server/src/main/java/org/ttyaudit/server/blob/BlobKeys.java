package org.ttyaudit.server.blob;

import java.util.regex.Pattern;

/**
 * The keys every {@link BlobStore} accepts (its contract): one or more segments of letters, digits, {@code - _ .}
 * separated by single slashes, no {@code .} or {@code ..} segment, at most {@value #MAX_LENGTH} characters in all
 * and {@value #MAX_SEGMENT} per segment. So a key is always a relative path inside a directory store's root and
 * never the name of its temporary files (those contain {@code ~}), and an object key below an S3 store's prefix.
 */
public final class BlobKeys {
    public static final int MAX_LENGTH = 512;
    /** File names are at most 255 bytes; a directory store's temporary file adds a suffix of 21. */
    public static final int MAX_SEGMENT = 200;

    private static final Pattern SEGMENT = Pattern.compile("[A-Za-z0-9._-]+");

    private BlobKeys() {
    }

    /** @throws BlobStoreException naming the key and what is wrong with it */
    public static void check(String key) {
        if (key == null) {
            throw new BlobStoreException("a blob key is missing (null)");
        }
        if (key.isEmpty() || key.length() > MAX_LENGTH) {
            throw bad(key, "it must have 1 to " + MAX_LENGTH + " characters");
        }
        for (String segment : key.split("/", -1)) {
            if (segment.isEmpty()) {
                throw bad(key, "it has an empty segment (a leading, trailing or double slash)");
            }
            if (segment.equals(".") || segment.equals("..")) {
                throw bad(key, "'" + segment + "' is not allowed as a segment");
            }
            if (segment.length() > MAX_SEGMENT) {
                throw bad(key, "a segment is longer than " + MAX_SEGMENT + " characters");
            }
            if (!SEGMENT.matcher(segment).matches()) {
                throw bad(key, "only letters, digits, '-', '_', '.' and '/' are allowed");
            }
        }
    }

    private static BlobStoreException bad(String key, String why) {
        String shown = (key.length() > 80 ? key.substring(0, 80) + "…" : key).replaceAll("\\p{Cntrl}", "?");
        return new BlobStoreException("invalid blob key '" + shown + "': " + why);
    }
}
