package org.arvados.tasksasjobs.gateway.http;

import static org.arvados.tasksasjobs.gateway.ArvadosUsers.ALICE;
import static org.arvados.tasksasjobs.gateway.ArvadosUsers.ALICE_TOKEN;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.arvados.tasksasjobs.gateway.Gateway;
import org.arvados.tasksasjobs.gateway.MigratedArvadosExtension;
import org.arvados.tasksasjobs.testdb.TestDatabase;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Hostile and careless requests, kept as data in {@code bad-requests/corpus.tsv}: each is answered with its 4xx in
 * Arvados's error shape, nothing is stored, nothing is logged as an internal error. Sent over raw sockets, since
 * an HTTP client library refuses to send most of them. The module's tests run under -Xmx256m (see its pom), so the
 * corpus's megabyte bodies and 10,000-deep nesting also prove bounded memory.
 */
@ExtendWith(MigratedArvadosExtension.class)
class BadRequestCorpusTest {

    private static final String JOB = "zzzzz-8i9sb-alicejob0000001";
    private static final Pattern ERROR_TOKEN = Pattern.compile("[0-9]+\\+[0-9a-f]{8}");
    private static final Pattern REPEAT = Pattern.compile("@repeat\\((\\d+)\\)<<(.*?)>>");
    private static final ObjectMapper JSON = new ObjectMapper();

    private final ByteArrayOutputStream errorLog = new ByteArrayOutputStream();
    private Gateway gateway;
    private String task;

    /** One line of the corpus: what is sent and the status it must get. */
    record BadRequest(int line, int status, boolean token, String method, String target, String type, String body) {

        static List<BadRequest> corpus() throws IOException {
            List<BadRequest> requests = new ArrayList<>();
            try (InputStream in = BadRequestCorpusTest.class.getResourceAsStream("/bad-requests/corpus.tsv")) {
                String[] lines = new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n", -1);
                for (int i = 0; i < lines.length; i++) {
                    if (lines[i].isBlank() || lines[i].startsWith("#")) {
                        continue;
                    }
                    String[] f = lines[i].split("\t", 6);
                    assertTrue(f.length >= 5, "corpus line " + (i + 1) + " has " + f.length + " columns");
                    requests.add(new BadRequest(i + 1, Integer.parseInt(f[0]), f[1].equals("alice"), f[2], f[3], f[4],
                            f.length > 5 ? f[5] : ""));
                }
            }
            return requests;
        }

        /** The request's bytes, as written on the socket. */
        byte[] wire(String task) {
            String path = target;
            String query = null;
            int q = target.indexOf('?');
            if (q >= 0) {
                path = target.substring(0, q);
                query = target.substring(q + 1);
            }
            ByteArrayOutputStream head = new ByteArrayOutputStream();
            write(head, method + " " + expand(path, task));
            if (query != null) {
                write(head, "?");
                head.writeBytes(bytes(expand(query, task), true));
            }
            write(head, " HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n");
            if (token) {
                write(head, "Authorization: OAuth2 " + ALICE_TOKEN + "\r\n");
            }
            if (!type.equals("-")) {
                byte[] content = bytes(expand(body, task), type.equals("form"));
                write(head, "Content-Type: " + switch (type) {
                    case "json" -> "application/json";
                    case "form" -> "application/x-www-form-urlencoded";
                    default -> "text/plain";
                } + "\r\nContent-Length: " + content.length + "\r\n\r\n");
                head.writeBytes(content);
            } else {
                write(head, "\r\n");
            }
            return head.toByteArray();
        }

        private static String expand(String text, String task) {
            Matcher m = REPEAT.matcher(text.replace("${JOB}", JOB).replace("${TASK}", task));
            StringBuilder out = new StringBuilder();
            while (m.find()) {
                m.appendReplacement(out, Matcher.quoteReplacement(m.group(2).repeat(Integer.parseInt(m.group(1)))));
            }
            return m.appendTail(out).toString();
        }

        /** UTF-8 bytes, {@code \xNN} as a raw byte; percent-encoded (but for & = %) when {@code encode}. */
        private static byte[] bytes(String text, boolean encode) {
            ByteArrayOutputStream out = new ByteArrayOutputStream(text.length());
            for (int i = 0; i < text.length(); i++) {
                char c = text.charAt(i);
                if (c == '\\' && i + 3 < text.length() && text.charAt(i + 1) == 'x'
                        && isHex(text.charAt(i + 2)) && isHex(text.charAt(i + 3))) {
                    out.write(Integer.parseInt(text.substring(i + 2, i + 4), 16));
                    i += 3;
                } else if (!encode || Character.isLetterOrDigit(c) && c < 128 || "-._~&=%".indexOf(c) >= 0) {
                    out.writeBytes(String.valueOf(c).getBytes(StandardCharsets.UTF_8));
                } else {
                    for (byte b : String.valueOf(c).getBytes(StandardCharsets.UTF_8)) {
                        write(out, String.format("%%%02X", b & 0xff));
                    }
                }
            }
            return out.toByteArray();
        }

        private static boolean isHex(char c) {
            return Character.digit(c, 16) >= 0;
        }

        private static void write(ByteArrayOutputStream out, String ascii) {
            out.writeBytes(ascii.getBytes(StandardCharsets.ISO_8859_1));
        }

        @Override
        public String toString() {
            String shown = method + " " + target + (body.isEmpty() ? "" : " " + body);
            return "corpus line " + line + ": " + (shown.length() > 160 ? shown.substring(0, 160) + "..." : shown);
        }
    }

    @BeforeEach
    void aliceHasATask(TestDatabase db) throws Exception {
        try (Connection c = db.connect()) {
            ArvadosJobs.insertRunning(c, JOB, ALICE, "hash", Map.of("input", "x"));
        }
        gateway = Gateway.start(ArvadosJobs.settings(db), Clock.systemUTC(),
                new PrintStream(errorLog, true, StandardCharsets.UTF_8));
        Reply created = send(gateway, ("POST /arvados/v1/job_tasks HTTP/1.1\r\nHost: x\r\nConnection: close\r\n"
                + "Authorization: OAuth2 " + ALICE_TOKEN + "\r\nContent-Type: application/json\r\nContent-Length: ")
                .getBytes(StandardCharsets.US_ASCII), "{\"job_task\": {\"job_uuid\": \"" + JOB + "\", \"sequence\": 1,"
                + " \"parameters\": {\"n\": 1}}}");
        assertEquals(200, created.status(), created.text());
        task = created.json().get("uuid").asText();
    }

    @AfterEach
    void stop() {
        gateway.close();
    }

    @Test
    void everyBadRequestIsItsOwn4xxInArvadosShapeAndStoresNothing() throws Exception {
        List<BadRequest> corpus = BadRequest.corpus();
        assertTrue(corpus.size() >= 100, "the corpus has " + corpus.size() + " requests");
        JsonNode taskBefore = list("/arvados/v1/job_tasks/" + task);
        JsonNode jobsBefore = list("/arvados/v1/jobs");
        List<String> wrong = new ArrayList<>();
        for (BadRequest request : corpus) {
            Reply reply = exchange(gateway, request.wire(task));
            String problem = problem(request, reply);
            if (problem != null) {
                wrong.add(request + "\n    " + problem);
            }
        }
        assertTrue(wrong.isEmpty(), wrong.size() + " of " + corpus.size() + " answered wrongly:\n"
                + String.join("\n", wrong) + "\nthe gateway's error log:\n" + errorLog.toString(StandardCharsets.UTF_8));
        assertEquals(taskBefore, list("/arvados/v1/job_tasks/" + task), "the task changed");
        assertEquals(1, list("/arvados/v1/job_tasks").get("items_available").asInt(), "a task was stored");
        assertEquals(jobsBefore, list("/arvados/v1/jobs"), "the jobs changed");
        String log = errorLog.toString(StandardCharsets.UTF_8);
        assertFalse(log.contains("internal error"), log);
    }

    @Test
    void anInListLongerThanTheDriversParameterLimitIsAnswered() throws Exception {
        StringBuilder in = new StringBuilder("[\"").append(task).append('"');
        for (int i = 0; i < 70_000; i++) {
            in.append(String.format(",\"zzzzz-ot0gb-%015d\"", i));
        }
        String form = "_method=GET&filters=" + java.net.URLEncoder.encode("[[\"uuid\",\"in\"," + in + "]]]",
                StandardCharsets.UTF_8);
        Reply reply = post("application/x-www-form-urlencoded", form);
        assertEquals(200, reply.status(), reply.text());
        assertEquals(1, reply.json().get("items_available").asInt());
        Reply notIn = post("application/x-www-form-urlencoded", "_method=GET&filters=" + java.net.URLEncoder.encode(
                "[[\"uuid\",\"not in\"," + in + "]]]", StandardCharsets.UTF_8));
        assertEquals(200, notIn.status(), notIn.text());
        assertEquals(0, notIn.json().get("items_available").asInt());
    }

    @Test
    void aLikePatternIsCheckedBeforeAnyRowIsRead() throws Exception {
        // Nothing matches the first filter: a pattern checked against rows would never be looked at.
        String refused = "[[\"uuid\",\"=\",\"none\"],[\"uuid\",\"like\",\"zzzzz\\\\\"]]";
        assertEquals(422, get("/arvados/v1/job_tasks?filters=" + encode(refused)).status());
        // An escaped backslash is a literal one: accepted, and matched as such.
        String literal = "[[\"uuid\",\"like\",\"zzzzz\\\\\\\\%\"]]";
        Reply reply = get("/arvados/v1/job_tasks?filters=" + encode(literal));
        assertEquals(200, reply.status(), reply.text());
        assertEquals(0, reply.json().get("items_available").asInt());
        Reply plain = get("/arvados/v1/job_tasks?filters=" + encode("[[\"uuid\",\"like\",\"zzzzz-%\"]]"));
        assertEquals(1, plain.json().get("items_available").asInt(), plain.text());
    }

    /** Why {@code reply} is not the answer {@code request} must get, or null when it is. */
    private static String problem(BadRequest request, Reply reply) {
        if (reply.status() != request.status()) {
            return "status " + reply.status() + ", expected " + request.status() + ": " + reply.shortText();
        }
        JsonNode body;
        try {
            body = reply.json();
        } catch (IOException e) {
            return "not JSON: " + reply.shortText();
        }
        JsonNode errors = body.get("errors");
        if (errors == null || !errors.isArray() || errors.isEmpty() || !errors.get(0).isTextual()
                || errors.get(0).asText().isBlank()) {
            return "no errors array: " + reply.shortText();
        }
        JsonNode token = body.get("error_token");
        if (token == null || !ERROR_TOKEN.matcher(token.asText()).matches()) {
            return "no error_token: " + reply.shortText();
        }
        return null;
    }

    private JsonNode list(String target) throws IOException {
        Reply reply = get(target);
        assertEquals(200, reply.status(), reply.text());
        return reply.json();
    }

    private Reply get(String target) throws IOException {
        return exchange(gateway, ("GET " + target + " HTTP/1.1\r\nHost: x\r\nConnection: close\r\nAuthorization: OAuth2 "
                + ALICE_TOKEN + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
    }

    private Reply post(String type, String body) throws IOException {
        return send(gateway, ("POST /arvados/v1/job_tasks HTTP/1.1\r\nHost: x\r\nConnection: close\r\n"
                + "Authorization: OAuth2 " + ALICE_TOKEN + "\r\nContent-Type: " + type + "\r\nContent-Length: ")
                .getBytes(StandardCharsets.US_ASCII), body);
    }

    private static String encode(String text) {
        return java.net.URLEncoder.encode(text, StandardCharsets.UTF_8);
    }

    private static Reply send(Gateway gateway, byte[] headUpToLength, String body) throws IOException {
        byte[] content = body.getBytes(StandardCharsets.UTF_8);
        ByteArrayOutputStream wire = new ByteArrayOutputStream();
        wire.writeBytes(headUpToLength);
        wire.writeBytes((content.length + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
        wire.writeBytes(content);
        return exchange(gateway, wire.toByteArray());
    }

    /** A status and the body's bytes. */
    record Reply(int status, byte[] body) {
        String text() {
            return new String(body, StandardCharsets.UTF_8);
        }

        String shortText() {
            String text = text();
            return text.length() > 300 ? text.substring(0, 300) + "..." : text;
        }

        JsonNode json() throws IOException {
            return JSON.readTree(body);
        }
    }

    /**
     * Writes {@code request} on a new connection while reading the answer: the server may answer (413, 401) before
     * a large body is all sent, and then close; the writer's failure is expected then and ignored.
     */
    static Reply exchange(Gateway gateway, byte[] request) throws IOException {
        try (Socket socket = new Socket("127.0.0.1", gateway.port())) {
            socket.setSoTimeout(60_000);
            OutputStream out = socket.getOutputStream();
            CompletableFuture<Void> writing = CompletableFuture.runAsync(() -> {
                try {
                    out.write(request);
                    out.flush();
                } catch (IOException e) {
                    // answered and closed before the whole request was read: the answer is what is checked
                }
            });
            InputStream in = socket.getInputStream();
            String statusLine = GatewayLimitsTest.line(in);
            long length = -1;
            boolean chunked = false;
            for (String header = GatewayLimitsTest.line(in); !header.isEmpty(); header = GatewayLimitsTest.line(in)) {
                String lower = header.toLowerCase(java.util.Locale.ROOT);
                if (lower.startsWith("content-length:")) {
                    length = Long.parseLong(header.substring(15).strip());
                } else if (lower.startsWith("transfer-encoding:") && lower.contains("chunked")) {
                    chunked = true;
                }
            }
            byte[] body;
            if (chunked) {
                ByteArrayOutputStream all = new ByteArrayOutputStream();
                for (int size = Integer.parseInt(GatewayLimitsTest.line(in).split(";")[0].strip(), 16); size > 0;
                        size = Integer.parseInt(GatewayLimitsTest.line(in).split(";")[0].strip(), 16)) {
                    all.writeBytes(in.readNBytes(size));
                    GatewayLimitsTest.line(in);
                }
                body = all.toByteArray();
            } else {
                body = length >= 0 ? in.readNBytes((int) length) : in.readAllBytes();
            }
            writing.cancel(false);
            return new Reply(Integer.parseInt(statusLine.split(" ")[1]), body);
        }
    }
}
