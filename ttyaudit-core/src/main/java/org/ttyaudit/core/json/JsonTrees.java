package org.ttyaudit.core.json;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.MissingNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.Map;

/**
 * Jackson's tree model read and written with Jackson's streaming parser and generator alone, without an
 * {@code ObjectMapper}: for the JSON an enrolled host's session start reads before the shell runs (the host
 * credential, the server's capture policy, its cache). The first {@code ObjectMapper} of a JVM loads about 700
 * classes, which the recorder's class-data archive does not hold and its JVM (C1 only) runs cold: 150-250 ms on the
 * login path, against about 25 ms for this (docs/PERFORMANCE.md, "Start-up of a session that uploads").
 *
 * <p>{@link #read} gives the tree {@code new ObjectMapper().readTree(bytes)} gives (its defaults: the first value
 * only, a later duplicate field wins, integers as int/long/big-integer nodes, other numbers as doubles, Jackson's
 * limits on nesting and sizes); the property tests hold the two to that.
 *
 * <p>Stateless and thread-safe.
 */
public final class JsonTrees {
    private static final JsonFactory FACTORY = new JsonFactory();
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private JsonTrees() {
    }

    /**
     * The JSON value at the start of {@code json}, or a {@link MissingNode} when there is none (empty input).
     *
     * @throws com.fasterxml.jackson.core.JsonProcessingException when it is not valid JSON (with its location)
     */
    public static JsonNode read(byte[] json) throws IOException {
        try (JsonParser p = FACTORY.createParser(json)) {
            JsonToken first = p.nextToken();
            return first == null ? MissingNode.getInstance() : value(p, first);
        }
    }

    /** {@code tree} as compact JSON in UTF-8. */
    public static byte[] write(JsonNode tree) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (JsonGenerator g = FACTORY.createGenerator(out)) {
            write(g, tree);
        }
        return out.toByteArray();
    }

    private static JsonNode value(JsonParser p, JsonToken token) throws IOException {
        switch (token) {
            case START_OBJECT -> {
                ObjectNode object = NODES.objectNode();
                while (p.nextToken() == JsonToken.FIELD_NAME) {
                    String name = p.currentName();
                    object.set(name, value(p, p.nextToken()));
                }
                return object;
            }
            case START_ARRAY -> {
                ArrayNode array = NODES.arrayNode();
                for (JsonToken t = p.nextToken(); t != JsonToken.END_ARRAY; t = p.nextToken()) {
                    array.add(value(p, t));
                }
                return array;
            }
            case VALUE_STRING -> {
                return NODES.textNode(p.getText());
            }
            case VALUE_NUMBER_INT -> {
                return switch (p.getNumberType()) {
                    case INT -> NODES.numberNode(p.getIntValue());
                    case LONG -> NODES.numberNode(p.getLongValue());
                    default -> NODES.numberNode(p.getBigIntegerValue());
                };
            }
            case VALUE_NUMBER_FLOAT -> {
                return NODES.numberNode(p.getDoubleValue());
            }
            case VALUE_TRUE -> {
                return NODES.booleanNode(true);
            }
            case VALUE_FALSE -> {
                return NODES.booleanNode(false);
            }
            case VALUE_NULL -> {
                return NODES.nullNode();
            }
            default -> throw new IllegalStateException("unexpected JSON token " + token);
        }
    }

    private static void write(JsonGenerator g, JsonNode node) throws IOException {
        switch (node.getNodeType()) {
            case OBJECT -> {
                g.writeStartObject();
                for (Map.Entry<String, JsonNode> field : node.properties()) {
                    g.writeFieldName(field.getKey());
                    write(g, field.getValue());
                }
                g.writeEndObject();
            }
            case ARRAY -> {
                g.writeStartArray();
                for (JsonNode element : node) {
                    write(g, element);
                }
                g.writeEndArray();
            }
            case STRING -> g.writeString(node.textValue());
            case NUMBER -> {
                if (node.isBigInteger()) {
                    g.writeNumber(node.bigIntegerValue());
                } else if (node.isIntegralNumber()) {
                    g.writeNumber(node.longValue());
                } else if (node.isBigDecimal()) {
                    g.writeNumber(node.decimalValue());
                } else if (node.isFloat()) {
                    g.writeNumber(node.floatValue());
                } else {
                    g.writeNumber(node.doubleValue());
                }
            }
            case BOOLEAN -> g.writeBoolean(node.booleanValue());
            case NULL -> g.writeNull();
            case BINARY -> g.writeBinary(node.binaryValue());
            default -> throw new IllegalArgumentException("cannot write a " + node.getNodeType() + " node as JSON");
        }
    }
}
