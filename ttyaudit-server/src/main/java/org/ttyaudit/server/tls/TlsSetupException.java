package org.ttyaudit.server.tls;

/**
 * The TLS certificate or key cannot be used: a file holds no certificate or key, the key is encrypted or of an
 * unsupported kind, the key does not belong to the certificate, a name is invalid. The message names the file and
 * what is wrong (never key material).
 */
public class TlsSetupException extends RuntimeException {
    public TlsSetupException(String message) {
        super(message);
    }

    public TlsSetupException(String message, Throwable cause) {
        super(message, cause);
    }
}
