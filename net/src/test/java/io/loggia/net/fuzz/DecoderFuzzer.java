package io.loggia.net.fuzz;

import io.loggia.codec.record.RecordsValidator;
import io.loggia.codec.wire.FetchRequestDecoder;
import io.loggia.codec.wire.ProduceRequestDecoder;
import io.loggia.codec.wire.RequestHeader;
import io.loggia.codec.wire.WireError;
import org.agrona.concurrent.UnsafeBuffer;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.message.FetchRequestData;
import org.apache.kafka.common.message.ProduceRequestData;
import org.apache.kafka.common.message.RequestHeaderData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.ByteBufferAccessor;
import org.apache.kafka.common.record.internal.MemoryRecords;
import org.apache.kafka.common.record.internal.Record;
import org.apache.kafka.common.record.internal.RecordBatch;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;

/**
 * The in-process layer: inputs fed straight into Loggia's own decoders, the ones the broker runs on its network
 * threads before anything else ({@link RequestHeader}, {@link ProduceRequestDecoder}, {@link FetchRequestDecoder}
 * and the record validation of {@link RecordsValidator}), and read side by side with kafka-clients:
 * <ul>
 * <li>nothing may throw (the decoders report malformed input with codes);</li>
 * <li>a frame kafka-clients reads and would write back byte for byte must decode, to the same values: header
 * fields, acks, timeout, topics, partitions, record bytes, fetch positions;</li>
 * <li>a frame Loggia decodes that kafka-clients cannot read is counted as lenient, with examples kept (a tag
 * Kafka knows only at other versions is skipped by Loggia as unknown, where kafka-clients refuses it);</li>
 * <li>a record batch Loggia's validator calls valid must be one kafka-clients iterates without error (what a
 * consumer would do with it).</li>
 * </ul>
 * No broker is involved, so this runs much faster than the socket layer.
 */
final class DecoderFuzzer
{
    /** Disagreements kept for the report; the rest are counted. */
    private static final int KEPT = 20;

    private final InputSource source;
    private final SupportedVersions supported;
    private final UnsafeBuffer buffer = new UnsafeBuffer(new byte[0]);
    private final RequestHeader header = new RequestHeader();
    private final ProduceRequestDecoder produce = new ProduceRequestDecoder();
    private final FetchRequestDecoder fetch = new FetchRequestDecoder();
    private final RecordsValidator recordsValidator = new RecordsValidator();
    private final List<String> findings = new ArrayList<>();
    private final List<String> lenientExamples = new ArrayList<>();
    private long inputs;
    private long headersDecoded;
    private long producesDecoded;
    private long fetchesDecoded;
    private long batchesValidated;
    private long batchesValid;
    private long stricter;
    private long lenient;
    private long disagreements;

    /**
     * @param supported the API versions to compare headers at: for others the header version is a matter of
     *                  convention (an unsupported version is refused whatever its header says).
     */
    DecoderFuzzer(final InputSource source, final SupportedVersions supported)
    {
        this.source = source;
        this.supported = supported;
    }

    /** Feed {@code count} inputs. */
    void run(final long count)
    {
        for (long i = 0; i < count; i++)
        {
            final FuzzInput input = source.next();
            inputs++;
            try
            {
                check(input);
            }
            catch (final Throwable ex)
            {
                disagree(input, "threw " + ex + " at " + Arrays.toString(Arrays.copyOf(ex.getStackTrace(), 4)));
            }
        }
    }

    long inputs()
    {
        return inputs;
    }

    long disagreements()
    {
        return disagreements;
    }

    List<String> findings()
    {
        return findings;
    }

    long lenient()
    {
        return lenient;
    }

    List<String> lenientExamples()
    {
        return lenientExamples;
    }

    public String toString()
    {
        return String.format(Locale.ROOT, "decoder inputs %,d: headers decoded %,d, produce bodies %,d, fetch bodies " +
            "%,d, batches validated %,d (valid %,d), stricter than kafka-clients %,d, more lenient %,d, " +
            "disagreements %,d", inputs, headersDecoded, producesDecoded, fetchesDecoded, batchesValidated,
            batchesValid, stricter, lenient, disagreements);
    }

    private void check(final FuzzInput input)
    {
        final byte[] frame = input.frame;
        buffer.wrap(frame);
        final int headerError = header.wrap(buffer, 0, frame.length);
        if (!supported.isSupported(input.apiKey(), input.apiVersion()))
        {
            return;
        }
        final Reading reading = readWithKafka(frame);
        if (WireError.NONE == headerError)
        {
            headersDecoded++;
            if (null == reading.header)
            {
                if (reading.headerKnown)
                {
                    disagree(input, "Loggia decodes a header kafka-clients cannot: " + header);
                }
                return;
            }
            if (header.apiKey() != reading.header.requestApiKey() ||
                header.apiVersion() != reading.header.requestApiVersion() ||
                header.correlationId() != reading.header.correlationId() ||
                header.bodyOffset() != reading.bodyOffset ||
                !equalClientIds(reading.header.clientId()))
            {
                disagree(input, "header differs: Loggia " + header + ", kafka-clients " + reading.header +
                    " body at " + reading.bodyOffset);
                return;
            }
        }
        else
        {
            if (null != reading.header && reading.headerCanonical && WireError.UNKNOWN_API_KEY != headerError)
            {
                disagree(input, "Loggia refuses a canonical header (" + WireError.name(headerError) + "): " +
                    reading.header);
            }
            else if (null != reading.header)
            {
                stricter++;
            }
            return;
        }
        final int apiKey = header.apiKey();
        final short version = header.apiVersion();
        if (apiKey == ApiKeys.PRODUCE.id && version >= ProduceRequestDecoder.MIN_VERSION &&
            version <= ProduceRequestDecoder.MAX_VERSION)
        {
            checkProduce(input, frame, version);
        }
        else if (apiKey == ApiKeys.FETCH.id && version >= FetchRequestDecoder.MIN_VERSION &&
            version <= FetchRequestDecoder.MAX_VERSION)
        {
            checkFetch(input, frame, version);
        }
    }

    private void checkProduce(final FuzzInput input, final byte[] frame, final short version)
    {
        final int error = produce.wrap(buffer, header.bodyOffset(), frame.length, version);
        final ProduceRequestData kafka = new ProduceRequestData();
        final int kafkaEnd = readBody(kafka, frame, header.bodyOffset(), version);
        final boolean canonical = kafkaEnd == frame.length && isCanonical(kafka, version, frame, header.bodyOffset());
        if (WireError.NONE != error)
        {
            if (canonical)
            {
                disagree(input, "Loggia refuses a canonical Produce v" + version + " (" + WireError.name(error) +
                    ")");
            }
            else if (kafkaEnd >= 0)
            {
                stricter++;
            }
            return;
        }
        producesDecoded++;
        if (kafkaEnd < 0)
        {
            lenient(input, "Loggia decodes a Produce v" + version + " body kafka-clients cannot read");
            return;
        }
        if (produce.acks() != kafka.acks() || produce.timeoutMs() != kafka.timeoutMs() ||
            produce.topicCount() != kafka.topicData().size())
        {
            disagree(input, "Produce fields differ: acks " + produce.acks() + "/" + kafka.acks() + " timeout " +
                produce.timeoutMs() + "/" + kafka.timeoutMs() + " topics " + produce.topicCount() + "/" +
                kafka.topicData().size());
            return;
        }
        final Iterator<ProduceRequestData.TopicProduceData> topics = kafka.topicData().iterator();
        while (produce.nextTopic())
        {
            final ProduceRequestData.TopicProduceData topic = topics.next();
            final boolean sameTopic = produce.usesTopicIds() ?
                new Uuid(produce.topicIdMostSignificantBits(), produce.topicIdLeastSignificantBits())
                    .equals(topic.topicId()) :
                buffer.getStringWithoutLengthUtf8(produce.topicNameOffset(), produce.topicNameLength())
                    .equals(topic.name());
            if (!sameTopic || produce.partitionCount() != topic.partitionData().size())
            {
                disagree(input, "Produce topic " + produce.topicOrdinal() + " differs from " + topic);
                return;
            }
            for (final ProduceRequestData.PartitionProduceData partition : topic.partitionData())
            {
                produce.nextPartition();
                final MemoryRecords records = (MemoryRecords)partition.records();
                final int kafkaLength = null == records ? -1 : records.sizeInBytes();
                if (produce.partitionIndex() != partition.index() || produce.recordsLength() != kafkaLength)
                {
                    disagree(input, "Produce partition " + produce.partitionOrdinal() + " differs: index " +
                        produce.partitionIndex() + "/" + partition.index() + ", records " +
                        produce.recordsLength() + "/" + kafkaLength);
                    return;
                }
                if (null != records)
                {
                    checkBatch(input, frame, produce.recordsOffset(), produce.recordsLength(), records);
                }
            }
        }
    }

    /** Loggia's validator against kafka-clients' own iteration of the same batch. */
    private void checkBatch(
        final FuzzInput input, final byte[] frame, final int offset, final int length, final MemoryRecords records)
    {
        if (length < 61)
        {
            return;
        }
        batchesValidated++;
        final int code = recordsValidator.validate(buffer, offset, length, Integer.MAX_VALUE);
        if (RecordsValidator.VALID != code)
        {
            return;
        }
        batchesValid++;
        try
        {
            final Iterator<? extends RecordBatch> batches = records.batches().iterator();
            final RecordBatch batch = batches.next();
            batch.ensureValid();
            for (final Record record : batch)
            {
                record.ensureValid();
            }
        }
        catch (final RuntimeException ex)
        {
            disagree(input, "Loggia's RecordsValidator passes a batch kafka-clients cannot iterate: " + ex);
        }
    }

    private void checkFetch(final FuzzInput input, final byte[] frame, final short version)
    {
        final int error = fetch.wrap(buffer, header.bodyOffset(), frame.length, version);
        final FetchRequestData kafka = new FetchRequestData();
        final int kafkaEnd = readBody(kafka, frame, header.bodyOffset(), version);
        final boolean canonical = kafkaEnd == frame.length && isCanonical(kafka, version, frame, header.bodyOffset());
        if (WireError.NONE != error)
        {
            if (canonical)
            {
                disagree(input, "Loggia refuses a canonical Fetch v" + version + " (" + WireError.name(error) + ")");
            }
            else if (kafkaEnd >= 0)
            {
                stricter++;
            }
            return;
        }
        fetchesDecoded++;
        if (kafkaEnd < 0)
        {
            lenient(input, "Loggia decodes a Fetch v" + version + " body kafka-clients cannot read");
            return;
        }
        if (fetch.maxWaitMs() != kafka.maxWaitMs() || fetch.minBytes() != kafka.minBytes() ||
            fetch.maxBytes() != kafka.maxBytes() || fetch.topicCount() != kafka.topics().size() ||
            (version >= 7 && (fetch.sessionId() != kafka.sessionId() || fetch.sessionEpoch() != kafka.sessionEpoch())))
        {
            disagree(input, "Fetch fields differ: " + kafka);
            return;
        }
        for (final FetchRequestData.FetchTopic topic : kafka.topics())
        {
            fetch.nextTopic();
            if (fetch.partitionCount() != topic.partitions().size())
            {
                disagree(input, "Fetch topic " + fetch.topicOrdinal() + " partition count differs: " + topic);
                return;
            }
            for (final FetchRequestData.FetchPartition partition : topic.partitions())
            {
                fetch.nextPartition();
                if (fetch.partition() != partition.partition() || fetch.fetchOffset() != partition.fetchOffset() ||
                    fetch.partitionMaxBytes() != partition.partitionMaxBytes())
                {
                    disagree(input, "Fetch partition " + fetch.partitionOrdinal() + " differs: " + partition);
                    return;
                }
            }
        }
    }

    private boolean equalClientIds(final String kafkaClientId)
    {
        if (header.clientIdLength() < 0)
        {
            return null == kafkaClientId;
        }
        return null != kafkaClientId &&
            kafkaClientId.equals(buffer.getStringWithoutLengthUtf8(header.clientIdOffset(), header.clientIdLength()));
    }

    private void lenient(final FuzzInput input, final String what)
    {
        lenient++;
        if (lenientExamples.size() < KEPT)
        {
            lenientExamples.add(what + "\n    " + input + "\n    frame " + input.hex());
        }
    }

    private void disagree(final FuzzInput input, final String what)
    {
        disagreements++;
        if (findings.size() < KEPT)
        {
            findings.add(what + "\n    " + input + "\n    frame " + input.hex());
        }
    }

    /** How kafka-clients reads a frame's header: null if it cannot. */
    private static final class Reading
    {
        RequestHeaderData header;
        boolean headerKnown;
        boolean headerCanonical;
        int bodyOffset;
    }

    private static Reading readWithKafka(final byte[] frame)
    {
        final Reading reading = new Reading();
        if (frame.length < 4)
        {
            return reading;
        }
        final short apiKey = (short)(((frame[0] & 0xFF) << 8) | (frame[1] & 0xFF));
        final short version = (short)(((frame[2] & 0xFF) << 8) | (frame[3] & 0xFF));
        if (!ApiKeys.hasId(apiKey))
        {
            return reading;
        }
        final short headerVersion;
        try
        {
            headerVersion = ApiKeys.forId(apiKey).requestHeaderVersion(version);
        }
        catch (final RuntimeException ex)
        {
            return reading;
        }
        reading.headerKnown = true;
        final ByteBuffer bytes = ByteBuffer.wrap(frame);
        try
        {
            reading.header = new RequestHeaderData(new ByteBufferAccessor(bytes), headerVersion);
            reading.bodyOffset = bytes.position();
            reading.headerCanonical =
                ResponseOracle.isCanonical(reading.header, headerVersion, frame, 0, reading.bodyOffset);
        }
        catch (final RuntimeException ex)
        {
            reading.header = null;
        }
        return reading;
    }

    /** kafka-clients reads the body: where it stopped, or -1 if it could not. */
    private static int readBody(
        final org.apache.kafka.common.protocol.ApiMessage message, final byte[] frame, final int from,
        final short version)
    {
        final ByteBuffer bytes = ByteBuffer.wrap(frame, from, frame.length - from);
        try
        {
            message.read(new ByteBufferAccessor(bytes), version);
            return bytes.position();
        }
        catch (final RuntimeException ex)
        {
            return -1;
        }
    }

    private static boolean isCanonical(
        final org.apache.kafka.common.protocol.Message message, final short version, final byte[] frame, final int from)
    {
        return ResponseOracle.isCanonical(message, version, frame, from, frame.length);
    }
}
