package org.ttyaudit.recorder.proc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.LongRange;

class ProcStatProperties {
    /** A stat line as the kernel writes it (52 fields), with the interesting ones filled in. */
    static String statLine(int pid, String comm, char state, int ppid, int session, long startTime, long startStack) {
        StringBuilder sb = new StringBuilder();
        sb.append(pid).append(" (").append(comm).append(") ").append(state).append(' ').append(ppid)
                .append(' ').append(pid).append(' ').append(session);
        for (int field = 7; field <= 52; field++) {
            long value = switch (field) {
                case 22 -> startTime;
                case 26 -> 94000000000000L;
                case 27 -> 94000000100000L;
                case 28 -> startStack;
                case 19 -> -20;
                default -> field;
            };
            // rsslim (25) is unsigned and often 2^64-1, which does not fit a long
            sb.append(' ').append(field == 25 ? "18446744073709551615" : Long.toString(value));
        }
        return sb.append('\n').toString();
    }

    @Provide
    Arbitrary<String> comms() {
        return Arbitraries.strings().withChars("ab ()-:/\t").ofMinLength(0).ofMaxLength(15);
    }

    @Property
    void parsesAnyProgramNameIncludingSpacesAndParentheses(
            @ForAll("comms") String comm, @ForAll @IntRange(min = 1, max = 4194304) int pid,
            @ForAll @IntRange(min = 0, max = 4194304) int ppid, @ForAll @IntRange(min = 0, max = 4194304) int sid,
            @ForAll @LongRange(min = 0, max = Long.MAX_VALUE / 2) long start) {
        ProcStat stat = ProcStat.parse(statLine(pid, comm, 'S', ppid, sid, start, 140000000000000L));
        assertThat(stat).isEqualTo(new ProcStat(pid, comm, 'S', ppid, sid, start, 94000000000000L,
                94000000100000L, 140000000000000L));
    }

    @Property
    void garbageIsRejectedWithAReasonNeverACrash(@ForAll String text) {
        try {
            ProcStat.parse(text);
        } catch (IllegalArgumentException e) {
            assertThat(e.getMessage()).startsWith("not a /proc stat line");
        }
    }

    @Example
    void parsesTheRealStatLineOfThisProcess() throws java.io.IOException {
        java.nio.file.Path self = java.nio.file.Path.of("/proc/self/stat");
        org.junit.jupiter.api.Assumptions.assumeTrue(java.nio.file.Files.exists(self), "needs Linux /proc");
        ProcStat stat = ProcStat.parse(java.nio.file.Files.readString(self));
        assertThat(stat.pid()).isEqualTo((int) ProcessHandle.current().pid());
        assertThat(stat.ppid()).isEqualTo((int) ProcessHandle.current().parent().orElseThrow().pid());
        assertThat(stat.startTime()).isPositive();
    }

    @Example
    void zombieStateIsRecognised() {
        assertThat(ProcStat.parse(statLine(7, "sh", 'Z', 1, 1, 5, 6)).zombie()).isTrue();
    }

    @Example
    void truncatedLineNamesWhatIsMissing() {
        assertThatThrownBy(() -> ProcStat.parse("12 (bash) S 1 12 12 0"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("of 28 fields");
    }
}
