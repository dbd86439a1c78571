package io.loggia.engine.topic;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;

import static org.assertj.core.api.Assertions.assertThat;

class PartitionBudgetTest
{
    private static final long MIB = 1024 * 1024;

    @TempDir
    Path dir;

    @Test
    void theHeapHoldsWhatIsLeftAfterItsReserveAtEightKibibytesAPartition()
    {
        // 256 MiB: a quarter kept back; 64 MiB: the 64 MiB floor leaves nothing
        final HeapBudget heap = new HeapBudget(256 * MIB);
        assertThat(heap.partitionLimit()).isEqualTo(192 * MIB / HeapBudget.HEAP_PER_PARTITION);
        assertThat(heap.check(24_576 - 100, 100)).isNull();
        assertThat(heap.check(24_576 - 100, 101)).contains("heap (256 MiB) holds at most 24576 partitions");
        assertThat(new HeapBudget(64 * MIB).check(1, 0)).isNotNull();
    }

    @Test
    void mappingsCountTheProcessMapsAndThoseCreatedSinceAgainstTheLimitLessItsReserve() throws IOException
    {
        final Path limit = Files.writeString(dir.resolve("max_map_count"), "20000\n");
        final Path maps = Files.write(dir.resolve("maps"), Collections.nCopies(10_000, "7f00-7f01 r--p 0 0:0 0 x"));
        final MapCountBudget budget = new MapCountBudget(limit, maps);
        // 20,000 - 10,000 mapped - 2,000 reserve = 8,000 mappings = 2,666 partitions of 3
        assertThat(budget.check(2_666, 0)).isNull();
        assertThat(budget.check(2_667, 0)).contains("memory mappings").contains("vm.max_map_count");

        budget.created(1_000);
        assertThat(budget.check(1_666, 1)).isNull();
        assertThat(budget.check(1_667, 1)).isNotNull();

        // a second later the file is read again (the created partitions' mappings are in it now)
        Files.writeString(limit, "40000\n");
        assertThat(budget.check(6_666 + 1_000, MapCountBudget.REFRESH_NS + 1)).isNull();
    }

    @Test
    void thisMachinesOwnLimitIsReadWhole()
    {
        // Files.readString reads one byte of /proc/sys/vm/max_map_count on Java 17: the limit read as 6
        final String refusal = new MapCountBudget().check(Integer.MAX_VALUE / 3, 0);
        if (Files.exists(Path.of("/proc/sys/vm/max_map_count")))
        {
            assertThat(refusal).containsPattern(" of its [0-9]{4,} memory mappings");
        }
    }

    @Test
    void mappingsAreNoLimitWhereTheFilesAreMissing()
    {
        assertThat(new MapCountBudget(dir.resolve("none"), dir.resolve("none")).check(1_000_000, 0)).isNull();
    }

    @Test
    void partitionsAdmittedAndNotYetCreatedCountAgainstTheMappingsToo() throws IOException
    {
        // soak run 14: two topics growing by thousands at once each passed against the same open-file count
        final Path limit = Files.writeString(dir.resolve("max_map_count"), "20000\n");
        final Path maps = Files.write(dir.resolve("maps"), Collections.nCopies(10_000, "7f00-7f01 r--p 0 0:0 0 x"));
        final PartitionBudget budget = new PartitionBudget(new OpenFileBudget(), new MapCountBudget(limit, maps),
            new HeapBudget(1024 * MIB));

        assertThat(budget.admit(2_000, 0, 0)).isNull();
        assertThat(budget.admit(1_000, 0, 0)).contains("memory mappings");
        // created one by one: each leaves the admitted count and joins the mappings created since the last read
        budget.created(2_000);
        budget.release(2_000);
        assertThat(budget.admit(666, 2_000, 0)).isNull();
    }

    @Test
    void partitionsAdmittedForARunningJobCountUntilItIsReleased()
    {
        final PartitionBudget budget = new PartitionBudget(new OpenFileBudget(),
            new MapCountBudget(dir.resolve("none"), dir.resolve("none")), new HeapBudget(72 * MIB));
        final long limit = 8 * MIB / HeapBudget.HEAP_PER_PARTITION;

        assertThat(budget.admit(limit - 10, 0, 0)).isNull();
        // a job beside it on another topic sees the first job's partitions although none is live yet
        assertThat(budget.admit(20, 0, 0)).contains("heap");
        assertThat(budget.admit(10, 0, 0)).isNull();

        budget.release(limit - 10);
        budget.release(10);
        assertThat(budget.admit(limit, 0, 0)).isNull();
    }
}
