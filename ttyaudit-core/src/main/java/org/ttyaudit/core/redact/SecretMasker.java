package org.ttyaudit.core.redact;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Matcher;

/**
 * Masks secrets (cloud keys, tokens, passwords in flags and assignments, credentials in URLs, private keys) in
 * command lines, typed input and terminal output before anything is stored.
 *
 * <p>A masker is a list of named {@link MaskRule}s. All rules are matched against the original text and the
 * secret parts of all matches are merged before anything is replaced, so the result does not depend on rule
 * order and a replacement never creates or hides another match.
 * <ul>
 *   <li>{@link #mask(String)} (command lines) replaces each secret with {@code [MASKED:<rule-name>]}.</li>
 *   <li>{@link #maskInPlace(byte[], int, int)} (terminal bytes) overwrites each secret byte with {@code '*'},
 *       keeping the length, so event sizes and offsets stay intact. Carriage returns and line feeds inside a
 *       secret (a PEM block) are kept, so a played-back screen keeps its line layout. Bytes are matched as
 *       ISO-8859-1 characters: byte offsets map 1:1 to character offsets.</li>
 * </ul>
 * A secret split across two byte buffers is not found by {@code maskInPlace}; use a {@link StreamMasker} for
 * streams that arrive in pieces.
 *
 * <p>Immutable and thread-safe. Rules are built by {@link #defaults()}, {@link #load(Path)} or the constructor.
 */
public final class SecretMasker {
    private static final byte MASK_BYTE = '*';

    private final List<MaskRule> rules;
    /** Per rule: which byte values can begin a match (or a prefix of one); null when that is unknown. */
    private final boolean[][] startBytes;

    /**
     * @param rules the rules; names must be unique
     * @throws IllegalArgumentException when two rules share a name
     */
    public SecretMasker(List<MaskRule> rules) {
        this.rules = List.copyOf(Objects.requireNonNull(rules, "rules"));
        Set<String> names = new HashSet<>();
        for (MaskRule rule : this.rules) {
            if (!names.add(rule.name())) {
                throw new IllegalArgumentException("duplicate mask rule name: " + rule.name());
            }
        }
        this.startBytes = new boolean[this.rules.size()][];
        for (int i = 0; i < startBytes.length; i++) {
            startBytes[i] = startBytes(this.rules.get(i).pattern());
        }
    }

    /**
     * The byte values an attempt of {@code pattern} can start with: those for which an attempt on that one
     * character either matches or wants to read on. Without context, a negative look-behind passes and the
     * attempt gets at least as far as in any real text, so the set is complete. Positive look-behind and word
     * boundaries could fail here yet pass in context, so for those patterns the answer is null (unknown).
     */
    private static boolean[] startBytes(java.util.regex.Pattern pattern) {
        String source = pattern.pattern();
        if (source.contains("(?<=") || source.contains("\\b") || source.contains("\\B")) {
            return null;
        }
        boolean[] result = new boolean[256];
        Matcher m = pattern.matcher("");
        for (int c = 0; c < 256; c++) {
            m.reset(String.valueOf((char) c));
            result[c] = m.lookingAt() || m.hitEnd();
        }
        return result;
    }

    /** See {@link #startBytes(java.util.regex.Pattern)}; null when unknown. Shared: callers must not modify it. */
    boolean[] startBytes(int ruleIndex) {
        return startBytes[ruleIndex];
    }

    /**
     * The built-in pack: {@code pem-private-key}, {@code aws-access-key-id}, {@code aws-secret-access-key},
     * {@code github-token}, {@code slack-token}, {@code google-api-key}, {@code jwt}, {@code authorization-header},
     * {@code secret-flag}, {@code mysql-password}, {@code secret-assignment}, {@code json-secret-field},
     * {@code url-credentials}.
     */
    public static SecretMasker defaults() {
        return new SecretMasker(DefaultRules.rules());
    }

    /**
     * Reads a masking configuration file (JSON; the format is described in {@link MaskConfigLoader}).
     *
     * @throws IOException         when the file cannot be read
     * @throws MaskConfigException when its content is invalid; the message names the file, entry and reason
     */
    public static SecretMasker load(Path configFile) throws IOException {
        return new SecretMasker(MaskConfigLoader.load(configFile));
    }

    public List<MaskRule> rules() {
        return rules;
    }

    /** The command line with every secret replaced by {@code [MASKED:<rule-name>]}. */
    public String mask(String text) {
        Objects.requireNonNull(text, "text");
        List<Span> spans = findSpans(text);
        if (spans.isEmpty()) {
            return text;
        }
        StringBuilder out = new StringBuilder(text.length() + 24 * spans.size());
        int pos = 0;
        for (Span span : spans) {
            out.append(text, pos, span.start())
                    .append("[MASKED:").append(rules.get(span.ruleIndex()).name()).append(']');
            pos = span.end();
        }
        return out.append(text, pos, text.length()).toString();
    }

    /**
     * Overwrites every secret in {@code buf[off, off+len)} with {@code '*'} bytes (CR and LF excepted).
     *
     * @return the number of masked spans (overlapping matches count once)
     */
    public int maskInPlace(byte[] buf, int off, int len) {
        Objects.requireNonNull(buf, "buf");
        List<Span> spans = findSpans(new Latin1Text(buf, off, len));
        for (Span span : spans) {
            fill(buf, off + span.start(), off + span.end());
        }
        return spans.size();
    }

    /** Writes the mask over {@code buf[from, to)}, keeping CR and LF so line structure survives. */
    static void fill(byte[] buf, int from, int to) {
        for (int i = from; i < to; i++) {
            byte b = buf[i];
            if (b != '\n' && b != '\r') {
                buf[i] = MASK_BYTE;
            }
        }
    }

    /** All secrets in the text, merged and in order. */
    private List<Span> findSpans(CharSequence text) {
        List<Span> spans = new ArrayList<>(0);
        for (int r = 0; r < rules.size(); r++) {
            Matcher m = rules.get(r).pattern().matcher(text);
            boolean secretGroup = rules.get(r).hasSecretGroup();
            while (m.find()) {
                addSecret(spans, m, secretGroup, r);
            }
        }
        return Span.merge(spans);
    }

    /** Adds the secret part of the current match (if it is not empty) to {@code spans}. */
    static void addSecret(List<Span> spans, Matcher m, boolean secretGroup, int ruleIndex) {
        int start = secretGroup ? m.start(MaskRule.SECRET_GROUP) : m.start();
        int end = secretGroup ? m.end(MaskRule.SECRET_GROUP) : m.end();
        if (start >= 0 && end > start) {
            spans.add(new Span(start, end, ruleIndex));
        }
    }
}
