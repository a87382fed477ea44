/**
 * Who may do what on the server: password hashing ({@link org.ttyaudit.server.auth.PasswordHasher}), random
 * secrets with typed prefixes ({@link org.ttyaudit.server.auth.SecretTokens}), the accounts of users and hosts
 * ({@link org.ttyaudit.server.auth.AccountService}), web login sessions
 * ({@link org.ttyaudit.server.auth.WebSessions}) and the one table of permissions
 * ({@link org.ttyaudit.server.auth.AccessPolicy}). Plain classes with no HTTP code: the HTTP layer authenticates a
 * request to a {@link org.ttyaudit.server.auth.Principal} here and asks the policy before it acts.
 */
package org.ttyaudit.server.auth;
