package org.ttyaudit.server.verify;

import org.ttyaudit.server.AuditServer;
import org.ttyaudit.server.blob.fs.DirectoryBlobStore;
import org.ttyaudit.server.store.StoreException;
import org.ttyaudit.server.store.sqlite.SqliteStore;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PublicKey;

/**
 * Checks a server's data directory ({@link AuditServer}'s layout) without changing it: the database
 * {@code server.db} opened read-only ({@link SqliteStore#openReadOnly}), the chunk files under {@code blobs/}
 * (named in messages by their path relative to the data directory) and the signing key
 * {@code keys/ledger.key} — or a public key the user pins ({@link TrustedKey#fromDataDirectory}). The wiring of
 * {@code ttyaudit verify --data DIR}; {@link StoreVerifier} does the checking.
 *
 * <p>Meant for a stopped server or a copy of its directory. Stateless and thread-safe.
 */
public final class DataDirectoryVerifier {

    private DataDirectoryVerifier() {
    }

    /**
     * @param pinned     the public key the signed heads must verify with, or null to use the key file's
     * @param pinnedName how messages name the pinned key (its file), when given
     * @throws IllegalArgumentException when {@code dataDir} is not a server's data directory (no database)
     * @throws StoreException           when the database cannot be opened (not a ttyaudit database, another
     *                                  schema version, unreadable)
     */
    public static StoreReport verify(Path dataDir, PublicKey pinned, String pinnedName) {
        Path database = dataDir.resolve(AuditServer.DATABASE);
        if (!Files.isDirectory(dataDir)) {
            throw new IllegalArgumentException(dataDir + ": no such directory");
        }
        if (!Files.isRegularFile(database)) {
            throw new IllegalArgumentException(dataDir + " is not a ttyaudit server's data directory: it has no "
                    + AuditServer.DATABASE);
        }
        TrustedKey key = TrustedKey.fromDataDirectory(dataDir, pinned, pinnedName);
        Path blobDir = dataDir.resolve(AuditServer.BLOBS);
        String prefix = AuditServer.BLOBS + "/";
        try (SqliteStore store = SqliteStore.openReadOnly(database)) {
            if (!Files.isDirectory(blobDir)) {
                // opening the blob store would create the directory; every chunk's blob is reported missing
                return new StoreVerifier(store, ChunkBlobs.none(prefix), key).verify();
            }
            try (DirectoryBlobStore blobs = DirectoryBlobStore.open(blobDir)) {
                return new StoreVerifier(store, ChunkBlobs.of(blobs, prefix), key).verify();
            }
        }
    }
}
