package org.ttyaudit.core.ledger;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

/**
 * The JSON form of signed tree heads and proofs (docs/LEDGER.md), shared by the server that serves them and the
 * clients that check them: {@code {"tree_size", "root_hash", "timestamp", "key_id", "signature"}} with hashes and
 * the signature in lower-case hex, and proofs as arrays of hex hashes. Stateless.
 */
public final class LedgerJson {
    private LedgerJson() {
    }

    public static ObjectNode signedHead(SignedTreeHead s) {
        ObjectNode n = JsonNodeFactory.instance.objectNode();
        n.put("tree_size", s.head().treeSize());
        n.put("root_hash", HexFormat.of().formatHex(s.head().rootHash()));
        n.put("timestamp", s.head().timestamp().toString());
        n.put("key_id", s.keyId());
        n.put("signature", HexFormat.of().formatHex(s.signature()));
        return n;
    }

    /** @throws IllegalArgumentException when a field is missing or malformed */
    public static SignedTreeHead signedHead(JsonNode n) {
        try {
            return new SignedTreeHead(new TreeHead(n.get("tree_size").asLong(),
                    HexFormat.of().parseHex(n.get("root_hash").asText()), Instant.parse(n.get("timestamp").asText())),
                    n.get("key_id").asText(), HexFormat.of().parseHex(n.get("signature").asText()));
        } catch (NullPointerException | java.time.format.DateTimeParseException e) {
            throw new IllegalArgumentException("not a signed tree head: " + n, e);
        }
    }

    public static List<String> hashes(List<byte[]> hashes) {
        return hashes.stream().map(HexFormat.of()::formatHex).toList();
    }

    public static List<byte[]> hashes(JsonNode array) {
        List<byte[]> out = new ArrayList<>();
        array.forEach(h -> out.add(HexFormat.of().parseHex(h.asText())));
        return out;
    }
}
