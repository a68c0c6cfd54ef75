package org.arvados.tasksasjobs.client;

import java.io.IOException;

/** Gives the bytes of a Keep block by its locator ({@code md5+size[+hints]}); {@link LocalKeep} is one. */
@FunctionalInterface
public interface BlockReader {

    /** The whole block the locator names. */
    byte[] get(String locator) throws IOException;
}
