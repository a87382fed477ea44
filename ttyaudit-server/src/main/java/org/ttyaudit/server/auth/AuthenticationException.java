package org.ttyaudit.server.auth;

/**
 * Credentials were not accepted (401 in HTTP terms). The message is deliberately the same for every reason a
 * caller must not learn (unknown user or wrong password; unknown, revoked or expired token), so it may be shown
 * as it is. It never contains the credential.
 */
public class AuthenticationException extends RuntimeException {
    public AuthenticationException(String message) {
        super(message);
    }
}
