package org.ttyaudit.core.ledger;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A deliberately naive transcription of the recursive definitions of RFC 6962 §2.1 (MTH, PATH, PROOF/SUBPROOF)
 * over a plain list of leaf inputs, sharing no code with the production classes (not even the hash functions), so
 * that the properties compare two independent implementations. {@code D[a:b]} is the range [a, b) of the leaf
 * list; MTH results are memoized per range only to keep the properties fast, the recursion is the RFC's.
 */
final class RfcReference {

    private final List<byte[]> leaves;
    private final Map<List<Integer>, byte[]> memo = new HashMap<>();

    RfcReference(List<byte[]> leaves) {
        this.leaves = List.copyOf(leaves);
    }

    int size() {
        return leaves.size();
    }

    static byte[] sha256(byte[]... parts) {
        try {
            MessageDigest d = MessageDigest.getInstance("SHA-256");
            for (byte[] p : parts) {
                d.update(p);
            }
            return d.digest();
        } catch (NoSuchAlgorithmException e) {
            throw new AssertionError(e);
        }
    }

    static byte[] leafHash(byte[] data) {
        return sha256(new byte[]{0x00}, data);
    }

    static byte[] nodeHash(byte[] left, byte[] right) {
        return sha256(new byte[]{0x01}, left, right);
    }

    /** MTH(D[0:n]). */
    byte[] mth(int n) {
        return mth(0, n);
    }

    /** MTH(D[a:b]). */
    byte[] mth(int a, int b) {
        int n = b - a;
        if (n == 0) {
            return sha256();
        }
        if (n == 1) {
            return leafHash(leaves.get(a));
        }
        List<Integer> key = List.of(a, b);
        byte[] known = memo.get(key);
        if (known != null) {
            return known;
        }
        int k = largestPowerOfTwoLessThan(n);
        byte[] h = nodeHash(mth(a, a + k), mth(a + k, b));
        memo.put(key, h);
        return h;
    }

    /** PATH(m, D[0:n]). */
    List<byte[]> path(int m, int n) {
        return path(m, 0, n);
    }

    // PATH(m, D[a:b]) with m relative to a.
    private List<byte[]> path(int m, int a, int b) {
        int n = b - a;
        List<byte[]> out = new ArrayList<>();
        if (n == 1) {
            return out;
        }
        int k = largestPowerOfTwoLessThan(n);
        if (m < k) {
            out.addAll(path(m, a, a + k));
            out.add(mth(a + k, b));
        } else {
            out.addAll(path(m - k, a + k, b));
            out.add(mth(a, a + k));
        }
        return out;
    }

    /** PROOF(m, D[0:n]) for 0 &lt; m &lt;= n (empty for m == n, as SUBPROOF(m, D[m], true) is). */
    List<byte[]> proof(int m, int n) {
        return subproof(m, 0, n, true);
    }

    // SUBPROOF(m, D[a:b], flag) with m relative to a.
    private List<byte[]> subproof(int m, int a, int b, boolean flag) {
        int n = b - a;
        List<byte[]> out = new ArrayList<>();
        if (m == n) {
            if (!flag) {
                out.add(mth(a, b));
            }
            return out;
        }
        int k = largestPowerOfTwoLessThan(n);
        if (m <= k) {
            out.addAll(subproof(m, a, a + k, flag));
            out.add(mth(a + k, b));
        } else {
            out.addAll(subproof(m - k, a + k, b, false));
            out.add(mth(a, a + k));
        }
        return out;
    }

    private static int largestPowerOfTwoLessThan(int n) {
        int k = 1;
        while (k * 2 < n) {
            k *= 2;
        }
        return k;
    }
}
