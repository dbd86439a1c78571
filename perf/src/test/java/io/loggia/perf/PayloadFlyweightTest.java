package io.loggia.perf;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class PayloadFlyweightTest
{
    @Test
    void headerFieldsRoundTripAtTheirOffsets()
    {
        final byte[] value = new byte[100];
        final PayloadFlyweight payload = new PayloadFlyweight();
        payload.wrap(value).runId(0x1234_5678).producerIndex(7).sequence(1L << 40)
            .intendedSendTimeNs(123_456_789_012L).sendTimeNs(123_456_790_000L);

        final PayloadFlyweight reader = new PayloadFlyweight().wrap(value);
        assertThat(reader.hasHeader()).isTrue();
        assertThat(reader.runId()).isEqualTo(0x1234_5678);
        assertThat(reader.producerIndex()).isEqualTo(7);
        assertThat(reader.sequence()).isEqualTo(1L << 40);
        assertThat(reader.intendedSendTimeNs()).isEqualTo(123_456_789_012L);
        assertThat(reader.sendTimeNs()).isEqualTo(123_456_790_000L);
        assertThat(PayloadFlyweight.HEADER_LENGTH).isEqualTo(32);
        for (int i = PayloadFlyweight.HEADER_LENGTH; i < value.length; i++)
        {
            assertThat(value[i]).isZero();
        }
    }

    @Test
    void shortValuesHaveNoHeader()
    {
        assertThat(new PayloadFlyweight().wrap(new byte[31]).hasHeader()).isFalse();
        assertThat(new PayloadFlyweight().wrap(new byte[0]).hasHeader()).isFalse();
    }
}
