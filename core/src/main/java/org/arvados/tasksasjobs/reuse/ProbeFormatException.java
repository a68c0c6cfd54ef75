package org.arvados.tasksasjobs.reuse;

/**
 * A line of a probes file that is not a probe. The message is one line that names the line number and what is
 * wrong ("probes line 7: script_parameters must be an object"), fit to show a user as it is. Unchecked, because
 * {@link ProbeReader} is an {@link java.util.Iterator}, whose methods cannot throw checked exceptions.
 */
public final class ProbeFormatException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final long lineNumber;
    private final String problem;

    public ProbeFormatException(long lineNumber, String problem) {
        this(lineNumber, problem, null);
    }

    public ProbeFormatException(long lineNumber, String problem, Throwable cause) {
        super("probes line " + lineNumber + ": " + problem, cause);
        this.lineNumber = lineNumber;
        this.problem = problem;
    }

    /** The 1-based line of the input, blank lines counted. */
    public long lineNumber() {
        return lineNumber;
    }

    /** What is wrong, without the line number. */
    public String problem() {
        return problem;
    }
}
