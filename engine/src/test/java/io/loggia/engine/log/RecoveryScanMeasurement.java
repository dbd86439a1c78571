package io.loggia.engine.log;

import io.loggia.codec.record.BatchBuilder;
import org.agrona.concurrent.UnsafeBuffer;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * Measures the unclean-shutdown scan of one 1 GiB active segment (16 KiB batches of 100-byte records, every
 * batch's CRC-32C checked), with the file in the page cache. Not a test (surefire skips it); run by hand:
 * <pre>
 *   java --add-exports=java.base/jdk.internal.misc=ALL-UNNAMED -cp &lt;engine test classpath&gt; \
 *       io.loggia.engine.log.RecoveryScanMeasurement [runs]
 * </pre>
 */
public final class RecoveryScanMeasurement
{
    private static final int SEGMENT_BYTES = 1024 * 1024 * 1024 + 64 * 1024;
    private static final long DATA_BYTES = 1024L * 1024 * 1024;

    private RecoveryScanMeasurement()
    {
    }

    public static void main(final String[] args) throws IOException
    {
        final int runs = args.length > 0 ? Integer.parseInt(args[0]) : 3;
        final Path root = Files.createTempDirectory("recovery-scan");
        try
        {
            final LogConfig config = LogConfigParser.parseTopic(
                Map.of(LogConfig.SEGMENT_BYTES, Integer.toString(SEGMENT_BYTES)), LogConfig.DEFAULTS).config();
            final TestLogs.Errors errors = new TestLogs.Errors();
            final PartitionLog log = TestLogs.open(root, config, errors);
            final UnsafeBuffer batch = new UnsafeBuffer(ByteBuffer.allocateDirect(32 * 1024));
            final int size;
            try (BatchBuilder builder = new BatchBuilder())
            {
                builder.wrap(batch, 0);
                final byte[] value = new byte[90];
                long timestamp = 1_700_000_000_000L;
                while (builder.uncompressedSizeInBytes() + 100 <= 16 * 1024)
                {
                    builder.append(timestamp++, null, value);
                }
                size = builder.build();
            }
            final AppendInfo info = new AppendInfo();
            while (log.activeSegment().size() + size <= DATA_BYTES)
            {
                if (LogCodes.OK != log.append(batch, 0, size, 0, 0, info))
                {
                    throw new IllegalStateException("append failed");
                }
            }
            final int segments = log.segments().length;
            log.close();
            System.out.printf("wrote %d bytes in %d segment(s), %d batches of %d bytes%n",
                log.activeSegment().size(), segments, info.lastOffset / (info.lastOffset - info.firstOffset + 1) + 1, size);

            for (int run = 0; run < runs; run++)
            {
                final RecoveryReport report = new RecoveryReport();
                final long start = System.nanoTime();
                final PartitionLog recovered = LogLoader.load(
                    root, TestLogs.TP, config, false, 0, 0, 0, 0, errors, report);
                final long loadNanos = System.nanoTime() - start;
                System.out.printf("run %d: scanned %d bytes in %.1f ms = %.2f GB/s (whole load incl. index rebuild %.1f ms)%n",
                    run, report.bytesScanned, report.scanNanos / 1e6, report.bytesScanned / (double)report.scanNanos,
                    loadNanos / 1e6);
                System.out.println("  " + report);
                recovered.close();
            }
            if (!errors.seen.isEmpty())
            {
                throw new IllegalStateException(errors.seen.get(0));
            }
        }
        finally
        {
            TestLogs.deleteRecursively(root);
        }
    }
}
