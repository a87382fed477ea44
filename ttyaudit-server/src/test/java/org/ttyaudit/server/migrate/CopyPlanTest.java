package org.ttyaudit.server.migrate;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.ttyaudit.server.store.postgres.PostgresCluster;
import org.ttyaudit.server.store.postgres.PostgresImport;
import org.ttyaudit.server.store.sqlite.SqliteExport;
import org.ttyaudit.server.store.sqlite.SqliteStore;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The copy plan of {@code ttyaudit migrate} against both schemas as this version makes them: a schema step that
 * adds a table (to either engine) fails here until the plan copies it or names it as derived, and a column that
 * exists on one engine only fails here too. (At run time, migrate refuses the same mismatches before copying.)
 */
class CopyPlanTest {
    @TempDir
    Path dir;

    @Test
    void everyTableOfTheEmbeddedStoreIsCopiedOrKnownAsDerived() {
        Path file = dir.resolve("server.db");
        SqliteStore.open(file).close();
        try (SqliteExport sqlite = SqliteExport.open(file)) {
            assertThat(CopyPlan.unknown(sqlite.tables(), CopyPlan.SQLITE_DERIVED)).as("tables not in the plan")
                    .isEmpty();
            assertThat(CopyPlan.missing(sqlite.tables())).isEmpty();
        }
    }

    @Test
    void everyTableOfThePostgresStoreIsCopiedOrKnownAsDerivedWithTheSameColumnsAsTheEmbeddedOnes() {
        Path file = dir.resolve("server.db");
        SqliteStore.open(file).close();
        try (SqliteExport sqlite = SqliteExport.open(file);
             PostgresImport pg = PostgresImport.connect(PostgresCluster.get().newDatabase(), "copy-plan-test")) {
            assertThat(CopyPlan.unknown(pg.tables(), CopyPlan.POSTGRES_DERIVED)).as("tables not in the plan")
                    .isEmpty();
            assertThat(CopyPlan.missing(pg.tables())).isEmpty();
            for (CopyPlan.Table t : CopyPlan.TABLES) {
                List<String> embedded = new ArrayList<>(sqlite.columns(t.name()));
                List<String> postgres = new ArrayList<>(pg.columnTypes(t.name()).keySet());
                embedded.sort(null);
                postgres.sort(null);
                assertThat(postgres).as(t.name()).isEqualTo(embedded);
            }
        }
    }

    @Test
    void aTableThePlanDoesNotKnowIsNamed() {
        assertThat(CopyPlan.unknown(List.of("sessions", "schema_version", "output_trigrams"),
                CopyPlan.SQLITE_DERIVED)).containsExactly("output_trigrams");
        assertThat(CopyPlan.missing(List.of("sessions"))).contains("ledger_leaves", "ledger_nodes", "signed_heads");
    }
}
