package io.loggia.net.broker.data;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class ProduceRequestStateTest
{
    @Test
    void aCorrelationCarriesTheRequestKeyAndThePartitionOrdinal()
    {
        for (final long requestId : new long[] {0, 1, 123_456_789L, (1L << 44) - 1, 1L << 44, (1L << 50) + 5,
            Long.MAX_VALUE})
        {
            for (final int ordinal : new int[] {0, 1, ProduceRequestState.MAX_PARTITIONS - 1})
            {
                final long correlation = ProduceRequestState.correlation(requestId, ordinal);
                assertThat(ProduceRequestState.correlationKey(correlation))
                    .isEqualTo(ProduceRequestState.key(requestId));
                assertThat(ProduceRequestState.ordinal(correlation)).isEqualTo(ordinal);
            }
        }
        assertThat(ProduceRequestState.key(5)).isNotEqualTo(ProduceRequestState.key(6));
    }
}
