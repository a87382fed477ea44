package org.ttyaudit.core.redact;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class SecretMaskerTest {
    private static final SecretMasker MASKER = SecretMasker.defaults();

    private static final String GHP = "ghp_" + "a1B2c3D4e5F6g7H8i9J0k1L2m3N4o5P6q7R8";
    private static final String JWT = "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9"
            + ".eyJzdWIiOiIxMjM0NTY3ODkwIiwibmFtZSI6IkpvaG4gRG9lIn0"
            + ".SflKxwRJSMeKKF2QT4fwpMeJf36POk6yJV_adQssw5c";

    /** input | expected masked command line. '|' separates columns; the tables use no '|' inside values. */
    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', quoteCharacter = '`', textBlock = """
        aws s3 ls # AKIAIOSFODNN7EXAMPLE                     | aws s3 ls # [MASKED:aws-access-key-id]
        key=ASIAY34FZKBOKMUTVV7A                            | key=[MASKED:aws-access-key-id]
        export AWS_SECRET_ACCESS_KEY=wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY | export AWS_SECRET_ACCESS_KEY=[MASKED:aws-secret-access-key]
        aws_secret_access_key = wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY | aws_secret_access_key = [MASKED:aws-secret-access-key]
        git clone https://x:ghp_a1B2c3D4e5F6g7H8i9J0k1L2m3N4o5P6q7R8@github.com/o/r | git clone https://x:[MASKED:github-token]@github.com/o/r
        echo gho_a1B2c3D4e5F6g7H8i9J0k1L2m3N4o5P6q7R8       | echo [MASKED:github-token]
        gh auth login github_pat_11ABCDEFG0123456789_abcdefghijklmnopqrstuvwxyz | gh auth login [MASKED:github-token]
        slack xoxb-123456789012-1234567890123-AbCdEfGhIjKl  | slack [MASKED:slack-token]
        curl 'https://x.googleapis.com/v1?key=AIzaSyA1234567890abcdefghijklmnopqrstuv' | curl 'https://x.googleapis.com/v1?key=[MASKED:google-api-key]'
        curl -H 'Authorization: Bearer abc.def-ghi_jkl' https://api | curl -H 'Authorization: Bearer [MASKED:authorization-header]' https://api
        curl -H "authorization: basic dXNlcjpwYXNz" https://api | curl -H "authorization: basic [MASKED:authorization-header]" https://api
        mytool --password=hunter2 --verbose                 | mytool --password=[MASKED:secret-flag] --verbose
        mytool --password hunter2                           | mytool --password [MASKED:secret-flag]
        mytool --passwd 'two words'                         | mytool --passwd [MASKED:secret-flag]
        deploy --token=abc123 --api-key=k-99 --secret=s3    | deploy --token=[MASKED:secret-flag] --api-key=[MASKED:secret-flag] --secret=[MASKED:secret-flag]
        mysql -u root -phunter2 mydb                        | mysql -u root -p[MASKED:mysql-password] mydb
        /usr/bin/mysqldump -uroot -p'pa ss' db              | /usr/bin/mysqldump -uroot -p[MASKED:mysql-password] db
        PASSWORD=hunter2 ./run.sh                           | PASSWORD=[MASKED:secret-assignment] ./run.sh
        export GITHUB_TOKEN=abc123                          | export GITHUB_TOKEN=[MASKED:secret-assignment]
        PGPASSWORD=pw psql -h db                            | PGPASSWORD=[MASKED:secret-assignment] psql -h db
        MYSQL_PWD=pw mysql                                  | MYSQL_PWD=[MASKED:secret-assignment] mysql
        DB_SECRET="a b c" make                              | DB_SECRET=[MASKED:secret-assignment] make
        curl 'https://api/x?access_token=abc&page=2'        | curl 'https://api/x?access_token=[MASKED:secret-assignment]&page=2'
        curl -d '{"password": "hunter2"}' https://api       | curl -d '{"password": "[MASKED:json-secret-field]"}' https://api
        psql postgres://app:s3cr3t@db.example:5432/app      | psql postgres://app:[MASKED:url-credentials]@db.example:5432/app
        redis-cli -u redis://:pw@localhost                  | redis-cli -u redis://:[MASKED:url-credentials]@localhost
        """)
    void masksSecretsInCommandLines(String input, String expected) {
        assertThat(MASKER.mask(input)).isEqualTo(expected);
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {
        "git push origin main",
        "ls -p",
        "ls -la /etc/passwd",
        "passwd",
        "passwd alice",
        "sudo -u root id",
        "mysql -u root -p mydb",
        "mysql -p",
        "ssh -p 2222 host",
        "cd $PWD && echo $OLDPWD",
        "PWD=/home/alice",
        "OLDPWD=/tmp",
        "export TOKENIZERS_PARALLELISM=false",
        "python train.py --max_tokens=100",
        "TOKEN=$GITHUB_TOKEN gh pr list",
        "curl -H \"Authorization: Bearer $TOKEN\" https://api",
        "gh auth login --with-token < token.txt",
        "mytool --token-file /run/token",
        "mysql --password -u root",
        "mytool --password \"$PASS\" --token $TOKEN",
        "git clone https://github.com/o/r.git",
        "curl http://localhost:8080/health",
        "ssh://git@github.com:22/o/r",
        "echo AKIA1234",
        "grep -r password src/",
        "if [ \"$TOKEN\" = \"\" ]; then exit; fi",
        "AKIAIOSFODNN7EXAMPLEX",
        "x=eyJhbGciOiJIUzI1NiJ9",
    })
    void leavesOrdinaryCommandsAlone(String command) {
        assertThat(MASKER.mask(command)).isEqualTo(command);
    }

    @Test
    void masksJwtAnywhere() {
        assertThat(MASKER.mask("token " + JWT + " end")).isEqualTo("token [MASKED:jwt] end");
    }

    @Test
    void masksPemPrivateKeyBodyButKeepsItsArmour() {
        String pem = "-----BEGIN RSA PRIVATE KEY-----\nMIIEowIBAAKCAQEA1\nabcDEF==\n-----END RSA PRIVATE KEY-----";
        assertThat(MASKER.mask("cat key\n" + pem + "\n$ "))
                .isEqualTo("cat key\n-----BEGIN RSA PRIVATE KEY-----[MASKED:pem-private-key]"
                        + "-----END RSA PRIVATE KEY-----\n$ ");
    }

    @Test
    void leavesPublicKeysAndCertificatesAlone() {
        String cert = "-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----";
        assertThat(MASKER.mask(cert)).isEqualTo(cert);
    }

    @Test
    void byteMaskingKeepsLengthAndOnlyStarsTheSecret() {
        byte[] buf = ("xx export GITHUB_TOKEN=" + GHP + "\r\nok").getBytes(StandardCharsets.ISO_8859_1);
        int spans = MASKER.maskInPlace(buf, 3, buf.length - 3);
        assertThat(spans).isEqualTo(1);
        assertThat(new String(buf, StandardCharsets.ISO_8859_1))
                .isEqualTo("xx export GITHUB_TOKEN=" + "*".repeat(GHP.length()) + "\r\nok");
    }

    @Test
    void byteMaskingKeepsLineBreaksInsideAPemBlock() {
        String pem = "-----BEGIN PRIVATE KEY-----\r\nAB\r\nCD\r\n-----END PRIVATE KEY-----";
        byte[] buf = pem.getBytes(StandardCharsets.ISO_8859_1);
        assertThat(MASKER.maskInPlace(buf, 0, buf.length)).isEqualTo(1);
        assertThat(new String(buf, StandardCharsets.ISO_8859_1))
                .isEqualTo("-----BEGIN PRIVATE KEY-----\r\n**\r\n**\r\n-----END PRIVATE KEY-----");
    }

    @Test
    void byteMaskingLeavesBytesOutsideTheRangeAlone() {
        byte[] buf = "PASSWORD=abc PASSWORD=def".getBytes(StandardCharsets.ISO_8859_1);
        assertThat(MASKER.maskInPlace(buf, 0, 12)).isEqualTo(1);
        assertThat(new String(buf, StandardCharsets.ISO_8859_1)).isEqualTo("PASSWORD=*** PASSWORD=def");
    }

    @Test
    void byteMaskingWorksOnNonAsciiBytes() {
        byte[] buf = "é PASSWORD=ü1 ".getBytes(StandardCharsets.UTF_8);
        MASKER.maskInPlace(buf, 0, buf.length);
        assertThat(new String(buf, StandardCharsets.UTF_8)).isEqualTo("é PASSWORD=*** ");
    }

    @Test
    void overlappingMatchesAreMaskedOnceUnderTheEarliestRule() {
        // both the secret-flag and the secret-assignment rule match; the secret is one span
        assertThat(MASKER.mask("x --password=pw")).isEqualTo("x --password=[MASKED:secret-flag]");
        byte[] buf = "x --password=pw".getBytes(StandardCharsets.ISO_8859_1);
        assertThat(MASKER.maskInPlace(buf, 0, buf.length)).isEqualTo(1);
    }

    @Test
    void ruleWithoutSecretGroupMasksWholeMatch() {
        SecretMasker masker = new SecretMasker(List.of(MaskRule.of("corp", "corp_[0-9]{4}")));
        assertThat(masker.mask("id corp_1234 x")).isEqualTo("id [MASKED:corp] x");
    }

    @Test
    void everyDefaultRuleIsBoundedOrExplicitlyUnbounded() {
        assertThat(MASKER.rules()).extracting(MaskRule::name).doesNotHaveDuplicates().hasSize(13);
        assertThat(MASKER.rules()).allSatisfy(r -> assertThat(r.pattern().flags() & Pattern.MULTILINE).isZero());
    }
}
