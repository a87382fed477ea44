package org.ttyaudit.core.rules;

import java.math.BigInteger;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.regex.Pattern;

/**
 * A client address condition: a CIDR block ({@code 10.0.0.0/8}, {@code fd00::/8}), one address, or a wildcard
 * pattern over the address text ({@code 192.168.*}). Only literal IP addresses are parsed (never a DNS lookup).
 * Immutable.
 */
final class AddressPattern {
    private static final Pattern IP_TEXT = Pattern.compile("[0-9a-fA-F:.]+");

    private final String text;
    private final byte[] network;
    private final int prefix;
    private final Glob glob;

    private AddressPattern(String text, byte[] network, int prefix, Glob glob) {
        this.text = text;
        this.network = network;
        this.prefix = prefix;
        this.glob = glob;
    }

    /** @throws IllegalArgumentException for a malformed address, CIDR block or pattern */
    static AddressPattern of(String text) {
        String t = text.strip();
        int slash = t.indexOf('/');
        if (slash >= 0 || (IP_TEXT.matcher(t).matches() && (t.contains(":") || t.chars().filter(c -> c == '.')
                .count() == 3))) {
            String address = slash >= 0 ? t.substring(0, slash) : t;
            byte[] bytes = parseIp(address);
            if (bytes == null) {
                throw new IllegalArgumentException("'" + text + "' is not an IP address or CIDR block");
            }
            int bits = bytes.length * 8;
            int prefix = bits;
            if (slash >= 0) {
                try {
                    prefix = Integer.parseInt(t.substring(slash + 1));
                } catch (NumberFormatException e) {
                    prefix = -1;
                }
                if (prefix < 0 || prefix > bits) {
                    throw new IllegalArgumentException("'" + text + "': the prefix length must be 0.." + bits);
                }
            }
            return new AddressPattern(text, bytes, prefix, null);
        }
        return new AddressPattern(text, null, 0, Glob.of(t, false));
    }

    boolean matches(String address) {
        if (address == null) {
            return false;
        }
        if (glob != null) {
            return glob.matches(address);
        }
        byte[] a = parseIp(address);
        if (a == null || a.length != network.length) {
            return false;
        }
        BigInteger mask = prefix == 0 ? BigInteger.ZERO
                : BigInteger.ONE.shiftLeft(prefix).subtract(BigInteger.ONE).shiftLeft(a.length * 8 - prefix);
        return new BigInteger(1, a).and(mask).equals(new BigInteger(1, network).and(mask));
    }

    /** The address's bytes, or null when {@code s} is not a literal IPv4 or IPv6 address. */
    private static byte[] parseIp(String s) {
        if (s.isEmpty() || !IP_TEXT.matcher(s).matches()) {
            return null;   // InetAddress would resolve a host name; only literals may get there
        }
        if (!s.contains(":")) {
            String[] parts = s.split("\\.", -1);
            if (parts.length != 4) {
                return null;
            }
            for (String p : parts) {
                if (p.isEmpty() || p.length() > 3 || !p.chars().allMatch(Character::isDigit)
                        || Integer.parseInt(p) > 255) {
                    return null;
                }
            }
        }
        try {
            byte[] b = InetAddress.getByName(s).getAddress();
            return b;
        } catch (UnknownHostException e) {
            return null;
        }
    }

    @Override
    public String toString() {
        return text;
    }
}
