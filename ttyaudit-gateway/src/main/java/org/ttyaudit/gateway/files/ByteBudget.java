package org.ttyaudit.gateway.files;

/**
 * The bytes one tap may hold at once for content it cannot hash yet (replies out of order, writes not yet
 * confirmed). Shared by all the files of a tap, so that an untrusted peer cannot make it hold more than this,
 * however many files it opens.
 */
final class ByteBudget {
    private final long limit;
    private long used;

    ByteBudget(long limit) {
        this.limit = limit;
    }

    /** Takes n bytes if they are left. */
    boolean take(long n) {
        if (used + n > limit) {
            return false;
        }
        used += n;
        return true;
    }

    void give(long n) {
        used -= n;
    }
}
