package io.loggia.engine.writer;

import io.loggia.engine.partition.Partition;
import io.loggia.engine.partition.PartitionTable;
import org.agrona.ErrorHandler;
import org.agrona.collections.Int2ObjectHashMap;

import java.util.Arrays;

/**
 * The partitions one writer owns, found through the {@link PartitionTable}: a primitive map by id for the append
 * path and an array for the timers. New partitions are adopted when the table's version moves, or on the spot
 * when an append for one arrives first (its caller saw the table after the partition was published, and the
 * ring's acquire orders this writer's table lookup after the caller's).
 * <p>
 * Owned by the writer thread.
 */
final class OwnedPartitions
{
    private final int writerIndex;
    private final PartitionTable table;
    private final boolean gateSegments;
    private final ErrorHandler errorHandler;
    private final Int2ObjectHashMap<OwnedPartition> byId = new Int2ObjectHashMap<>();
    private OwnedPartition[] list = new OwnedPartition[16];
    private int count;
    private int tableVersion = -1;
    private boolean housekeeperWanted;

    OwnedPartitions(
        final int writerIndex, final PartitionTable table, final boolean gateSegments, final ErrorHandler errorHandler)
    {
        this.writerIndex = writerIndex;
        this.table = table;
        this.gateSegments = gateSegments;
        this.errorHandler = errorHandler;
    }

    /** Adopt the partitions published for this writer since the table version last seen; returns how many. */
    int adoptNew()
    {
        final int version = table.version();
        if (version == tableVersion)
        {
            return 0;
        }
        tableVersion = version;
        int adopted = 0;
        for (final Partition partition : table.partitions())
        {
            if (partition.writerIndex() == writerIndex && partition.isOpen() && null == byId.get(partition.id()))
            {
                adopt(partition);
                adopted++;
            }
        }
        return adopted;
    }

    /** The owned partition with this id, adopting it if it is published for this writer; null if neither. */
    OwnedPartition get(final int partitionId)
    {
        final OwnedPartition o = byId.get(partitionId);
        if (null != o)
        {
            return o;
        }
        final Partition partition = table.get(partitionId);
        if (null != partition && partition.writerIndex() == writerIndex && partition.isOpen())
        {
            return adopt(partition);
        }
        return null;
    }

    /** Owned already, without adopting; null if not. */
    OwnedPartition owned(final int partitionId)
    {
        return byId.get(partitionId);
    }

    /** Writer state for a partition this writer must close although it never adopted it. */
    OwnedPartition detached(final Partition partition)
    {
        return new OwnedPartition(partition, new IdempotenceCheck(partition.producerState(), errorHandler));
    }

    void remove(final OwnedPartition o)
    {
        byId.remove(o.partition.id());
        for (int i = 0; i < count; i++)
        {
            if (list[i] == o)
            {
                list[i] = list[--count];
                list[count] = null;
                break;
            }
        }
    }

    int count()
    {
        return count;
    }

    OwnedPartition at(final int index)
    {
        return list[index];
    }

    /** Publish the partition's active segment to the housekeeper if it changed (roll, truncation, retention). */
    void publishActive(final OwnedPartition o)
    {
        if (o.publishActive())
        {
            housekeeperWanted = true;
        }
    }

    void wantHousekeeper()
    {
        housekeeperWanted = true;
    }

    /** Whether anything asked for the housekeeper since the last call. */
    boolean takeHousekeeperWanted()
    {
        final boolean wanted = housekeeperWanted;
        housekeeperWanted = false;
        return wanted;
    }

    private OwnedPartition adopt(final Partition partition)
    {
        final OwnedPartition o = detached(partition);
        partition.log().gateNewSegments(gateSegments);
        byId.put(partition.id(), o);
        if (count == list.length)
        {
            list = Arrays.copyOf(list, count << 1);
        }
        list[count++] = o;
        publishActive(o);
        return o;
    }
}
