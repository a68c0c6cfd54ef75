package org.arvados.tasksasjobs.cli;

import static org.arvados.tasksasjobs.cli.Cli.run;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** The first thing a new user runs: seed, baseline, migrate, verify on an embedded PostgreSQL, in that order. */
class DemoCommandTest {

    @Test
    void seedsMigratesAndVerifiesInOrderAndPasses() {
        Cli.Run demo = run("demo", "--tasks", "600", "--tasks-per-job", "6", "--workers", "2");

        assertEquals(ExitCode.OK, demo.exitCode(), demo.out() + demo.err());
        String out = demo.out();
        int seeded = out.indexOf("seeded ");
        int migrated = out.indexOf("quarantined");
        int verified = out.indexOf("round-trip");
        assertTrue(seeded >= 0 && migrated > seeded && verified > migrated, "seed, migrate, verify in that order:\n" + out);
        assertTrue(out.contains("with planted dirt"), out);
        assertTrue(out.contains("next: run it against your own database"), out);
        // What reuse would have saved, as `savings` reports it, and not the verifier's mixed counts.
        assertTrue(out.contains("What task reuse would have saved") && out.contains("from other jobs"), out);
        assertTrue(!out.contains("task-reuse-gained"), out);
        assertTrue(demo.err().contains("baseline"), demo.err());
    }
}
