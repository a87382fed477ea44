package org.ttyaudit.server.notify;

import org.bouncycastle.util.IPAddress;
import org.ttyaudit.core.config.ConfigNode;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.Locale;

/**
 * One place notifications go, as the settings name it ({@code notify.targets[]}): a webhook or a syslog receiver.
 * Values, immutable; their {@code toString} never shows a secret (a URL or header may hold a token).
 */
public sealed interface NotifyTarget permits WebhookTarget, SyslogTarget {

    /** The name rules use in their {@code notify} action. */
    String name();

    /** How long connecting, and then each send, may take before the attempt counts as failed. */
    Duration timeout();

    /**
     * Whether {@code host} is this machine (a loopback address, or {@code localhost}), so that traffic to it does not
     * leave the host and may go unencrypted. Names other than {@code localhost} are not resolved (a settings check
     * must not wait for DNS) and count as remote.
     */
    static boolean isLoopback(String host) {
        String h = host.toLowerCase(Locale.ROOT);
        if (h.startsWith("[") && h.endsWith("]")) {
            h = h.substring(1, h.length() - 1);
        }
        if (h.equals("localhost") || h.endsWith(".localhost")) {
            return true;
        }
        if (!IPAddress.isValid(h)) {
            return false;
        }
        try {
            return InetAddress.getByName(h).isLoopbackAddress();   // a literal: no lookup
        } catch (UnknownHostException e) {
            return false;
        }
    }

    /**
     * Refuses unencrypted traffic that leaves the host, unless the target says {@code allow_insecure: true}; the
     * error points at {@code at}.
     */
    static void requireEncryptionOffHost(ConfigNode target, ConfigNode at, String host, String what) {
        if (!isLoopback(host) && !target.bool("allow_insecure", false)) {
            throw at.error(what + " to " + host + " would cross the network unencrypted; use TLS, or set"
                    + " allow_insecure: true on this target if that is really wanted");
        }
    }
}
