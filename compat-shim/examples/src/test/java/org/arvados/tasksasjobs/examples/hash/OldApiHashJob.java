package org.arvados.tasksasjobs.examples.hash;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import org.arvados.tasksasjobs.client.CollectionPath;
import org.arvados.tasksasjobs.client.LocalKeep;
import org.arvados.tasksasjobs.client.Manifest;
import org.arvados.tasksasjobs.client.ManifestFile;

/**
 * A hash job run the old way, by a plain HTTP client against the gateway's {@code job_tasks} endpoint: the
 * requests crunch-job and the Python {@code hash} script (with the SDK's one_task_per_input_file) sent to the
 * API server (docs/arvados.md §6-7), including task 0 and every child reading the job's record for its
 * parameters. No client library, no task header: an old script sends neither.
 */
final class OldApiHashJob {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private final URI base;
    private final String token;
    private final LocalKeep keep;

    OldApiHashJob(int port, String token, LocalKeep keep) {
        this.base = URI.create("http://127.0.0.1:" + port + "/arvados/v1/");
        this.token = token;
        this.keep = keep;
    }

    /** Runs the whole job; returns the uuids of the tasks, task 0 first. */
    List<String> run(String job) throws Exception {
        List<String> tasks = new ArrayList<>();
        // crunch-job: the job's first task.
        String task0 = send("POST", "job_tasks", "{\"job_task\": {\"job_uuid\": \"" + job
                + "\", \"sequence\": 0, \"parameters\": {}}}").get("uuid").asText();
        tasks.add(task0);
        // task 0: one_task_per_input_file(if_sequence=0, and_end_task=True, input_as_path=True)
        send("GET", "job_tasks/" + task0, null);
        String input = send("GET", "jobs/" + job, null).get("script_parameters").get("input").asText();
        List<ManifestFile> files = new ArrayList<>(Manifest.parse(keep.readManifest(input)).files());
        // The SDK's normalized order: streams by name, then files by name.
        files.sort(Comparator.comparing(ManifestFile::stream).thenComparing(ManifestFile::name));
        for (ManifestFile file : files) {
            ObjectNode task = JSON.createObjectNode();
            task.put("job_uuid", job);
            task.put("created_by_job_task_uuid", task0);
            task.put("sequence", 1);
            task.putObject("parameters").put("input", input + "/" + file.path()); // os.path.join(pdh, stream, name)
            ObjectNode body = JSON.createObjectNode();
            body.set("job_task", task);
            send("POST", "job_tasks", body.toString());
        }
        send("PUT", "job_tasks/" + task0, "{\"job_task\": {\"success\": true}}");

        // crunch-job: the tasks created by successful tasks, in queue order.
        ArrayNode filters = JSON.createArrayNode();
        filters.addArray().add("job_uuid").add("=").add(job);
        filters.addArray().add("created_by_job_task_uuid").add("in").addArray().add(task0);
        JsonNode list = send("GET", "job_tasks?filters=" + encode(filters.toString()) + "&order="
                + encode("[\"qsequence asc\"]"), null);
        for (JsonNode child : list.get("items")) {
            tasks.add(child.get("uuid").asText());
            runChild(job, child.get("uuid").asText());
        }
        return tasks;
    }

    /** The hash script as a child task ran it: its task, its job's algorithm, its file, set_output. */
    private void runChild(String job, String uuid) throws Exception {
        JsonNode task = send("GET", "job_tasks/" + uuid, null);
        String path = task.get("parameters").get("input").asText();
        JsonNode parameters = send("GET", "jobs/" + job, null).get("script_parameters");
        String algorithm = parameters.has("algorithm") ? parameters.get("algorithm").asText() : "md5";
        CollectionPath input = CollectionPath.parse(path);
        byte[] content = Manifest.parse(keep.readManifest(input.portableDataHash())).find(input.path()).orElseThrow()
                .read(keep);
        MessageDigest digest = MessageDigest.getInstance(algorithm.equals("md5") ? "MD5" : algorithm);
        byte[] line = (HexFormat.of().formatHex(digest.digest(content)) + " " + path + "\n")
                .getBytes(StandardCharsets.UTF_8);
        ObjectNode update = JSON.createObjectNode();
        update.putObject("job_task").put("output", keep.putFile("md5sum.txt", line)).put("success", true)
                .put("progress", 1.0);
        send("PUT", "job_tasks/" + uuid, update.toString());
    }

    JsonNode send(String method, String path, String body) throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(base.resolve(path))
                .header("Authorization", "OAuth2 " + token)
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8));
        if (body != null) {
            request.header("Content-Type", "application/json");
        }
        HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        if (response.statusCode() != 200) {
            throw new IOException(method + " " + path + " answered " + response.statusCode() + ": " + response.body());
        }
        return JSON.readTree(response.body());
    }

    private static String encode(String text) {
        return URLEncoder.encode(text, StandardCharsets.UTF_8);
    }
}
