package io.loggia.engine.producer;

import io.loggia.codec.record.BatchBuilder;
import io.loggia.codec.record.RecordBatch;
import io.loggia.engine.log.AppendInfo;
import io.loggia.engine.log.LogCodes;
import io.loggia.engine.log.LogConfig;
import io.loggia.engine.log.LogLoader;
import io.loggia.engine.log.PartitionLog;
import io.loggia.engine.log.RecoveryReport;
import org.agrona.concurrent.UnsafeBuffer;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Measures producer-state loading over a log of one million single-record batches (about 160 MiB, in the page
 * cache) from 10,000 producers: a full replay of the batch headers, a load from a snapshot at the log end, and a
 * snapshot write. Not a test (surefire skips it); run by hand:
 * <pre>
 *   java --add-exports=java.base/jdk.internal.misc=ALL-UNNAMED -cp &lt;engine test classpath&gt; \
 *       io.loggia.engine.producer.ProducerStateLoadMeasurement [runs]
 * </pre>
 */
public final class ProducerStateLoadMeasurement
{
    private static final int BATCHES = 1_000_000;
    private static final int PRODUCERS = 10_000;

    private ProducerStateLoadMeasurement()
    {
    }

    public static void main(final String[] args) throws IOException
    {
        final int runs = args.length > 0 ? Integer.parseInt(args[0]) : 3;
        final Path root = Files.createTempDirectory("producer-load");
        final TestPartition.Errors errors = new TestPartition.Errors();
        final LogConfig config = TestPartition.config(LogConfig.SEGMENT_BYTES, Integer.toString(64 * 1024 * 1024));
        final PartitionLog log = LogLoader.load(
            root, TestPartition.TP, config, false, 0, 0, Long.MAX_VALUE, 0, errors, new RecoveryReport());
        try
        {
            fill(log);
            System.out.printf("log: %d batches, %d segments, %d MiB%n",
                BATCHES, log.segments().length, log.sizeInBytes() >> 20);
            final Path noSnapshots = Files.createDirectory(root.resolve("no-snapshots"));
            for (int run = 0; run < runs; run++)
            {
                final ProducerLoadReport report = new ProducerLoadReport();
                final ProducerStateManager replayed =
                    ProducerStateManager.load(noSnapshots, log, Long.MAX_VALUE, 0, errors, report);
                System.out.printf("full replay: %.1f ms, %.0f ns per batch, %d producers%n",
                    report.loadNanos / 1e6, (double)report.loadNanos / report.batchesReplayed, report.producersLoaded);

                long snapshotNanos = Long.MAX_VALUE;
                for (int i = 0; i < 10; i++)
                {
                    final long start = System.nanoTime();
                    replayed.takeSnapshot(log.logEndOffset());
                    snapshotNanos = Math.min(snapshotNanos, System.nanoTime() - start);
                }
                final Path snapshot = ProducerSnapshotFile.file(noSnapshots, log.logEndOffset());
                final long bytes = Files.size(snapshot);
                System.out.printf("snapshot write (best of 10): %.1f ms, %d KiB%n", snapshotNanos / 1e6, bytes >> 10);

                final ProducerLoadReport fromSnapshot = new ProducerLoadReport();
                ProducerStateManager.load(noSnapshots, log, Long.MAX_VALUE, 0, errors, fromSnapshot);
                System.out.printf("load from the snapshot at the end: %.1f ms%n", fromSnapshot.loadNanos / 1e6);
                Files.delete(snapshot);
            }
        }
        finally
        {
            log.close();
            ProducerStateModelProperties.deleteRecursively(root);
        }
        if (!errors.seen.isEmpty())
        {
            throw new IllegalStateException(errors.seen.toString());
        }
    }

    /** One record of 100 bytes per batch, producers in turn; header fields patched (the log checks no CRC). */
    private static void fill(final PartitionLog log)
    {
        final UnsafeBuffer batch = new UnsafeBuffer(ByteBuffer.allocateDirect(512));
        final int size;
        try (BatchBuilder builder = new BatchBuilder())
        {
            size = builder.wrap(batch, 0).producer(0, (short)0, 0).append(1_000, null, new byte[100]).build();
        }
        final int[] sequences = new int[PRODUCERS];
        final AppendInfo info = new AppendInfo();
        for (int i = 0; i < BATCHES; i++)
        {
            final int producer = i % PRODUCERS;
            batch.putLong(RecordBatch.PRODUCER_ID_OFFSET, producer, ByteOrder.BIG_ENDIAN);
            batch.putInt(RecordBatch.BASE_SEQUENCE_OFFSET, sequences[producer]++, ByteOrder.BIG_ENDIAN);
            if (LogCodes.OK != log.append(batch, 0, size, 0, 0, info))
            {
                throw new IllegalStateException("append failed");
            }
        }
    }
}
