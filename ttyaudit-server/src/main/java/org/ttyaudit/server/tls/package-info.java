/**
 * The server's TLS identity: a certificate chain and private key loaded from PEM files, or a self-signed
 * certificate made on first start and kept in the data directory, with the {@code sha256:…} fingerprint clients
 * pin (docs/INGEST.md).
 */
package org.ttyaudit.server.tls;
