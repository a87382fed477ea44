package org.ttyaudit.cli.install;

import java.io.IOException;

/**
 * One system change of {@code ttyaudit install}, idempotent: {@link #apply} first looks whether the system is
 * already so and then changes nothing. A dry run only says what it would change.
 */
public interface Step {
    /** Makes the change (unless {@code dryRun}) and says what it changed, or that nothing needed changing. */
    Outcome apply(boolean dryRun) throws IOException, InterruptedException;

    /** What a step did: {@code changed} false means the system was already so. */
    record Outcome(boolean changed, String what) {
        public static Outcome changed(String what) {
            return new Outcome(true, what);
        }

        public static Outcome already(String what) {
            return new Outcome(false, what);
        }
    }
}
