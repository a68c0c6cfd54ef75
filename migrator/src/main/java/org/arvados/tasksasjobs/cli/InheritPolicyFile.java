package org.arvados.tasksasjobs.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.arvados.tasksasjobs.mapping.InheritPolicy;

/** Reads {@code --inherit-policy FILE} for every command that takes it; no file means every key is inherited. */
final class InheritPolicyFile {

    private InheritPolicyFile() {
    }

    static InheritPolicy read(Path file) {
        if (file == null) {
            return InheritPolicy.ALL;
        }
        try {
            return InheritPolicy.parse(Files.readString(file));
        } catch (IOException e) {
            throw MigratorException.usage("cannot read --inherit-policy " + file + ": " + e.getMessage());
        } catch (IllegalArgumentException e) {
            throw MigratorException.usage("--inherit-policy " + file + ": " + e.getMessage());
        }
    }
}
