package org.ttyaudit.server.blob;

import org.ttyaudit.core.config.ConfigException;
import org.ttyaudit.core.config.ConfigNode;
import org.ttyaudit.server.blob.fs.DirectoryBlobStore;
import org.ttyaudit.server.blob.s3.S3BlobStore;
import org.ttyaudit.server.blob.s3.S3Settings;

import java.nio.file.Path;
import java.util.List;
import java.util.function.UnaryOperator;

/**
 * Which {@link BlobStore} the server uses: the {@code blobs:} section of server.yaml. Without it (or with
 * {@code type: directory}) chunk bytes are files under the data directory's {@code blobs/}; with
 * {@code type: s3} they are objects in an S3-compatible bucket ({@link S3Settings} has the keys). Reading the
 * section checks every key and loads nothing of the S3 SDK; {@link #open} does. Immutable.
 */
public sealed interface BlobSettings {

    /**
     * Reads the section; the S3 settings take the environment's {@code TTYAUDIT_S3_*} overrides.
     *
     * @param env the environment (System::getenv, or a map in tests)
     * @throws ConfigException naming the key and what is wrong with it (never quoting a secret)
     */
    static BlobSettings parse(ConfigNode section, UnaryOperator<String> env) {
        String type = section.choice("type", "directory", List.of("directory", "s3"));
        if (type.equals("s3")) {
            return new S3(S3Settings.parse(section, env));
        }
        section.allowOnly(List.of("type"));
        return new Directory();
    }

    /**
     * Opens the store; {@code directory} is where the directory store keeps its files.
     *
     * @throws BlobStoreException when it cannot be opened (naming where and why)
     */
    BlobStore open(Path directory);

    /** Files under the data directory (the default). */
    record Directory() implements BlobSettings {
        @Override
        public BlobStore open(Path directory) {
            return DirectoryBlobStore.open(directory);
        }
    }

    /** Objects in an S3-compatible bucket. */
    record S3(S3Settings settings) implements BlobSettings {
        @Override
        public BlobStore open(Path directory) {
            return S3BlobStore.open(settings);
        }
    }
}
