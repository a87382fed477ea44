/**
 * Checking a server's store offline ({@code ttyaudit verify --data DIR}): every session's header, chunk chain,
 * chunk blobs and end record; the index rows derived from the chunks (commands, exec, marker and file events, output
 * text); the audit log; and the Merkle ledger — every leaf accounted for by the row it names, every stored node
 * recomputed from the leaves, every signed tree head's root and signature. The result is a {@link
 * org.ttyaudit.server.verify.StoreReport} that names each problem precisely (session and chunk, file, ledger
 * index). {@link org.ttyaudit.server.verify.StoreVerifier} works on any {@link org.ttyaudit.server.store.Store}
 * and blob store; {@link org.ttyaudit.server.verify.DataDirectoryVerifier} opens a server's data directory
 * read-only and runs it. docs/LEDGER.md ("Verifying a server's store offline") lists every message.
 */
package org.ttyaudit.server.verify;
