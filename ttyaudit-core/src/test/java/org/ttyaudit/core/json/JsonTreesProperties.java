package org.ttyaudit.core.json;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.ttyaudit.core.asciicast.Mutations;

import java.io.CharConversionException;
import java.io.IOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * {@link JsonTrees} against Jackson's own {@code ObjectMapper}: the same tree for any JSON, the same refusal
 * for any damaged input, and the same bytes written for any tree.
 */
class JsonTreesProperties {
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    @Provide
    Arbitrary<JsonNode> trees() {
        return tree(4);
    }

    private Arbitrary<JsonNode> tree(int depth) {
        if (depth == 0) {
            return scalars();
        }
        return Arbitraries.oneOf(scalars(), arrays(tree(depth - 1)), objects(tree(depth - 1)));
    }

    /** Any text a JSON document can hold: control characters included, lone surrogates (not text) left out. */
    private static Arbitrary<String> texts(int maxLength) {
        return Arbitraries.strings().withCharRange('\u0000', '\uD7FF').withCharRange('\uE000', '\uFFFD')
                .ofMaxLength(maxLength);
    }

    private Arbitrary<JsonNode> scalars() {
        return Arbitraries.oneOf(
                texts(12).map(NODES::textNode),
                Arbitraries.integers().map(i -> (JsonNode) NODES.numberNode(i)),
                Arbitraries.longs().map(l -> (JsonNode) NODES.numberNode(l)),
                Arbitraries.bigIntegers().between(BigInteger.TWO.pow(70).negate(), BigInteger.TWO.pow(70))
                        .map(b -> (JsonNode) NODES.numberNode(b)),
                Arbitraries.doubles().map(d -> (JsonNode) NODES.numberNode(d)),
                Arbitraries.of(true, false).map(b -> (JsonNode) NODES.booleanNode(b)),
                Arbitraries.just(NODES.nullNode()));
    }

    private Arbitrary<JsonNode> arrays(Arbitrary<JsonNode> elements) {
        return elements.list().ofMaxSize(4).map(list -> {
            ArrayNode a = NODES.arrayNode();
            list.forEach(a::add);
            return a;
        });
    }

    private Arbitrary<JsonNode> objects(Arbitrary<JsonNode> values) {
        return Arbitraries.maps(texts(6), values).ofMaxSize(4).map(fields -> {
            ObjectNode o = NODES.objectNode();
            fields.forEach(o::set);
            return o;
        });
    }

    @Provide
    Arbitrary<String> damaged() {
        String valid = "{\"server\": \"https://a.example:8443\", \"servers\": [\"https://a.example:8443\", "
                + "\"https://b.example\"], \"n\": -12, \"big\": 123456789012345678901234, \"f\": 1.5e3, "
                + "\"ok\": true, \"none\": null, \"nested\": {\"x\": [1, {\"y\": \"\\u00e9\\n\"}]}}";
        Arbitrary<String> snippets = Arbitraries.of("{", "}", "[", "]", ",", "\"", ":", "\\", "\\u", "1e999", "-",
                "0.", "9223372036854775808", "tru", "nul", " ", "\u00ff", "\"k\":", "//", "NaN", "\u0000");
        return Mutations.of(valid, snippets, 1);
    }

    @Property(tries = 500)
    void readsAnyJsonAsTheMapperDoes(@ForAll("trees") JsonNode tree) throws Exception {
        byte[] json = MAPPER.writeValueAsBytes(tree);
        assertThat(JsonTrees.read(json)).isEqualTo(MAPPER.readTree(json));
    }

    @Property(tries = 500)
    void writesTheBytesTheMapperWrites(@ForAll("trees") JsonNode tree) throws Exception {
        byte[] json = JsonTrees.write(tree);
        assertThat(new String(json, StandardCharsets.UTF_8))
                .isEqualTo(new String(MAPPER.writeValueAsBytes(tree), StandardCharsets.UTF_8));
        assertThat(JsonTrees.read(json)).isEqualTo(MAPPER.readTree(json));
    }

    @Property(tries = 2000)
    void damagedInputIsRefusedExactlyWhenTheMapperRefusesIt(@ForAll("damaged") String text) throws Exception {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        JsonNode expected;
        try {
            expected = MAPPER.readTree(bytes);
        } catch (IOException e) {
            // Mostly a JsonProcessingException; a CharConversionException where leading NULs make Jackson read the
            // bytes as UTF-32. JsonTrees refuses the same input with the same kind of exception.
            assertThatThrownBy(() -> JsonTrees.read(bytes)).isInstanceOf(
                    e instanceof JsonProcessingException ? JsonProcessingException.class : e.getClass());
            return;
        }
        assertThat(JsonTrees.read(bytes)).isEqualTo(expected);
    }

    @Example
    void emptyInputIsAMissingNodeAsForTheMapper() throws Exception {
        assertThat(JsonTrees.read(new byte[0]).isMissingNode()).isTrue();
        assertThat(JsonTrees.read(" \n".getBytes(StandardCharsets.UTF_8)).isMissingNode()).isTrue();
    }

    @Example
    void leadingNulsAreReadAsUtf32AndRefusedAsByTheMapper() {
        // Found by the property above in CI: Jackson takes "00 00 00 7B" for UTF-32 and then finds no character.
        byte[] bytes = "\u0000\u0000\u0000{\"server\": 1}".getBytes(StandardCharsets.UTF_8);
        assertThatThrownBy(() -> MAPPER.readTree(bytes)).isInstanceOf(CharConversionException.class);
        assertThatThrownBy(() -> JsonTrees.read(bytes)).isInstanceOf(CharConversionException.class);
    }

    @Example
    void deepNestingIsRefusedWithJacksonsLimitNotAStackOverflow() {
        byte[] deep = "[".repeat(100_000).getBytes(StandardCharsets.UTF_8);
        assertThatThrownBy(() -> JsonTrees.read(deep)).isInstanceOf(JsonProcessingException.class)
                .hasMessageContaining("nesting depth");
    }

    @Example
    void aLaterDuplicateFieldWinsAndTrailingTextIsIgnoredAsByTheMapper() throws Exception {
        byte[] json = "{\"a\": 1, \"a\": [2]} trailing".getBytes(StandardCharsets.UTF_8);
        assertThat(JsonTrees.read(json)).isEqualTo(MAPPER.readTree(json));
        assertThat(JsonTrees.read(json).get("a")).isEqualTo(NODES.arrayNode().add(2));
        assertThat(List.of(JsonTrees.read(json).get("a").get(0).isInt())).containsExactly(true);
    }
}
