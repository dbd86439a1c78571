package io.loggia.engine.log;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A prepared next segment when its log goes: a delete leaves the file to the directory's deletion (unlinking it
 * on the writer's thread cost milliseconds per partition), a close deletes it.
 */
class AbandonPreparedTest
{
    private static final LogConfig CONFIG = TestLogs.config(LogConfig.SEGMENT_BYTES, Integer.toString(1024 * 1024));

    @TempDir
    Path logDir;

    private final TestLogs.Errors errors = new TestLogs.Errors();

    @AfterEach
    void noErrors()
    {
        assertThat(errors.seen).isEmpty();
    }

    @Test
    void abandonReleasesThePreparedFileAndLeavesItForTheDirectoryDeletion() throws IOException
    {
        final PartitionLog log = TestLogs.open(logDir, CONFIG, errors);
        final PreparedSegment next = offerPrepared(log);

        log.abandon();
        assertThat(log.releaseRetired()).isTrue();
        assertThat(log.hasPrepared()).isFalse();
        assertThat(Files.exists(next.file())).isTrue();

        TestLogs.deleteRecursively(log.dir());
        assertThat(Files.exists(log.dir())).isFalse();
    }

    @Test
    void closeDeletesThePreparedFile() throws IOException
    {
        final PartitionLog log = TestLogs.open(logDir, CONFIG, errors);
        final PreparedSegment next = offerPrepared(log);

        log.close();
        assertThat(Files.exists(next.file())).isFalse();
    }

    private static PreparedSegment offerPrepared(final PartitionLog log) throws IOException
    {
        final PreparedSegment next = PreparedSegment.create(log.dir(), 7, CONFIG);
        log.offerPrepared(next);
        assertThat(log.hasPrepared()).isTrue();
        return next;
    }
}
