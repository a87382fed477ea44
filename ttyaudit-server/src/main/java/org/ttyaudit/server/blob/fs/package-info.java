/**
 * The default {@link org.ttyaudit.server.blob.BlobStore}: one file per key under a local directory, written
 * crash-safely (temporary file, fsync, atomic rename, directory fsync).
 */
package org.ttyaudit.server.blob.fs;
