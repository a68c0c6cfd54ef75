package org.arvados.tasksasjobs.seed;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.arvados.tasksasjobs.seed.Draws.Purpose;
import org.arvados.tasksasjobs.seed.Draws.Space;

/**
 * The small fixed world a seed's jobs are drawn from: one cluster, a handful of users and API clients, the crunch
 * scripts of docs/arvados.md §6 with a few commits each, docker images, SDK versions and reference genomes; plus how Keep
 * texts (portable data hashes, block locators, manifests) look.
 */
final class Catalog {

    static final String CLUSTER = "zzzzz";

    /** A crunch script, the repository it lives in, and the commits jobs ran it at (oldest first). */
    record Script(String name, String repository, List<String> commits) {
    }

    final List<Script> scripts;
    final List<String> users;
    final List<String> clients;
    final String dispatcher;
    final List<String> images;
    final List<String> sdkVersions;
    final List<String> references;

    Catalog(Draws draws) {
        SplittableRandom r = draws.stream(Purpose.CATALOG, 0);
        List<Script> s = new ArrayList<>();
        String[][] names = {
            {"hash", "active/foo"}, {"grep", "active/foo"}, {"run-command", "arvados"},
            {"bwa-align", "active/genomics"}, {"count-lines", "active/bar"}};
        for (String[] n : names) {
            s.add(new Script(n[0], n[1], List.of(Draws.hex(r, 40), Draws.hex(r, 40), Draws.hex(r, 40))));
        }
        this.scripts = List.copyOf(s);
        this.users = uuids(draws, Space.USER, "tpzed", 6);
        this.clients = uuids(draws, Space.CLIENT, "ozdt8", 3);
        this.dispatcher = CLUSTER + "-tpzed-" + draws.tail(Space.DISPATCHER, 0);
        this.images = List.of(pdh(r), pdh(r), pdh(r));
        this.sdkVersions = List.of(Draws.hex(r, 40), Draws.hex(r, 40));
        this.references = List.of(pdh(r), pdh(r));
    }

    private static List<String> uuids(Draws draws, Space space, String infix, int n) {
        List<String> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            out.add(CLUSTER + "-" + infix + "-" + draws.tail(space, i));
        }
        return List.copyOf(out);
    }

    /** A collection's portable data hash: md5 of its manifest + '+' + the manifest's length. */
    static String pdh(SplittableRandom r) {
        return Draws.hex(r, 32) + "+" + (45 + r.nextInt(4_000));
    }

    /** A Keep block locator with a size and a cluster hint, as crunch stored an output too large to inline. */
    static String locator(SplittableRandom r) {
        return Draws.hex(r, 32) + "+" + (1_000 + r.nextInt(60_000_000)) + "+K@" + CLUSTER;
    }

    /** A one-file manifest text: {@code . <md5>+<size> 0:<size>:<name>\n}. */
    static String manifest(SplittableRandom r, String fileName) {
        int size = 1 + r.nextInt(50_000_000);
        return ". " + Draws.hex(r, 32) + "+" + size + " 0:" + size + ":" + fileName + "\n";
    }

    /** A manifest of several files in two streams, always longer than 255 bytes. */
    static String longManifest(SplittableRandom r, String baseName) {
        StringBuilder sb = new StringBuilder(512);
        for (String stream : new String[] {".", "./" + baseName + "_parts"}) {
            sb.append(stream);
            int files = 3 + r.nextInt(3);
            int[] sizes = new int[files];
            for (int i = 0; i < files; i++) {
                sizes[i] = 1 + r.nextInt(64_000_000);
                sb.append(' ').append(Draws.hex(r, 32)).append('+').append(sizes[i]);
            }
            long offset = 0;
            for (int i = 0; i < files; i++) {
                sb.append(' ').append(offset).append(':').append(sizes[i]).append(':').append(baseName).append(".part").append(i);
                offset += sizes[i];
            }
            sb.append('\n');
        }
        return sb.toString();
    }
}
