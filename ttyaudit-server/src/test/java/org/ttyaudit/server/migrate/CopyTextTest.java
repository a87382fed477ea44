package org.ttyaudit.server.migrate;

import org.junit.jupiter.api.Test;
import org.postgresql.PGConnection;
import org.postgresql.copy.CopyIn;
import org.ttyaudit.server.store.postgres.PostgresCluster;
import org.ttyaudit.server.store.postgres.PostgresSettings;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Rows in COPY's text format, sent to a real PostgreSQL and read back unchanged. */
class CopyTextTest {
    private static final String[] TYPES = {"text", "bytea", "bigint", "integer"};
    private static final String[] COLUMNS = {"t", "b", "n", "i"};

    @Test
    void textBytesNumbersAndNullsArriveAsTheyWere() throws Exception {
        List<Object[]> rows = List.of(
                new Object[] {"tab\there\nnew line\r\nback\\slash \\N \\x41", new byte[] {0, 9, 10, 92, -1}, 1L, 2},
                new Object[] {"ünïcödé ✓ 𝄞 \u0001", new byte[0], Long.MIN_VALUE, Integer.MAX_VALUE},
                new Object[] {null, null, null, null},
                new Object[] {"", new byte[] {'\\', 'N'}, -1L, 0},
                new Object[] {"\\", new byte[] {1}, 0L, -7});
        PostgresSettings db = PostgresCluster.get().newDatabase();
        try (Connection c = PostgresCluster.get().connect(db.database()); Statement s = c.createStatement()) {
            s.execute("CREATE TABLE copied (k serial, t text, b bytea, n bigint, i integer)");
            CopyText text = new CopyText();
            for (Object[] row : rows) {
                text.row(row, TYPES, "copied", COLUMNS);
            }
            CopyIn in = c.unwrap(PGConnection.class).getCopyAPI().copyIn("COPY copied (t, b, n, i) FROM STDIN");
            byte[] bytes = text.take();
            in.writeToCopy(bytes, 0, bytes.length);
            assertThat(in.endCopy()).isEqualTo(rows.size());
            assertThat(text.size()).isZero();

            List<Object[]> back = new ArrayList<>();
            try (ResultSet rs = s.executeQuery("SELECT t, b, n, i FROM copied ORDER BY k")) {
                while (rs.next()) {
                    back.add(new Object[] {rs.getString(1), rs.getBytes(2), rs.getObject(3), rs.getObject(4)});
                }
            }
            assertThat(back).hasSize(rows.size());
            for (int r = 0; r < rows.size(); r++) {
                assertThat(Arrays.deepEquals(back.get(r), rows.get(r))).as("row " + r + ": "
                        + Arrays.deepToString(back.get(r))).isTrue();
            }
        }
    }

    @Test
    void aValueOfTheWrongKindIsRefusedNamingTheColumn() {
        CopyText text = new CopyText();
        assertThatThrownBy(() -> text.row(new Object[] {"x", "not bytes", 1L, 1}, TYPES, "copied", COLUMNS))
                .hasMessage("copied.b: expected bytes, the embedded store has String");
        assertThatThrownBy(() -> text.row(new Object[] {"x", new byte[0], 1L, 1}, new String[] {"text", "bytea",
                "bigint", "jsonb"}, "copied", COLUMNS))
                .hasMessage("copied.i: migrate does not know how to copy a PostgreSQL column of type jsonb");
    }
}
