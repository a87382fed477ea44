package org.ttyaudit.bench.server;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The PostgreSQL scale benchmark at a tiny size (seconds of load): a real private cluster, two real server
 * processes from the packaged jar on one data directory, ingest through both, the COPY fill, search on both.
 * Skipped without Debian's PostgreSQL or the packaged jar (run {@code verify}, not {@code test}).
 */
class PgScaleBenchTest {
    private static final Path SERVER_JAR = Path.of("../ttyaudit-cli/target/ttyaudit.jar");

    @Test
    void ingestsThroughOneThenTwoInstancesFillsUpAndSearchesOnBoth(@TempDir Path work) throws Exception {
        assumeTrue(Files.isDirectory(Path.of("/usr/lib/postgresql")), "PostgreSQL is not installed");
        assumeTrue(Files.isRegularFile(SERVER_JAR), "no packaged server jar (mvn verify builds it)");
        ByteArrayOutputStream printed = new ByteArrayOutputStream();
        PgScaleBench.Options o = new PgScaleBench.Options(5000, List.of(1, 2), 2, 1, 6, 5, 3, 1, 1, 2,
                work.resolve("run"), SERVER_JAR, List.of(), 1, false);

        PgScaleBench.Result r = PgScaleBench.run(o, new PrintStream(printed, true, StandardCharsets.UTF_8));

        String report = printed.toString(StandardCharsets.UTF_8);
        assertThat(r.phases()).as(report).extracting(PgScaleBench.Phase::instances).containsExactly(1, 2);
        assertThat(r.phases()).as(report).allSatisfy(p -> {
            assertThat(p.failures()).isZero();
            assertThat(p.commands()).isPositive();
            assertThat(p.cpu().seconds().get("postgres")).isPositive();
        });
        // the second phase's sessions went to both instances: each JVM did ingest work
        assertThat(r.phases().get(1).cpu().seconds().get("server 2")).as(report).isPositive();
        assertThat(r.commandsInDatabase()).as(report).isGreaterThanOrEqualTo(5000);
        assertThat(r.search()).as(report).containsOnlyKeys(1, 2);
        // one query of each kind: SearchBench's mix and the two time-window kinds PgScaleBench adds
        int kinds = SearchBench.mix(List.of("0123456789"), 1).size() + 2;
        assertThat(r.search().values()).allSatisfy(s -> assertThat(s.count()).isEqualTo(kinds));
        assertThat(report).contains("scaling ratio", "per million commands", "blobs:");
    }
}
