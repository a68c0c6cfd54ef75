package org.arvados.tasksasjobs.reuse;

/**
 * The Complete half of the walk of docs/arvados.md §5: of the Complete jobs a submission matches, the oldest usable
 * one is taken when every usable one agrees on its output; a job without output or log is not usable, and once two
 * usable ones disagree none may be taken. {@link CandidateWalk} feeds it a probe's candidates; the savings replay
 * ({@link SavingsReplay}) feeds it each identity's finished twins as history unfolds, outputs as 64-bit keys to
 * keep millions of identities in a small heap. Pure, mutable, one per walk.
 *
 * @param <O> how an output is held: its text, or a key equal exactly when the texts are
 */
public final class CompleteTwins<O> {

    private String chosen;
    private O chosenOutput;
    private boolean outputsDiffer;

    /** The next Complete candidate, oldest first; {@code output} null when it has none. */
    public void accept(String uuid, O output, String log) {
        if (outputsDiffer || output == null || log == null) {
            return;
        }
        if (chosenOutput == null) {
            chosen = uuid;
            chosenOutput = output;
        } else if (!chosenOutput.equals(output)) {
            // Taking either would be an arbitrary choice between two answers: the server refuses to make it.
            outputsDiffer = true;
        }
    }

    /** The Complete job that would be reused, or null: none usable, or usable ones disagree. */
    public String chosen() {
        return outputsDiffer ? null : chosen;
    }

    public boolean outputsDiffer() {
        return outputsDiffer;
    }
}
