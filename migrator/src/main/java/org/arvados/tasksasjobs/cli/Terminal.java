package org.arvados.tasksasjobs.cli;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * Which of the command's streams are terminals, each decided on its own (a progress bar on stderr stays when only
 * stdout is piped into a file, and goes when only stderr is), and whether colour is wanted: a terminal, no
 * {@code NO_COLOR} (https://no-color.org, any non-empty value), and not {@code TERM=dumb}.
 *
 * @param stdout whether standard output is a terminal
 * @param stderr whether standard error is a terminal
 * @param colour whether colour may be used on a stream that is a terminal
 */
public record Terminal(boolean stdout, boolean stderr, boolean colour) {

    /** No terminal anywhere: tests, and streams that are not this process's own. */
    public static final Terminal NONE = new Terminal(false, false, false);

    /** For {@code out} and {@code err}: a terminal only where the stream is this process's own and is a tty. */
    static Terminal of(PrintStream out, PrintStream err, Map<String, String> env) {
        boolean colour = (env.get("NO_COLOR") == null || env.get("NO_COLOR").isEmpty()) && !"dumb".equals(env.get("TERM"));
        return new Terminal(out == System.out && isatty(1), err == System.err && isatty(2), colour);
    }

    /** Whether colour is for standard output. */
    public boolean colourOnStdout() {
        return stdout && colour;
    }

    /**
     * isatty(3) without native code: on Linux a descriptor open on a terminal links to /dev/pts/N, /dev/ttyN or
     * /dev/console. Elsewhere (no /proc) the JVM's own test, which asks about stdin and stdout together, is the
     * best there is.
     */
    static boolean isatty(int fd) {
        try {
            String target = Files.readSymbolicLink(Path.of("/proc/self/fd/" + fd)).toString();
            return target.startsWith("/dev/pts/") || target.startsWith("/dev/tty") || target.equals("/dev/console");
        } catch (IOException | UnsupportedOperationException | SecurityException e) {
            return System.console() != null;
        }
    }
}
