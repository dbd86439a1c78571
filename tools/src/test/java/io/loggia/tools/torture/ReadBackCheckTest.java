package io.loggia.tools.torture;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class ReadBackCheckTest
{
    private final AckLog ackLog = new AckLog(1);
    private final Payloads payloads = new Payloads(99, 64);
    private final ReadBackCheck check = new ReadBackCheck(ackLog, payloads);

    /** Sequences 0..count-1 sent; those in {@code acked} acknowledged at offset = sequence. */
    private void sent(final int count, final int... acked)
    {
        for (int i = 0; i < count; i++)
        {
            ackLog.register(0);
        }
        for (final int sequence : acked)
        {
            ackLog.acknowledged(0, sequence, sequence);
        }
    }

    private void read(final long... sequences)
    {
        check.begin();
        check.beginPartition(0, 0);
        for (int offset = 0; offset < sequences.length; offset++)
        {
            final long sequence = sequences[offset];
            check.onRecord(offset, payloads.key(0, sequence), payloads.value(0, sequence));
        }
        check.endPartition(sequences.length);
    }

    @Test
    void theLogAsAcknowledgedPasses()
    {
        sent(4, 0, 1, 2);
        read(0, 1, 2, 3);
        assertThat(check.violations()).isZero();
        assertThat(check.records).isEqualTo(4);
        assertThat(check.unacknowledgedPresent).isEqualTo(1);
    }

    @Test
    void anUnacknowledgedRecordMayBeMissing()
    {
        sent(3, 0, 1);
        read(0, 1);
        assertThat(check.violations()).isZero();
    }

    @Test
    void aMissingAcknowledgedRecordIsLost()
    {
        sent(3, 0, 1, 2);
        read(0, 1);
        assertThat(check.lost).isEqualTo(1);
        assertThat(check.everLost()).isEqualTo(1);
        read(0, 1);
        assertThat(check.everLost()).as("the same record lost twice counts once").isEqualTo(1);
        assertThat(check.examples()).anyMatch(line -> line.contains("sequence 2 acknowledged at offset 2 is gone"));
    }

    @Test
    void aRecordStoredTwiceIsDuplicatedAndMovesWhatFollows()
    {
        sent(3, 0, 1, 2);
        read(0, 1, 1, 2);
        assertThat(check.duplicated).isEqualTo(1);
        assertThat(check.misplaced).as("sequence 2 acknowledged at 2, found at 3").isEqualTo(1);
    }

    @Test
    void anUnacknowledgedRecordStoredTwiceIsDuplicatedToo()
    {
        sent(2, 0);
        read(0, 1, 1);
        assertThat(check.duplicated).isEqualTo(1);
    }

    @Test
    void sequencesOutOfOrderAreReported()
    {
        sent(3);
        read(0, 2, 1);
        assertThat(check.outOfOrder).isEqualTo(1);
    }

    @Test
    void aCorruptRecordAndAGapAreReported()
    {
        sent(3, 0, 1, 2);
        check.begin();
        check.beginPartition(0, 0);
        check.onRecord(0, payloads.key(0, 0), payloads.value(0, 0));
        final byte[] garbled = payloads.value(0, 1);
        garbled[garbled.length - 1] ^= 1;
        check.onRecord(1, payloads.key(0, 1), garbled);
        check.onRecord(3, payloads.key(0, 2), payloads.value(0, 2));
        check.endPartition(4);
        assertThat(check.corrupt).isEqualTo(1);
        assertThat(check.gaps).isEqualTo(1);
        assertThat(check.misplaced).isEqualTo(1);
        assertThat(check.lost).as("sequence 1's record is corrupt, so it is not there").isEqualTo(1);
    }

    @Test
    void aReadThatStopsShortIsAGap()
    {
        sent(2, 0, 1);
        check.begin();
        check.beginPartition(0, 0);
        check.onRecord(0, payloads.key(0, 0), payloads.value(0, 0));
        check.endPartition(2);
        assertThat(check.gaps).isEqualTo(1);
        assertThat(check.lost).isEqualTo(1);
    }
}
