package org.ttyaudit.core.redact;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * Reads a masking configuration file. The format (JSON; {@code //} and {@code /* *}{@code /} comments allowed):
 * <pre>{@code
 * {
 *   "defaults": true,                 // optional, default true: start from SecretMasker.defaults()
 *   "disable": ["jwt"],               // optional: names of default rules to leave out
 *   "rules": [                        // optional: additional rules, applied together with the defaults
 *     { "name": "corp-token",         // required: 1-64 of [A-Za-z0-9._-], unique
 *       "regex": "corp_[A-Za-z0-9]{32}",  // required: Java regex; a group named 'secret' marks the part to mask
 *       "max_reach": 40 }             // optional: see MaskRule.maxReach(); default unbounded
 *   ]
 * }
 * }</pre>
 * Unknown keys are errors (a misspelt key must not silently disable masking). Every error is a
 * {@link MaskConfigException} whose one-line message names the file, the entry and the reason.
 */
final class MaskConfigLoader {
    private static final ObjectMapper JSON = JsonMapper.builder()
            .enable(JsonParser.Feature.ALLOW_COMMENTS)
            .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
            .build();
    private static final Set<String> TOP_KEYS = Set.of("defaults", "disable", "rules");
    private static final Set<String> RULE_KEYS = Set.of("name", "regex", "max_reach");

    private MaskConfigLoader() {
    }

    static List<MaskRule> load(Path file) throws IOException {
        byte[] content = Files.readAllBytes(file);
        return parse(file.toString(), content);
    }

    /** Parses configuration text; {@code source} names it in error messages. */
    static List<MaskRule> parse(String source, byte[] content) {
        JsonNode root;
        try {
            root = JSON.readTree(content);
        } catch (JsonProcessingException e) {
            JsonLocation at = e.getLocation();
            String where = at == null ? "" : " at line " + at.getLineNr() + ", column " + at.getColumnNr();
            String reason = String.valueOf(e.getOriginalMessage());
            int noise = reason.indexOf(" (for ");
            reason = (noise > 0 ? reason.substring(0, noise) : reason).replace('\n', ' ');
            throw new MaskConfigException(source + ": not valid JSON" + where + ": " + reason);
        } catch (IOException e) {
            throw new MaskConfigException(source + ": cannot parse: " + e.getMessage());
        }
        if (root == null || !root.isObject()) {
            throw new MaskConfigException(source + ": expected a JSON object with \"defaults\", \"disable\" "
                    + "and/or \"rules\"");
        }
        checkKeys(source, "", root, TOP_KEYS);

        boolean useDefaults = true;
        JsonNode defaults = root.get("defaults");
        if (defaults != null) {
            if (!defaults.isBoolean()) {
                throw new MaskConfigException(source + ": \"defaults\" must be true or false");
            }
            useDefaults = defaults.booleanValue();
        }

        Map<String, MaskRule> result = new LinkedHashMap<>();
        if (useDefaults) {
            for (MaskRule rule : DefaultRules.rules()) {
                result.put(rule.name(), rule);
            }
        }
        JsonNode disable = root.get("disable");
        if (disable != null) {
            if (!disable.isArray()) {
                throw new MaskConfigException(source + ": \"disable\" must be an array of default rule names");
            }
            for (int i = 0; i < disable.size(); i++) {
                JsonNode name = disable.get(i);
                String where = source + ": disable[" + i + "]";
                if (!name.isTextual()) {
                    throw new MaskConfigException(where + ": must be a rule name (a string)");
                }
                if (!useDefaults) {
                    throw new MaskConfigException(where + ": \"" + name.textValue()
                            + "\": nothing to disable, \"defaults\" is false");
                }
                if (result.remove(name.textValue()) == null) {
                    throw new MaskConfigException(where + ": \"" + name.textValue() + "\" is not a default rule"
                            + " (known: " + String.join(", ", defaultNames()) + ")");
                }
            }
        }

        JsonNode rules = root.get("rules");
        if (rules != null) {
            if (!rules.isArray()) {
                throw new MaskConfigException(source + ": \"rules\" must be an array of {\"name\", \"regex\"} objects");
            }
            for (int i = 0; i < rules.size(); i++) {
                MaskRule rule = parseRule(source + ": rules[" + i + "]", rules.get(i));
                if (result.containsKey(rule.name())) {
                    throw new MaskConfigException(source + ": rules[" + i + "] \"" + rule.name()
                            + "\": name already used" + (isDefaultName(rule.name())
                            ? " by a default rule (add it to \"disable\" to replace it)" : " by another rule"));
                }
                result.put(rule.name(), rule);
            }
        }
        return new ArrayList<>(result.values());
    }

    private static MaskRule parseRule(String where, JsonNode node) {
        if (!node.isObject()) {
            throw new MaskConfigException(where + ": must be an object with \"name\" and \"regex\"");
        }
        checkKeys(where.substring(0, where.indexOf(": ")), where.substring(where.indexOf(": ") + 2), node, RULE_KEYS);
        JsonNode nameNode = node.get("name");
        if (nameNode == null || !nameNode.isTextual()) {
            throw new MaskConfigException(where + ": \"name\" is missing or not a string");
        }
        String name = nameNode.textValue();
        String named = where + " \"" + name + "\"";
        if (!name.matches("[A-Za-z0-9][A-Za-z0-9._-]{0,63}")) {
            throw new MaskConfigException(named + ": bad name: use 1-64 letters, digits, '.', '_' or '-'");
        }
        JsonNode regexNode = node.get("regex");
        if (regexNode == null || !regexNode.isTextual()) {
            throw new MaskConfigException(named + ": \"regex\" is missing or not a string");
        }
        Pattern pattern;
        try {
            pattern = Pattern.compile(regexNode.textValue());
        } catch (PatternSyntaxException e) {
            throw new MaskConfigException(named + ": bad regex: " + e.getDescription()
                    + (e.getIndex() >= 0 ? " near index " + e.getIndex() : ""));
        }
        if (pattern.matcher("").matches()) {
            throw new MaskConfigException(named + ": bad regex: it matches the empty string");
        }
        int reach = MaskRule.UNBOUNDED;
        JsonNode reachNode = node.get("max_reach");
        if (reachNode != null) {
            if (!reachNode.canConvertToInt() || !reachNode.isIntegralNumber() || reachNode.intValue() <= 0) {
                throw new MaskConfigException(named + ": \"max_reach\" must be a positive integer");
            }
            reach = reachNode.intValue();
        }
        return new MaskRule(name, pattern, reach);
    }

    private static void checkKeys(String source, String where, JsonNode node, Set<String> allowed) {
        for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
            String key = it.next();
            if (!allowed.contains(key)) {
                throw new MaskConfigException(source + ": " + (where.isEmpty() ? "" : where + ": ")
                        + "unknown key \"" + key + "\" (allowed: " + String.join(", ", allowed.stream().sorted().toList())
                        + ")");
            }
        }
    }

    private static boolean isDefaultName(String name) {
        return defaultNames().contains(name);
    }

    private static List<String> defaultNames() {
        return DefaultRules.rules().stream().map(MaskRule::name).toList();
    }
}
