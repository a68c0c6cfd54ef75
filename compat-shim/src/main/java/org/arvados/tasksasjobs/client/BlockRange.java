package org.arvados.tasksasjobs.client;

/**
 * A run of bytes of one Keep block that belongs to a file.
 *
 * @param locator the block's locator as the manifest wrote it ({@code md5+size[+hints]})
 * @param offset  where the run starts inside the block
 * @param length  how many bytes
 */
public record BlockRange(String locator, long offset, long length) {
}
