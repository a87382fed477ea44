package org.ttyaudit.gateway.ssh;

import java.util.Optional;
import java.util.regex.Pattern;

/**
 * What a user asks for in the SSH login name: {@code alice} (the menu of alice's targets),
 * {@code alice%web1} (target web1, as the remote user the policy gives first) or {@code alice%deploy@web1}
 * (target web1 as remote user deploy; OpenSSH splits {@code alice%deploy@web1@gateway} at the last {@code @}).
 * The separator {@code %} is the one other bastions use; it cannot occur in POSIX user names.
 *
 * @param user       the gateway user (who authenticates)
 * @param target     the target's name; null for the menu
 * @param remoteUser the login name on the target; null to let the policy choose
 */
public record LoginName(String user, String target, String remoteUser) {
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9._][A-Za-z0-9._-]{0,63}");
    private static final Pattern TARGET = Pattern.compile("[A-Za-z0-9._][A-Za-z0-9._:-]{0,252}");

    /** Parses a login name; empty when it is not of one of the three forms (the login is then refused). */
    public static Optional<LoginName> parse(String login) {
        if (login == null) {
            return Optional.empty();
        }
        int pct = login.indexOf('%');
        if (pct < 0) {
            return NAME.matcher(login).matches() ? Optional.of(new LoginName(login, null, null)) : Optional.empty();
        }
        String user = login.substring(0, pct);
        String rest = login.substring(pct + 1);
        String remote = null;
        int at = rest.lastIndexOf('@');
        if (at >= 0) {
            remote = rest.substring(0, at);
            rest = rest.substring(at + 1);
            if (!NAME.matcher(remote).matches()) {
                return Optional.empty();
            }
        }
        if (!NAME.matcher(user).matches() || !TARGET.matcher(rest).matches()) {
            return Optional.empty();
        }
        return Optional.of(new LoginName(user, rest, remote));
    }

    public boolean hasTarget() {
        return target != null;
    }
}
