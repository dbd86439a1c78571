package io.loggia.engine.housekeeping;

import io.loggia.engine.Engine;
import io.loggia.engine.EngineConfig;
import io.loggia.engine.EngineListener;
import io.loggia.engine.EngineThreads;
import io.loggia.engine.log.LogConfig;
import io.loggia.engine.partition.Partition;
import io.loggia.engine.writer.AppendProxy;
import io.loggia.engine.writer.Caller;
import io.loggia.engine.writer.KafkaErrors;
import io.loggia.engine.writer.TestBatches;
import org.agrona.concurrent.SystemEpochClock;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Real writer and housekeeper threads with native calls off, so the housekeeper pre-touches each active segment's
 * pages from Java, and segments small enough to roll a few hundred times a second. A roll used to cut the old
 * segment's file while the housekeeper was touching its tail: a SIGBUS, which the JVM raises as an InternalError
 * in the housekeeper and the engine reports as an error.
 */
class RollUnderPreTouchTest
{
    private static final int SEGMENT_BYTES = 1024 * 1024;
    private static final int ROLLS = 150;
    private static final long DEADLINE_NS = TimeUnit.SECONDS.toNanos(60);

    @TempDir
    Path logDir;

    @Test
    void rollsWhileTheHousekeeperTouchesAheadRaiseNoFault() throws Exception
    {
        final TestBatches.Errors errors = new TestBatches.Errors();
        final Engine engine = Engine.open(new EngineConfig()
            .logDir(logDir)
            .housekeeperNative(false)
            .segmentPrepareBytes(SEGMENT_BYTES)
            .segmentPrepareChunkBytes(4096)
            .logDefaults(TestBatches.config(LogConfig.SEGMENT_BYTES, Integer.toString(SEGMENT_BYTES))),
            errors, new EngineListener()
            {
            }, SystemEpochClock.INSTANCE);
        final Partition partition = engine.createPartition("rolling", null, 0, null).partition();
        final EngineThreads threads = EngineThreads.start(engine, errors);
        try
        {
            final Thread self = Thread.currentThread();
            final Caller caller = engine.registerCaller(() -> LockSupport.unpark(self));
            final AppendProxy proxy = caller.appendProxy();
            final UnsafeBuffer batch = TestBatches.batch(1, 120 * 1024, System.currentTimeMillis(), 1);
            final long deadline = System.nanoTime() + DEADLINE_NS;
            final int[] inFlight = new int[1];
            final int[] failed = new int[1];
            int correlation = 0;
            while (partition.log().segments().length < ROLLS && errors.seen.isEmpty())
            {
                if (inFlight[0] < 16 && AppendProxy.OFFERED == proxy.offer(
                    partition.writerIndex(), correlation, partition.id(), (short)1, batch, 0, batch.capacity()))
                {
                    correlation++;
                    inFlight[0]++;
                    proxy.wakeWriters();
                }
                final int polled = caller.completionAdapter().poll(
                    (c, partitionId, errorCode, baseOffset, appendTime, start) ->
                    {
                        inFlight[0]--;
                        if (KafkaErrors.NONE != errorCode)
                        {
                            failed[0]++;
                        }
                    }, Integer.MAX_VALUE);
                if (0 == polled && inFlight[0] >= 16)
                {
                    LockSupport.parkNanos(50_000);
                }
                assertThat(System.nanoTime() - deadline).as("rolled " + partition.log().segments().length).isNegative();
            }
            assertThat(failed[0]).isZero();
        }
        finally
        {
            threads.close();
        }
        assertThat(errors.seen).isEmpty();
    }
}
