package org.ttyaudit.server.migrate;

/**
 * What a migration reports while it runs: each phase (copying blobs, copying a table, checking) with the units it
 * has to do, then how many are done. The command line shows it as a bar or as periodic lines.
 */
public interface MigrationProgress {

    /** A phase begins: {@code total} units (rows, blobs, leaves) to do. */
    void phase(String name, long total);

    /** {@code done} units of the current phase are done. */
    void advance(long done);

    /** A note for the operator (a resumed copy, a skipped step). */
    void note(String message);

    /** Reports nothing. */
    static MigrationProgress none() {
        return new MigrationProgress() {
            @Override
            public void phase(String name, long total) {
            }

            @Override
            public void advance(long done) {
            }

            @Override
            public void note(String message) {
            }
        };
    }
}
