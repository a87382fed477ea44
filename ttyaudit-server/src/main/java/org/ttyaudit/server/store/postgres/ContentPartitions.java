package org.ttyaudit.server.store.postgres;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.ttyaudit.server.store.StoreException;

import java.sql.ResultSet;
import java.time.Instant;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;

/**
 * The monthly partitions of the session content tables ({@link #TABLES}). A month's partition holds the content of
 * the sessions whose UUIDv7 id was made in that month (UTC): its range is the text prefixes of the month's first
 * and the next month's first millisecond ({@code xxxxxxxx-xxxx}).
 *
 * <p>Why monthly: every per-session query is pruned to one partition by its id, but a query without a session
 * (search) reads every partition's index, so their number must stay small; retention keeps sessions for weeks to
 * years, so months give tens of partitions where days would give hundreds.
 *
 * <p>{@link #createAhead} makes the partitions of this month and the next {@link #MONTHS_AHEAD} (rows of a month
 * without a partition go to the default partition, which is correct but never dropped: a partition is created
 * only for a month whose rows the default partition cannot hold yet). {@link #dropPruned} drops the partitions of
 * past months whose every session is pruned: pruning already deleted their rows, and dropping returns the space
 * at once, without waiting for VACUUM. Both run under the store's write lock, so instances do not race.
 */
final class ContentPartitions {
    private static final Logger log = LoggerFactory.getLogger(ContentPartitions.class);
    static final List<String> TABLES = List.of("commands", "session_events", "output_text");
    static final int MONTHS_AHEAD = 2;

    private ContentPartitions() {
    }

    /** The id prefix of UUIDv7s made at {@code instant}: the first 48 bits as {@code xxxxxxxx-xxxx}. */
    static String idPrefix(Instant instant) {
        String hex = String.format("%012x", instant.toEpochMilli());
        return hex.substring(0, 8) + "-" + hex.substring(8);
    }

    static String partitionName(String table, YearMonth month) {
        return table + "_" + String.format("%04d%02d", month.getYear(), month.getMonthValue());
    }

    private static Instant start(YearMonth month) {
        return month.atDay(1).atStartOfDay().toInstant(ZoneOffset.UTC);
    }

    /** Creates the partitions of the month of {@code now} and of the months after it that do not exist yet. */
    static void createAhead(PostgresDatabase db, Instant now) {
        YearMonth first = YearMonth.from(now.atZone(ZoneOffset.UTC));
        for (int i = 0; i <= MONTHS_AHEAD; i++) {
            YearMonth month = first.plusMonths(i);
            for (String table : TABLES) {
                String name = partitionName(table, month);
                try {
                    db.transaction("creating the partition " + name, c -> {
                        if (c.queryString("SELECT to_regclass('" + name + "')") == null) {
                            c.execute(createStatement(table, month));
                        }
                        return null;
                    });
                } catch (StoreException e) {
                    // e.g. the default partition already holds rows of that month: they stay there, still correct
                    log.warn("cannot create the partition {}: {}", name, e.getMessage());
                }
            }
        }
    }

    /** The statement that makes {@code table}'s partition of {@code month}. */
    static String createStatement(String table, YearMonth month) {
        return "CREATE TABLE " + partitionName(table, month) + " PARTITION OF " + table + " FOR VALUES FROM ('"
                + idPrefix(start(month)) + "') TO ('" + idPrefix(start(month.plusMonths(1))) + "')";
    }

    /**
     * Drops the partitions of the months before the month of {@code now} in which every session is pruned (and
     * at least one exists, so that a month that is still being imported into is not dropped on its first day).
     *
     * @return the months dropped
     */
    static List<YearMonth> dropPruned(PostgresDatabase db, Instant now) {
        YearMonth current = YearMonth.from(now.atZone(ZoneOffset.UTC));
        List<YearMonth> months = db.read("listing the content partitions", c -> {
            List<YearMonth> out = new ArrayList<>();
            try (ResultSet rs = c.prepare("SELECT child.relname FROM pg_inherits i"
                    + " JOIN pg_class child ON child.oid = i.inhrelid JOIN pg_class parent ON parent.oid = i.inhparent"
                    + " WHERE parent.relname = 'commands' AND parent.relnamespace = current_schema()::regnamespace"
                    + " AND child.relname ~ '^commands_[0-9]{6}$' ORDER BY 1").executeQuery()) {
                while (rs.next()) {
                    String suffix = rs.getString(1).substring("commands_".length());
                    out.add(YearMonth.of(Integer.parseInt(suffix.substring(0, 4)),
                            Integer.parseInt(suffix.substring(4))));
                }
            }
            return out;
        });
        List<YearMonth> dropped = new ArrayList<>();
        for (YearMonth month : months) {
            if (!month.isBefore(current)) {
                continue;
            }
            boolean done = db.transaction("dropping the content partitions of " + month, c -> {
                String lo = idPrefix(start(month));
                String hi = idPrefix(start(month.plusMonths(1)));
                String state = c.queryString("SELECT count(*) || ' ' || count(*) FILTER (WHERE pruned_at IS NULL)"
                        + " FROM sessions WHERE id >= '" + lo + "' AND id < '" + hi + "'");
                String[] counts = state.split(" ");
                if (Long.parseLong(counts[0]) == 0 || Long.parseLong(counts[1]) > 0) {
                    return false;
                }
                for (String table : TABLES) {
                    c.execute("DROP TABLE IF EXISTS " + partitionName(table, month));
                }
                return true;
            });
            if (done) {
                dropped.add(month);
            }
        }
        return dropped;
    }
}
