package org.ttyaudit.cli.remote;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;

import java.io.ByteArrayOutputStream;
import java.io.IOException;

/**
 * Small JSON request bodies whose values may be passwords held in {@code char[]}: they are written straight from
 * the array, so no {@link String} copy of a password is made (strings cannot be wiped). Stateless.
 */
final class JsonBody {
    private static final JsonFactory FACTORY = new JsonFactory();

    private JsonBody() {
    }

    /**
     * An object of {@code name, value} pairs; a value is a {@link String}, a {@code char[]} or a {@link Number};
     * a pair whose value is null is left out (the server then uses its default).
     */
    static byte[] of(Object... namesAndValues) {
        if (namesAndValues.length % 2 != 0) {
            throw new IllegalArgumentException("names and values come in pairs");
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream(128);
        try (JsonGenerator g = FACTORY.createGenerator(out)) {
            g.writeStartObject();
            for (int i = 0; i < namesAndValues.length; i += 2) {
                Object v = namesAndValues[i + 1];
                if (v == null) {
                    continue;
                }
                g.writeFieldName((String) namesAndValues[i]);
                if (v instanceof char[] chars) {
                    g.writeString(chars, 0, chars.length);
                } else if (v instanceof Number n) {
                    g.writeNumber(n.longValue());
                } else {
                    g.writeString(v.toString());
                }
            }
            g.writeEndObject();
        } catch (IOException e) {
            throw new IllegalStateException("cannot write JSON to memory", e);
        }
        return out.toByteArray();
    }
}
