package io.loggia.engine.topic;

/**
 * Whether the heap can hold more partitions. Each partition keeps a few kilobytes of heap (its log, segment,
 * index and producer-state objects: 5.4 kB each measured with 5,000 partitions of one segment); a fuzzed topic
 * grown to 13,000 partitions ran a 256 MiB broker out of heap, and an {@code OutOfMemoryError} ends the process.
 * A creation past the budget is refused instead, before anything is created.
 * <pre>
 *   (live partitions + new partitions) x HEAP_PER_PARTITION  <=  max heap - max(64 MiB, max heap / 4)
 * </pre>
 * The per-partition figure leaves room for a few segments each. Controller thread only.
 */
final class HeapBudget
{
    static final long HEAP_PER_PARTITION = 8 * 1024;
    static final long MIN_RESERVE = 64L * 1024 * 1024;

    private final long maxHeap;
    private final long partitionLimit;

    HeapBudget(final long maxHeap)
    {
        this.maxHeap = maxHeap;
        this.partitionLimit = Math.max(0, maxHeap - Math.max(MIN_RESERVE, maxHeap / 4)) / HEAP_PER_PARTITION;
    }

    /** @return null if {@code partitions} more fit beside {@code live}, else why not (one line). */
    String check(final long partitions, final long live)
    {
        if (live + partitions <= partitionLimit)
        {
            return null;
        }
        return "The broker's heap (" + (maxHeap >> 20) + " MiB) holds at most " + partitionLimit +
            " partitions and " + live + " exist; raise the heap (LOGGIA_HEAP_OPTS=-Xmx...) or delete topics.";
    }

    long partitionLimit()
    {
        return partitionLimit;
    }
}
