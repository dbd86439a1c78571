package io.loggia.engine.log;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The reader grace, deterministically: a thread held inside a read keeps the segments of a closed, abandoned or
 * retention-trimmed log mapped until it leaves; a thread that enters after the segments left the array, or one
 * that was outside, holds nothing up.
 */
class ReaderGraceTest
{
    @TempDir
    Path logDir;

    @Test
    void aGraceWaitsForTheReadersInsideWhenItStartedOnly() throws Exception
    {
        try (HeldReader inside = new HeldReader())
        {
            final ReaderGrace grace = LogReaders.startGrace();
            assertThat(grace.hasPassed()).isFalse();
            try (HeldReader later = new HeldReader())
            {
                assertThat(grace.hasPassed()).isFalse();
                inside.release();
                assertThat(grace.hasPassed()).isTrue();
            }
        }
        assertThat(LogReaders.startGrace().hasPassed()).isTrue();
    }

    @Test
    void aReadAgainAfterLeavingCountsAsLeft() throws Exception
    {
        final ReaderSlot slot = LogReaders.slot();
        slot.enter();
        final ReaderGrace grace = LogReaders.startGrace();
        assertThat(grace.hasPassed()).isFalse();
        slot.exit();
        slot.enter();
        try
        {
            // the second read loaded the segments array after they left it
            assertThat(grace.hasPassed()).isTrue();
        }
        finally
        {
            slot.exit();
        }
    }

    @Test
    void aClosedLogStaysMappedWhileAReaderIsInside() throws Exception
    {
        final PartitionLog log = logWithData();
        final LogSegment segment = log.segments()[0];
        try (HeldReader reader = new HeldReader())
        {
            log.close();
            assertThat(log.segments()).isEmpty();
            assertThat(log.releaseRetired()).isFalse();
            assertThat(segment.channel().isOpen()).isTrue();
            assertThat(segment.buffer().capacity()).isPositive();
            reader.release();
            assertThat(log.releaseRetired()).isTrue();
            assertThat(segment.channel().isOpen()).isFalse();
        }
    }

    @Test
    void anAbandonedLogStaysMappedWhileAReaderIsInside() throws Exception
    {
        final PartitionLog log = logWithData();
        final LogSegment segment = log.segments()[0];
        try (HeldReader reader = new HeldReader())
        {
            log.abandon();
            assertThat(log.releaseRetired()).isFalse();
            assertThat(segment.channel().isOpen()).isTrue();
            reader.release();
            assertThat(log.releaseRetired()).isTrue();
            assertThat(segment.channel().isOpen()).isFalse();
        }
    }

    @Test
    void aClosedLogWithoutReadersInsideIsReleasedAtOnce() throws Exception
    {
        final PartitionLog log = logWithData();
        final LogSegment segment = log.segments()[0];
        log.close();
        assertThat(segment.channel().isOpen()).isFalse();
        assertThat(log.releaseRetired()).isTrue();
    }

    @Test
    void aDeletedSegmentWaitsForItsDelayAndForTheReadersInside() throws Exception
    {
        final PartitionLog log = TestLogs.open(logDir, TestLogs.config(
            LogConfig.SEGMENT_BYTES, "4096", LogConfig.FILE_DELETE_DELAY_MS, "0"), new TestLogs.Errors());
        final LogFixture fixture = new LogFixture(new Random(7));
        fixture.appendRandom(log, 40, 1_000);
        assertThat(log.segments().length).isGreaterThan(2);
        log.advanceHighWatermark(log.logEndOffset());
        final LogSegment first = log.segments()[0];
        try (HeldReader reader = new HeldReader())
        {
            assertThat(log.deleteRecordsBefore(log.segments()[1].baseOffset(), 0)).isEqualTo(LogCodes.OK);
            assertThat(log.pendingDeleteCount()).isEqualTo(1);
            assertThat(log.processDelayedDeletes(1)).isZero();
            assertThat(first.channel().isOpen()).isTrue();
            reader.release();
            assertThat(log.processDelayedDeletes(1)).isEqualTo(1);
            assertThat(first.channel().isOpen()).isFalse();
        }
        log.close();
    }

    private PartitionLog logWithData() throws Exception
    {
        final PartitionLog log = TestLogs.open(logDir, TestLogs.config(), new TestLogs.Errors());
        new LogFixture(new Random(3)).appendRandom(log, 20, 1_000);
        return log;
    }

    /** A thread held inside a read (its slot entered) until released. */
    private static final class HeldReader implements AutoCloseable
    {
        private final CountDownLatch entered = new CountDownLatch(1);
        private final CountDownLatch leave = new CountDownLatch(1);
        private final Thread thread;

        HeldReader() throws InterruptedException
        {
            thread = new Thread(() ->
            {
                final ReaderSlot slot = LogReaders.slot();
                slot.enter();
                entered.countDown();
                try
                {
                    leave.await(30, TimeUnit.SECONDS);
                }
                catch (final InterruptedException ignore)
                {
                    Thread.currentThread().interrupt();
                }
                finally
                {
                    slot.exit();
                }
            }, "held-reader");
            thread.start();
            assertThat(entered.await(30, TimeUnit.SECONDS)).isTrue();
        }

        /** Leave the read and wait until the thread is gone. */
        void release() throws InterruptedException
        {
            leave.countDown();
            thread.join(TimeUnit.SECONDS.toMillis(30));
            assertThat(thread.isAlive()).isFalse();
        }

        public void close() throws InterruptedException
        {
            release();
        }
    }
}
