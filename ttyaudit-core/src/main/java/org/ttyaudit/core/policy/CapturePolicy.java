package org.ttyaudit.core.policy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.LinkedHashSet;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;

/**
 * What a recorder keeps of one session, as decided by the server's or root's configuration
 * ({@link CapturePolicies#resolve}): the capture mode, an optional limit on the output stored per second, and an
 * optional rule for bulk-transfer programs. Immutable.
 *
 * <p>Its JSON form is what the server answers to {@code GET /api/v1/ingest/capture-policy} and what a recorder
 * caches (docs/INGEST.md):
 * <pre>
 * {"mode": "full", "output_rate": 4194304, "output_burst": 67108864,
 *  "bulk": {"programs": ["rsync", "scp"], "keep_head": 16384, "then": "drop"}, "source": "server.yaml:7"}
 * </pre>
 * {@code output_rate}/{@code output_burst} null: no rate limit; {@code bulk} null: no bulk rule.
 *
 * @param outputRate null for no limit
 * @param bulk       null for no bulk rule
 * @param source     where the policy came from, for messages ({@code server.yaml:7}, {@code default})
 */
public record CapturePolicy(CaptureMode mode, OutputRate outputRate, BulkRule bulk, String source) {
    public CapturePolicy {
        Objects.requireNonNull(mode, "mode");
        source = source == null || source.isBlank() ? "unknown" : source;
    }

    /** Only a mode: no rate limit, no bulk rule (a user's own choice, when no policy applies). */
    public static CapturePolicy only(CaptureMode mode, String source) {
        return new CapturePolicy(mode, null, null, source);
    }

    /** Whether two policies keep the same (the source aside). */
    public boolean sameCapture(CapturePolicy other) {
        return mode == other.mode && Objects.equals(outputRate, other.outputRate) && Objects.equals(bulk, other.bulk);
    }

    public ObjectNode toJson() {
        // A node factory, not an ObjectMapper: this class is loaded at every session start, and a mapper costs a
        // recorder tens of milliseconds to set up.
        ObjectNode n = JsonNodeFactory.instance.objectNode();
        n.put("mode", mode.configName());
        if (outputRate == null) {
            n.putNull("output_rate");
            n.putNull("output_burst");
        } else {
            n.put("output_rate", outputRate.bytesPerSecond());
            n.put("output_burst", outputRate.burstBytes());
        }
        if (bulk == null) {
            n.putNull("bulk");
        } else {
            ObjectNode b = n.putObject("bulk");
            ArrayNode programs = b.putArray("programs");
            new TreeSet<>(bulk.programs()).forEach(programs::add);
            b.put("keep_head", bulk.keepHead());
            b.put("then", bulk.then().configName());
        }
        n.put("source", source);
        return n;
    }

    /**
     * Reads the JSON form.
     *
     * @throws IllegalArgumentException naming the field that is missing or wrong
     */
    public static CapturePolicy fromJson(JsonNode n) {
        if (n == null || !n.isObject()) {
            throw new IllegalArgumentException("a capture policy must be a JSON object");
        }
        CaptureMode mode = CaptureMode.parse(text(n, "mode"));
        JsonNode rate = n.get("output_rate");
        JsonNode burst = n.get("output_burst");
        OutputRate outputRate = null;
        if (rate != null && !rate.isNull()) {
            outputRate = new OutputRate(number(rate, "output_rate"), number(burst, "output_burst"));
        }
        BulkRule bulk = null;
        JsonNode b = n.get("bulk");
        if (b != null && !b.isNull()) {
            if (!b.isObject() || b.get("programs") == null || !b.get("programs").isArray()) {
                throw new IllegalArgumentException("bulk must be an object with a programs array");
            }
            Set<String> programs = new LinkedHashSet<>();
            for (JsonNode p : b.get("programs")) {
                if (!p.isTextual()) {
                    throw new IllegalArgumentException("bulk.programs must hold strings");
                }
                programs.add(p.textValue());
            }
            bulk = new BulkRule(programs, number(b.get("keep_head"), "bulk.keep_head"),
                    BulkRule.Then.parse(text(b, "then")));
        }
        JsonNode source = n.get("source");
        return new CapturePolicy(mode, outputRate, bulk, source != null && source.isTextual() ? source.textValue() : null);
    }

    private static String text(JsonNode n, String field) {
        JsonNode v = n.get(field);
        if (v == null || !v.isTextual()) {
            throw new IllegalArgumentException(field + " must be a string");
        }
        return v.textValue();
    }

    private static long number(JsonNode v, String field) {
        if (v == null || !v.canConvertToLong() || !v.isIntegralNumber()) {
            throw new IllegalArgumentException(field + " must be a whole number");
        }
        return v.longValue();
    }

    /** One line for people: {@code commands, output 4MiB/s (burst 64MiB), bulk rsync,scp: keep_head 16KiB then drop}. */
    public String describe() {
        StringBuilder b = new StringBuilder(mode.configName());
        b.append(outputRate == null ? ", no output rate limit" : ", output " + outputRate);
        if (bulk != null && !bulk.programs().isEmpty()) {
            b.append(", bulk ").append(String.join(",", new TreeSet<>(bulk.programs()))).append(": ").append(bulk);
        }
        return b.toString();
    }
}
