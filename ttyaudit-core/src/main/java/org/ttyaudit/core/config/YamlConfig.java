package org.ttyaudit.core.config;

import org.snakeyaml.engine.v2.api.LoadSettings;
import org.snakeyaml.engine.v2.api.lowlevel.Compose;
import org.snakeyaml.engine.v2.exceptions.Mark;
import org.snakeyaml.engine.v2.exceptions.MarkedYamlEngineException;
import org.snakeyaml.engine.v2.exceptions.YamlEngineException;
import org.snakeyaml.engine.v2.nodes.Node;

import java.io.IOException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Reads a YAML configuration file into a {@link ConfigNode} tree that remembers where each value was written, so
 * that every later check can name file and line. Only YAML's data model is read (mappings, sequences, scalars):
 * no tags are resolved to classes, aliases are limited (no "billion laughs"), and files are capped in size, so
 * a hostile file costs nothing but an error. Stateless and thread-safe.
 */
public final class YamlConfig {
    /** Larger than any sensible configuration; bigger files are refused rather than read into memory. */
    public static final int MAX_BYTES = 4 * 1024 * 1024;

    private YamlConfig() {
    }

    /** Reads {@code file}; the error names it as given. */
    public static ConfigNode read(Path file) {
        String source = file.toString();
        byte[] bytes;
        try {
            if (Files.size(file) > MAX_BYTES) {
                throw new ConfigException(source, 0, "the file is larger than " + MAX_BYTES + " bytes");
            }
            bytes = Files.readAllBytes(file);
        } catch (IOException e) {
            throw new ConfigException(source, 0, "cannot read the file: " + e.getMessage());
        }
        return parse(utf8(bytes, source), source);
    }

    /**
     * The file contents {@code bytes} as text.
     *
     * @throws ConfigException naming {@code source} when they are not UTF-8
     */
    public static String utf8(byte[] bytes, String source) {
        try {
            return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes)).toString();
        } catch (CharacterCodingException e) {
            throw new ConfigException(source, 0, "the file is not UTF-8 text");
        }
    }

    /**
     * Parses {@code text}; {@code source} names it in errors. An empty document is an empty mapping.
     *
     * @throws ConfigException when the text is not YAML, or its top level is not a mapping
     */
    public static ConfigNode parse(String text, String source) {
        if (text.length() > MAX_BYTES) {
            throw new ConfigException(source, 0, "the text is longer than " + MAX_BYTES + " characters");
        }
        LoadSettings settings = LoadSettings.builder()
                .setLabel(source)
                .setMaxAliasesForCollections(50)
                .setAllowRecursiveKeys(false)
                .setCodePointLimit(MAX_BYTES)
                .build();
        Optional<Node> root;
        try {
            root = new Compose(settings).composeString(text);
        } catch (MarkedYamlEngineException e) {
            int line = e.getProblemMark().or(e::getContextMark).map(m -> m.getLine() + 1).orElse(0);
            throw new ConfigException(source, line, "not valid YAML: " + firstLine(e.getProblem()));
        } catch (YamlEngineException e) {
            throw new ConfigException(source, 0, "not valid YAML: " + firstLine(e.getMessage()));
        } catch (IllegalArgumentException e) {
            // snakeyaml-engine lets a few malformed inputs (a tag with a bad %-escape such as "!aa%a") escape as
            // IllegalArgumentException rather than its own exception.
            throw new ConfigException(source, 0, "not valid YAML: " + firstLine(e.getMessage()));
        } catch (StackOverflowError e) {
            throw new ConfigException(source, 0, "not valid YAML: nested too deeply");
        }
        if (root.isEmpty()) {
            return ConfigNode.emptyMapping(source);
        }
        ConfigNode node = ConfigNode.of(root.get(), source);
        if (!node.isMapping() && !node.isNull()) {
            throw node.error("the top level must be a mapping (key: value lines)");
        }
        return node.isNull() ? ConfigNode.emptyMapping(source) : node.asTopLevel();
    }

    static int lineOf(Node node) {
        return node.getStartMark().map(Mark::getLine).map(l -> l + 1).orElse(0);
    }

    private static String firstLine(String text) {
        if (text == null) {
            return "syntax error";
        }
        int nl = text.indexOf('\n');
        return nl < 0 ? text : text.substring(0, nl);
    }
}
