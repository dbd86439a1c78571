package io.loggia.engine.writer;

import io.loggia.engine.partition.Partition;

import java.nio.file.Path;

/**
 * Where a writer hands the renamed directory of a deleted partition ({@code <topic>-<p>.<uuid>-delete}), so that
 * unlinking its files, which can take a while for large segments, happens off the writer's thread.
 */
@FunctionalInterface
public interface DirectoryDeletion
{
    /**
     * Called from a writer thread. The callback runs once the directory is gone (or could not be removed).
     *
     * @return false if the request could not be queued; the writer then deletes the directory itself.
     */
    boolean offer(Path directory, Partition partition, CommandCallback callback);
}
