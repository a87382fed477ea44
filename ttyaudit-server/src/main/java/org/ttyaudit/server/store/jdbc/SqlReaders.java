package org.ttyaudit.server.store.jdbc;

/**
 * Runs reads on a pooled connection that sees committed data only. Thread-safe; each statement is its own
 * snapshot unless the engine's work brackets several.
 */
public interface SqlReaders {
    /** Runs {@code work} on a free connection; {@code what} names it in error messages. */
    <T> T read(String what, Sql.Work<T> work);
}
