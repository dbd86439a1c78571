package io.loggia.engine.topic;

/**
 * What the process can hold of more partitions: open files, memory mappings and heap, each checked before a
 * creation so that one past any of them is refused (POLICY_VIOLATION, nothing created) rather than failing the
 * broker part-way. A creation admitted holds its partitions until its job ends, so that jobs running side by side
 * (one per topic) cannot each pass against the same live count; a partition is counted twice while its job runs.
 * Controller thread only.
 */
final class PartitionBudget
{
    private final OpenFileBudget openFiles;
    private final MapCountBudget mappings;
    private final HeapBudget heap;

    private long admitted;

    PartitionBudget()
    {
        this(new OpenFileBudget(), new MapCountBudget(), new HeapBudget(Runtime.getRuntime().maxMemory()));
    }

    PartitionBudget(final OpenFileBudget openFiles, final MapCountBudget mappings, final HeapBudget heap)
    {
        this.openFiles = openFiles;
        this.mappings = mappings;
        this.heap = heap;
    }

    /**
     * Admit {@code partitions} more beside the {@code live} ones and those of jobs still running.
     *
     * @return null if admitted (give them back with {@link #release} when the job ends), else why not (one line).
     */
    String admit(final long partitions, final long live, final long nowNs)
    {
        String refusal = heap.check(partitions, live + admitted);
        if (null == refusal)
        {
            refusal = openFiles.check(partitions, nowNs);
        }
        if (null == refusal)
        {
            refusal = mappings.check(partitions, nowNs);
        }
        if (null == refusal)
        {
            admitted += partitions;
        }
        return refusal;
    }

    void release(final long partitions)
    {
        admitted -= partitions;
    }

    void created(final int partitions)
    {
        openFiles.created(partitions);
        mappings.created(partitions);
    }
}
