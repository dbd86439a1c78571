package io.loggia.codec.record;

import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeader;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/** A record as tests describe it, and the checks that our flyweights or Kafka's classes hold the same. */
final class TestRecord
{
    final long timestamp;
    final byte[] key;
    final byte[] value;
    final List<String> headerKeys = new ArrayList<>();
    final List<byte[]> headerValues = new ArrayList<>();

    TestRecord(final long timestamp, final byte[] key, final byte[] value)
    {
        this.timestamp = timestamp;
        this.key = key;
        this.value = value;
    }

    TestRecord header(final String key, final byte[] value)
    {
        headerKeys.add(key);
        headerValues.add(value);
        return this;
    }

    Header[] kafkaHeaders()
    {
        final Header[] headers = new Header[headerKeys.size()];
        for (int i = 0; i < headers.length; i++)
        {
            headers[i] = new RecordHeader(headerKeys.get(i), headerValues.get(i));
        }
        return headers;
    }

    void appendTo(final BatchBuilder builder)
    {
        for (int i = 0; i < headerKeys.size(); i++)
        {
            builder.header(headerKeys.get(i), headerValues.get(i));
        }
        builder.append(timestamp, key, value);
    }

    /** Our record flyweight holds this record. */
    void assertMatches(final Record record, final long baseTimestamp, final int expectedOffsetDelta)
    {
        assertThat(record.offsetDelta()).isEqualTo(expectedOffsetDelta);
        assertThat(record.timestamp(baseTimestamp)).isEqualTo(timestamp);
        assertThat(record.attributes()).isZero();
        assertThat(record.key()).isEqualTo(key);
        assertThat(record.value()).isEqualTo(value);
        assertThat(record.hasKey()).isEqualTo(key != null);
        assertThat(record.hasValue()).isEqualTo(value != null);
        assertThat(record.headerCount()).isEqualTo(headerKeys.size());
        final io.loggia.codec.record.RecordHeader header = record.headers(new io.loggia.codec.record.RecordHeader());
        for (int i = 0; i < headerKeys.size(); i++)
        {
            assertThat(header.next()).isTrue();
            assertThat(header.key()).isEqualTo(headerKeys.get(i));
            assertThat(header.value()).isEqualTo(headerValues.get(i));
            assertThat(header.hasValue()).isEqualTo(headerValues.get(i) != null);
        }
        assertThat(header.next()).isFalse();
    }

    /** Kafka's record holds this record. */
    void assertMatches(final org.apache.kafka.common.record.internal.Record record, final long expectedOffset)
    {
        assertThat(record.offset()).isEqualTo(expectedOffset);
        assertThat(record.timestamp()).isEqualTo(timestamp);
        assertThat(bytes(record.key())).isEqualTo(key);
        assertThat(bytes(record.value())).isEqualTo(value);
        final Header[] headers = record.headers();
        assertThat(headers).hasSize(headerKeys.size());
        for (int i = 0; i < headers.length; i++)
        {
            assertThat(headers[i].key()).isEqualTo(headerKeys.get(i));
            assertThat(headers[i].value()).isEqualTo(headerValues.get(i));
        }
    }

    static byte[] bytes(final java.nio.ByteBuffer buffer)
    {
        if (buffer == null)
        {
            return null;
        }
        final byte[] bytes = new byte[buffer.remaining()];
        buffer.duplicate().get(bytes);
        return bytes;
    }

    /**
     * A mix that exercises every shape: null and empty keys and values, headers with null values, negative
     * timestamp deltas, and (when {@code large}) records big enough to span several compression blocks.
     */
    static List<TestRecord> mixedRecords(final Random random, final long baseTimestamp, final boolean large)
    {
        final List<TestRecord> records = new ArrayList<>();
        records.add(new TestRecord(baseTimestamp, utf8("key-0"), utf8("value-0")));
        records.add(new TestRecord(baseTimestamp + 5, null, utf8("no key")));
        records.add(new TestRecord(baseTimestamp - 3, utf8("tombstone"), null));
        records.add(new TestRecord(baseTimestamp + 1_000_000, new byte[0], new byte[0]));
        records.add(new TestRecord(baseTimestamp + 7, utf8("with headers"), utf8("v"))
            .header("trace-id", utf8("abc123"))
            .header("null-valued", null)
            .header("empty", new byte[0])
            .header("ключ", utf8("utf-8 key")));
        for (int i = 0; i < 40; i++)
        {
            final long timestamp = baseTimestamp + random.nextInt(10_000);
            final TestRecord record =
                new TestRecord(timestamp, randomBytes(random, random.nextInt(20)), compressible(random, 100));
            if (random.nextBoolean())
            {
                record.header("h" + i, randomBytes(random, random.nextInt(8)));
            }
            records.add(record);
        }
        if (large)
        {
            records.add(new TestRecord(baseTimestamp + 11, utf8("big-random"), randomBytes(random, 150_000)));
            records.add(new TestRecord(baseTimestamp + 12, utf8("big-text"), compressible(random, 300_000)));
        }
        return records;
    }

    static byte[] utf8(final String text)
    {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    static byte[] randomBytes(final Random random, final int length)
    {
        final byte[] bytes = new byte[length];
        random.nextBytes(bytes);
        return bytes;
    }

    /** Text-like bytes drawn from a small alphabet, so every codec shrinks them. */
    static byte[] compressible(final Random random, final int length)
    {
        final byte[] alphabet = utf8("the quick brown fox jumps over the lazy dog 0123456789 ");
        final byte[] bytes = new byte[length];
        for (int i = 0; i < length; i++)
        {
            bytes[i] = alphabet[random.nextInt(8) + (i % 7) * 6];
        }
        return bytes;
    }

    public String toString()
    {
        return "TestRecord{ts=" + timestamp + ", key=" + (key == null ? "null" : key.length) +
            ", value=" + (value == null ? "null" : value.length) + ", headers=" + headerKeys + "}" +
            Arrays.hashCode(value);
    }
}
