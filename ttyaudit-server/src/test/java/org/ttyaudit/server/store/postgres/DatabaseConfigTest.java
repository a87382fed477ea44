package org.ttyaudit.server.store.postgres;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.ttyaudit.core.config.ConfigException;
import org.ttyaudit.core.config.ConfigNode;
import org.ttyaudit.core.config.YamlConfig;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class DatabaseConfigTest {
    @TempDir
    Path dir;

    private static ConfigNode section(String yaml) {
        return YamlConfig.parse(yaml, "server.yaml").mapping("database");
    }

    @Test
    void noSectionAndNoVariableMeansTheEmbeddedStore() {
        assertThat(DatabaseConfig.parse(section(""), Map.of())).isEmpty();
    }

    @Test
    void theSectionIsReadAndThePasswordComesFromItsFileWithoutTheNewline() throws Exception {
        Path pw = Files.writeString(dir.resolve("pw"), "s3cret\n");
        PostgresSettings s = DatabaseConfig.parse(section("""
                database:
                  url: postgres://db.example:6543/audit
                  user: ttyaudit
                  password_file: %s
                  pool_size: 7
                  tls: require
                """.formatted(pw)), Map.of()).orElseThrow();

        assertThat(s.displayUrl()).isEqualTo("postgres://db.example:6543/audit");
        assertThat(s.user()).isEqualTo("ttyaudit");
        assertThat(s.password()).isEqualTo("s3cret");
        assertThat(s.poolSize()).isEqualTo(7);
        assertThat(s.tls()).isEqualTo(PostgresSettings.Tls.REQUIRE);
        assertThat(s.driverProperties()).containsEntry("sslmode", "require");
        assertThat(s.toString()).doesNotContain("s3cret");
    }

    @Test
    void environmentVariablesOverrideTheFileAndTlsDefaultsToVerifyFull() {
        PostgresSettings s = DatabaseConfig.parse(section("""
                database:
                  url: postgres://file-host/filedb
                  user: from-file
                """), Map.of("TTYAUDIT_DATABASE_URL", "postgresql://env:pw%40x@env-host:5433/envdb",
                "TTYAUDIT_DATABASE_POOL_SIZE", "3")).orElseThrow();

        assertThat(s.displayUrl()).isEqualTo("postgres://env-host:5433/envdb");
        assertThat(s.user()).as("the file's user key beats the URL's user").isEqualTo("from-file");
        assertThat(s.password()).isEqualTo("pw@x");
        assertThat(s.poolSize()).isEqualTo(3);
        assertThat(s.tls()).isEqualTo(PostgresSettings.Tls.VERIFY_FULL);
        assertThat(s.toString()).doesNotContain("pw@x");
    }

    @Test
    void mistakesAreNamedWithoutThePassword() throws Exception {
        assertThatThrownBy(() -> DatabaseConfig.parse(section("database:\n  user: x\n"), Map.of()))
                .isInstanceOf(ConfigException.class).hasMessageContaining("url is missing");
        assertThatThrownBy(() -> DatabaseConfig.parse(section("database:\n  url: mysql://h/db\n  user: x\n"),
                Map.of())).isInstanceOf(ConfigException.class).hasMessageContaining("server.yaml:2")
                .hasMessageContaining("postgres://");
        assertThatThrownBy(() -> DatabaseConfig.parse(section("database:\n  url: postgres://h/db\n  user: x\n"
                + "  tls: maybe\n"), Map.of())).hasMessageContaining("database.tls").hasMessageContaining("verify-full");
        assertThatThrownBy(() -> DatabaseConfig.parse(section("database:\n  url: postgres://h/db\n  user: x\n"
                + "  password_file: " + dir.resolve("missing") + "\n"), Map.of()))
                .hasMessageContaining("cannot read the database password file");
        assertThatThrownBy(() -> DatabaseConfig.parse(section("database:\n  url: postgres://h/db\n"
                + "  colour: blue\n"), Map.of())).isInstanceOf(ConfigException.class).hasMessageContaining("colour");
        assertThatThrownBy(() -> DatabaseConfig.parse(section(""), Map.of("TTYAUDIT_DATABASE_URL",
                "postgres://u:hunter2@h/db", "TTYAUDIT_DATABASE_POOL_SIZE", "many")))
                .hasMessageContaining("TTYAUDIT_DATABASE_POOL_SIZE").message().doesNotContain("hunter2");
        assertThatThrownBy(() -> DatabaseConfig.parse(section(""), Map.of("TTYAUDIT_DATABASE_URL",
                "postgres://u:hunter2@h")))
                .hasMessageContaining("TTYAUDIT_DATABASE_URL").hasMessageContaining("no database name")
                .message().doesNotContain("hunter2");
    }
}
