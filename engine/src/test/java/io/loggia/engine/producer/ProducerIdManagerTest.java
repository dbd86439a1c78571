package io.loggia.engine.producer;

import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.HashSet;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Producer ids come from blocks persisted before use: no id is handed out twice, whatever happens between
 * restarts, and the block file's damage stops the broker instead of risking a reuse.
 */
class ProducerIdManagerTest
{
    @TempDir
    Path logDir;

    private final TestPartition.Errors errors = new TestPartition.Errors();

    @Test
    void idsAreConsecutiveAndTheBlockIsPersistedFirst() throws IOException
    {
        final ProducerIdManager ids = ProducerIdManager.open(logDir, errors);
        assertThat(Files.exists(logDir.resolve(ProducerIdManager.FILE_NAME))).as("nothing written before use")
            .isFalse();
        for (long expected = 0; expected < 2_500; expected++)
        {
            assertThat(ids.nextProducerId()).isEqualTo(expected);
            assertThat(ids.reservedUpTo()).isGreaterThan(expected);
            assertThat(persisted()).as("persisted before id %d", expected).isEqualTo(ids.reservedUpTo());
        }
        assertThat(ids.reservedUpTo()).isEqualTo(3_000);
        assertThat(errors.seen).isEmpty();
    }

    @Test
    void idsAreNeverReusedAcrossReopens() throws IOException
    {
        final Set<Long> seen = new HashSet<>();
        for (int restart = 0; restart < 20; restart++)
        {
            final ProducerIdManager ids = ProducerIdManager.open(logDir, 7, errors);
            for (int i = 0; i < restart % 9; i++)
            {
                final long id = ids.nextProducerId();
                assertThat(id).isNotNegative();
                assertThat(seen.add(id)).as("id %d handed out twice", id).isTrue();
            }
        }
        assertThat(errors.seen).isEmpty();
    }

    @Test
    void crashBetweenPersistingABlockAndUsingItSkipsTheBlock() throws IOException
    {
        final ProducerIdManager ids = ProducerIdManager.open(logDir, 10, errors);
        for (int i = 0; i < 10; i++)
        {
            ids.nextProducerId();
        }
        // the 11th id needs block [10, 20): the file says 20 before the id is returned; the crash comes right after
        final Path file = logDir.resolve(ProducerIdManager.FILE_NAME);
        final Path crashed = Files.createDirectory(logDir.resolve("crashed"));
        assertThat(ids.nextProducerId()).isEqualTo(10);
        Files.copy(file, crashed.resolve(ProducerIdManager.FILE_NAME));
        assertThat(ProducerIdManager.open(crashed, 10, errors).nextProducerId()).isEqualTo(20);
    }

    @Test
    void crashDuringABlockWriteKeepsTheOldBlockEnd() throws IOException
    {
        final ProducerIdManager ids = ProducerIdManager.open(logDir, 10, errors);
        long last = -1;
        for (int i = 0; i < 10; i++)
        {
            last = ids.nextProducerId();
        }
        // the write of block [10, 20) died before its rename: the temporary file holds it, the file still says 10
        final Path file = logDir.resolve(ProducerIdManager.FILE_NAME);
        final Path tmp = logDir.resolve(ProducerIdManager.FILE_NAME + ".tmp");
        Files.copy(file, tmp);
        Files.write(tmp, new byte[]{ 1, 2, 3 }, StandardOpenOption.APPEND);

        final ProducerIdManager reopened = ProducerIdManager.open(logDir, 10, errors);
        assertThat(Files.exists(tmp)).isFalse();
        assertThat(reopened.nextProducerId()).isEqualTo(last + 1);
    }

    @Test
    void damagedBlockFileRefusesToOpen() throws IOException
    {
        final ProducerIdManager ids = ProducerIdManager.open(logDir, errors);
        ids.nextProducerId();
        final Path file = logDir.resolve(ProducerIdManager.FILE_NAME);
        final byte[] good = Files.readAllBytes(file);
        for (int i = 0; i < good.length; i++)
        {
            final byte[] bad = good.clone();
            bad[i] ^= 0x10;
            Files.write(file, bad);
            assertThatThrownBy(() -> ProducerIdManager.open(logDir, errors)).as("byte %d", i)
                .isInstanceOf(IOException.class);
        }
        Files.write(file, new byte[0]);
        assertThatThrownBy(() -> ProducerIdManager.open(logDir, errors)).isInstanceOf(IOException.class);
        Files.write(file, good);
        assertThat(ProducerIdManager.open(logDir, errors).nextProducerId()).isEqualTo(1000);
    }

    @Test
    void failedBlockWriteHandsOutNothing() throws IOException
    {
        final ProducerIdManager ids = ProducerIdManager.open(logDir, 5, errors);
        for (int i = 0; i < 5; i++)
        {
            ids.nextProducerId();
        }
        // a directory where the temporary file must go makes the next block write fail
        final Path blocker = Files.createDirectories(logDir.resolve(ProducerIdManager.FILE_NAME + ".tmp/x"));
        assertThat(ids.nextProducerId()).isEqualTo(ProducerIdManager.NO_PRODUCER_ID);
        assertThat(errors.seen).hasSize(1);
        assertThat(persisted()).isEqualTo(5);

        Files.delete(blocker);
        Files.delete(blocker.getParent());
        assertThat(ids.nextProducerId()).isEqualTo(5);
        assertThat(persisted()).isEqualTo(10);
    }

    private long persisted() throws IOException
    {
        final byte[] bytes = Files.readAllBytes(logDir.resolve(ProducerIdManager.FILE_NAME));
        return ProducerIdManager.validate(new UnsafeBuffer(bytes), bytes.length);
    }
}
