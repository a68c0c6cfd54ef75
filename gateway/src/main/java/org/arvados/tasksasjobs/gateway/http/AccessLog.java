package org.arvados.tasksasjobs.gateway.http;

import java.time.Clock;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.RequestLog;
import org.eclipse.jetty.server.Response;

/**
 * One line per request, for an operator: time, client address, method, path, status, milliseconds, and the user
 * the token belonged to ({@code -} when none was checked, e.g. a forwarded or refused request). Never the query
 * string or a header: either can carry a token ({@code api_token=}, {@code Authorization}).
 */
final class AccessLog implements RequestLog {

    /** The request attribute the handlers set to the authenticated user's uuid. */
    static final String USER_ATTRIBUTE = "org.arvados.tasksasjobs.gateway.user";

    private final Consumer<String> out;
    private final Clock clock;

    /** @param out takes each line; called from many request threads at once */
    AccessLog(Consumer<String> out, Clock clock) {
        this.out = out;
        this.clock = clock;
    }

    @Override
    public void log(Request request, Response response) {
        long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - request.getBeginNanoTime());
        Object user = request.getAttribute(USER_ATTRIBUTE);
        String line = clock.instant() + " " + Request.getRemoteAddr(request) + " " + request.getMethod() + " "
                + printable(request.getHttpURI().getPath()) + " " + response.getStatus() + " " + millis + "ms "
                + (user == null ? "-" : user);
        out.accept(line);
    }

    /** A path as sent, with control characters escaped so one request is always one line. */
    private static String printable(String path) {
        if (path == null) {
            return "-";
        }
        StringBuilder out = new StringBuilder(path.length());
        for (char c : path.toCharArray()) {
            if (c < 0x20 || c == 0x7f || c == ' ') {
                out.append(String.format("%%%02X", (int) c));
            } else {
                out.append(c);
            }
        }
        return out.toString();
    }
}
