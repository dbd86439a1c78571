package io.loggia.tools.torture;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class PayloadsTest
{
    private final Payloads payloads = new Payloads(1234, 300);

    @Test
    void aRecordIsRecognisedWithItsSequence()
    {
        for (long sequence = 0; sequence < 2_000; sequence++)
        {
            final byte[] value = payloads.value(2, sequence);
            assertThat(value.length).isBetween(Payloads.MIN_VALUE_LENGTH, 300);
            assertThat(payloads.sequenceOf(2, payloads.key(2, sequence), value)).isEqualTo(sequence);
        }
    }

    @Test
    void everyChangedByteMakesItNotAPayload()
    {
        final byte[] key = payloads.key(1, 77);
        final byte[] value = payloads.value(1, 77);
        for (int i = 0; i < value.length; i++)
        {
            final byte[] garbled = value.clone();
            garbled[i] ^= 1 << (i & 7);
            assertThat(payloads.sequenceOf(1, key, garbled)).as("byte %d", i).isEqualTo(Payloads.NOT_A_PAYLOAD);
        }
        for (int i = 0; i < key.length; i++)
        {
            final byte[] garbled = key.clone();
            garbled[i] ^= 0x10;
            assertThat(payloads.sequenceOf(1, garbled, value)).isEqualTo(Payloads.NOT_A_PAYLOAD);
        }
    }

    @Test
    void aRecordOfAnotherPartitionRunOrLengthIsNotAPayload()
    {
        final byte[] key = payloads.key(1, 5);
        final byte[] value = payloads.value(1, 5);
        assertThat(payloads.sequenceOf(0, key, value)).isEqualTo(Payloads.NOT_A_PAYLOAD);
        assertThat(new Payloads(1235, 300).sequenceOf(1, key, value)).isEqualTo(Payloads.NOT_A_PAYLOAD);
        assertThat(payloads.sequenceOf(1, key, java.util.Arrays.copyOf(value, value.length - 1)))
            .isEqualTo(Payloads.NOT_A_PAYLOAD);
        assertThat(payloads.sequenceOf(1, key, null)).isEqualTo(Payloads.NOT_A_PAYLOAD);
        assertThat(payloads.sequenceOf(1, null, value)).isEqualTo(Payloads.NOT_A_PAYLOAD);
    }
}
