package org.ttyaudit.cli.install;

import java.io.IOException;
import java.io.PrintWriter;
import java.util.List;

/** Runs steps in order, printing one line per step: what changed, or that it was already so. */
public final class Steps {
    private Steps() {
    }

    /** Runs every step; the first that fails stops the rest. Returns how many changed (or would change). */
    public static int run(List<Step> steps, boolean dryRun, PrintWriter out) throws IOException, InterruptedException {
        int changed = 0;
        for (Step step : steps) {
            Step.Outcome o = step.apply(dryRun);
            if (o.changed()) {
                changed++;
            }
            out.println((o.changed() ? (dryRun ? "would change: " : "changed: ") : "already so: ") + o.what());
        }
        if (changed == 0) {
            out.println("nothing to change");
        }
        return changed;
    }
}
