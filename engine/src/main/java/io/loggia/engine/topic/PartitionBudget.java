package io.loggia.engine.topic;

/**
 * What the process can hold of more partitions: open files, memory mappings and heap, each checked before a
 * creation so that one past any of them is refused (POLICY_VIOLATION, nothing created) rather than failing the
 * broker part-way. A creation admitted holds its partitions until each is created (then the live count, the open
 * files and the mappings have it) or its job ends, so that jobs running side by side (one per topic) cannot each
 * pass against the same counts: soak run 14 took the open files to their limit that way, with two fuzzed topics
 * growing by thousands at once. Controller thread only.
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
     * Admit {@code partitions} more beside the {@code live} ones and those admitted and not yet created.
     *
     * @return null if admitted (give each back with {@link #release} once created, or when the job ends), else why
     * not (one line, counting the ones not yet created among the "more").
     */
    String admit(final long partitions, final long live, final long nowNs)
    {
        final long asked = partitions + admitted;
        String refusal = heap.check(asked, live);
        if (null == refusal)
        {
            refusal = openFiles.check(asked, nowNs);
        }
        if (null == refusal)
        {
            refusal = mappings.check(asked, nowNs);
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
