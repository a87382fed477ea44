package org.ttyaudit.core.redact;

import java.util.List;
import java.util.regex.Pattern;

/**
 * The built-in pattern pack. Every expression bounds its repetitions so that {@link MaskRule#maxReach()} is a
 * true bound (the reach values below add a margin for look-around) and no expression can backtrack
 * catastrophically on hostile terminal output.
 *
 * <p>Design choices that keep ordinary commands unmasked: names and flags must stand alone (a look-behind
 * rejects a preceding letter, digit, '_' or '-'), values after a flag or '=' must be present on the same line,
 * a value that starts with '$' is a variable reference and not a secret, and {@code PWD} counts only with a
 * prefix ({@code MYSQL_PWD}) because {@code PWD=/home/x} is the working directory.
 */
final class DefaultRules {
    private DefaultRules() {
    }

    /** Quoted or bare value of an option or assignment: the quotes are masked with the value. */
    private static final String VALUE = "(?![\"']?\\$)(?<secret>\"[^\"\\n]{0,256}\"|'[^'\\n]{0,256}'|[^\\s\"'&;|<>()`]{1,256})";

    /** Words that make an assignment's value a secret. */
    private static final String SECRET_WORDS =
            "(?:password|passwd|passphrase|secret|token|api[_-]?key|apikey|access[_-]?key|private[_-]?key"
                    + "|client[_-]?secret|[_.-]pwd)";

    static List<MaskRule> rules() {
        return List.of(
                rule("pem-private-key",
                        "-----BEGIN[A-Z0-9 ]{0,40}PRIVATE KEY(?: BLOCK)?-----(?<secret>[\\s\\S]{1,16000}?)"
                                + "-----END[A-Z0-9 ]{0,40}PRIVATE KEY(?: BLOCK)?-----",
                        MaskRule.UNBOUNDED),
                rule("aws-access-key-id",
                        "A[KS]IA(?<![A-Za-z0-9]A[KS]IA)[A-Z0-9]{16}(?![A-Za-z0-9])", 24),
                rule("aws-secret-access-key",
                        "(?i)aws_?secret_?access_?key[\"']?[ \\t]{0,4}[:=][ \\t]{0,4}[\"']?"
                                + "(?<secret>[A-Za-z0-9/+=]{16,128})(?![A-Za-z0-9/+=])", 200),
                rule("github-token",
                        "g(?<![A-Za-z0-9_]g)(?:h[opusr]_[A-Za-z0-9]{36,251}|ithub_pat_[A-Za-z0-9_]{22,244})"
                                + "(?![A-Za-z0-9_])", 270),
                rule("slack-token",
                        "xox(?<![A-Za-z0-9]xox)[abposr]-[A-Za-z0-9-]{10,250}", 270),
                rule("google-api-key",
                        "AIza(?<![A-Za-z0-9_-]AIza)[0-9A-Za-z_-]{35}(?![0-9A-Za-z_-])", 48),
                rule("jwt",
                        "ey(?<![A-Za-z0-9_-]ey)[A-Za-z0-9_-]{8,1000}\\.ey[A-Za-z0-9_-]{8,4000}\\.[A-Za-z0-9_-]{0,1000}"
                                + "(?![A-Za-z0-9_-])", 6020),
                rule("authorization-header",
                        "(?i)authorization[\"']?[ \\t]{0,4}[:=][ \\t]{0,4}"
                                + "(?:bearer|basic|token|apikey)[ \\t]{1,4}(?<secret>[A-Za-z0-9._~+/=-]{1,4096})",
                        4160),
                rule("secret-flag",
                        "(?i)--(?<![A-Za-z0-9_-]--)(?:password|passwd|pass|token|secret|api[-_]?key"
                                + "|access[-_]?token|auth[-_]?token|client[-_]?secret)(?:=|[ \\t]{1,8}(?!-))"
                                + VALUE, 300),
                rule("mysql-password",
                        "m(?<![A-Za-z0-9_-]m)(?:ysql(?:dump|admin|import|show|check|slap)?|ariadb(?:-dump|-admin)?)"
                                + "(?![A-Za-z0-9_-])"
                                + "[^\\n;|&]{0,256}?[ \\t]-p" + VALUE, 560),
                rule("secret-assignment",
                        "(?i)=(?<=" + SECRET_WORDS
                                + "(?:[_.-][A-Za-z0-9_.-]{0,48})?[ \\t]{0,4}=)[ \\t]{0,4}(?!=)" + VALUE, 280),
                rule("json-secret-field",
                        "(?i)\"[A-Za-z0-9_.-]{0,64}?" + SECRET_WORDS + "(?:[_.-][A-Za-z0-9]{1,32}){0,3}\""
                                + "[ \\t]{0,4}:[ \\t]{0,4}\"(?<secret>[^\"\\n]{1,1024})\"", 1300),
                rule("url-credentials",
                        "://[^\\s:/?#@\"'<>]{0,256}:"
                                + "(?<secret>[^\\s/?#@\"'<>]{1,256})@", 560));
    }

    private static MaskRule rule(String name, String regex, int reach) {
        return new MaskRule(name, Pattern.compile(regex), reach);
    }
}
