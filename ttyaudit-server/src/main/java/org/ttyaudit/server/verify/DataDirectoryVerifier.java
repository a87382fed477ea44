package org.ttyaudit.server.verify;

import org.ttyaudit.core.config.ConfigNode;
import org.ttyaudit.core.config.YamlConfig;
import org.ttyaudit.server.AuditServer;
import org.ttyaudit.server.ServerSettings;
import org.ttyaudit.server.blob.BlobSettings;
import org.ttyaudit.server.blob.BlobStore;
import org.ttyaudit.server.blob.fs.DirectoryBlobStore;
import org.ttyaudit.server.StoreFactory;
import org.ttyaudit.server.store.Store;
import org.ttyaudit.server.store.StoreException;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PublicKey;
import java.util.AbstractMap;
import java.util.Map;
import java.util.Set;
import java.util.function.UnaryOperator;

/**
 * Checks a server's data directory ({@link AuditServer}'s layout) without changing it: the database
 * {@code server.db} opened read-only, or the PostgreSQL database the settings' {@code database:} section (or
 * {@code TTYAUDIT_DATABASE_*}) names, opened without migrating it ({@link StoreFactory#openForChecking}), the chunk
 * bytes — files under
 * {@code blobs/} (named in messages by their path relative to the data directory), or objects in S3 when the
 * server's settings file says {@code blobs: type: s3} (named {@code s3://bucket/prefix/key}; only read) — and the
 * signing key {@code keys/ledger.key}, or a public key the user pins ({@link TrustedKey#fromDataDirectory}). The
 * wiring of {@code ttyaudit verify --data DIR}; {@link StoreVerifier} does the checking.
 *
 * <p>Meant for a stopped server or a copy of its directory. Stateless and thread-safe.
 */
public final class DataDirectoryVerifier {

    private DataDirectoryVerifier() {
    }

    /** {@link #verify(Path, Path, UnaryOperator, PublicKey, String)} with the data directory's server.yaml. */
    public static StoreReport verify(Path dataDir, PublicKey pinned, String pinnedName) {
        return verify(dataDir, null, System::getenv, pinned, pinnedName);
    }

    /**
     * @param settingsFile the server's settings file, whose {@code blobs:} section says where the chunk bytes are
     *                     and whose {@code database:} section which store it uses; null: {@code server.yaml} in
     *                     the data directory, when there is one
     * @param env          the environment, for the settings' {@code TTYAUDIT_S3_*} and {@code TTYAUDIT_DATABASE_*}
     *                     overrides
     * @param pinned       the public key the signed heads must verify with, or null to use the key file's
     * @param pinnedName   how messages name the pinned key (its file), when given
     * @throws IllegalArgumentException when {@code dataDir} is not a server's data directory (no database, and no
     *                                  PostgreSQL database in the settings)
     * @throws StoreException           when the database cannot be opened (not a ttyaudit database, another
     *                                  schema version, unreadable)
     * @throws org.ttyaudit.core.config.ConfigException when the settings file is not valid
     * @throws org.ttyaudit.server.blob.BlobStoreException when the S3 store cannot be reached
     */
    public static StoreReport verify(Path dataDir, Path settingsFile, UnaryOperator<String> env, PublicKey pinned,
                                     String pinnedName) {
        if (!Files.isDirectory(dataDir)) {
            throw new IllegalArgumentException(dataDir + ": no such directory");
        }
        ConfigNode settings = settings(dataDir, settingsFile);
        BlobSettings blobSettings = BlobSettings.parse(settings.mapping("blobs"), env);
        Map<String, String> variables = variables(env);
        TrustedKey key = TrustedKey.fromDataDirectory(dataDir, pinned, pinnedName);
        // the server's choice of store: PostgreSQL when the database section (or the environment) names one
        try (Store store = StoreFactory.openForChecking(settings.mapping("database"), dataDir, variables)) {
            if (blobSettings instanceof BlobSettings.S3 s3) {
                try (BlobStore blobs = s3.open(null)) {
                    return new StoreVerifier(store, ChunkBlobs.of(blobs, s3.settings().location()), key).verify();
                }
            }
            Path blobDir = dataDir.resolve(AuditServer.BLOBS);
            String prefix = AuditServer.BLOBS + "/";
            if (!Files.isDirectory(blobDir)) {
                // opening the blob store would create the directory; every chunk's blob is reported missing
                return new StoreVerifier(store, ChunkBlobs.none(prefix), key).verify();
            }
            try (DirectoryBlobStore blobs = DirectoryBlobStore.open(blobDir)) {
                return new StoreVerifier(store, ChunkBlobs.of(blobs, prefix), key).verify();
            }
        }
    }

    /** The environment as the database settings read it (they only look variables up). */
    private static Map<String, String> variables(UnaryOperator<String> env) {
        return new AbstractMap<>() {
            @Override
            public String get(Object name) {
                return name instanceof String n ? env.apply(n) : null;
            }

            @Override
            public Set<Map.Entry<String, String>> entrySet() {
                return Set.of();
            }
        };
    }

    private static ConfigNode settings(Path dataDir, Path settingsFile) {
        Path file = settingsFile != null ? settingsFile : dataDir.resolve(ServerSettings.DEFAULT_FILE_NAME);
        if (settingsFile == null && !Files.exists(file)) {
            return YamlConfig.parse("", file.toString());
        }
        return YamlConfig.read(file);
    }
}
