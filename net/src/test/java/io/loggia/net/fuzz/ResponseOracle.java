package io.loggia.net.fuzz;

import org.apache.kafka.common.message.ApiMessageType;
import org.apache.kafka.common.message.FetchRequestData;
import org.apache.kafka.common.message.FetchResponseData;
import org.apache.kafka.common.message.JoinGroupRequestData;
import org.apache.kafka.common.message.ProduceRequestData;
import org.apache.kafka.common.message.RequestHeaderData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.ApiMessage;
import org.apache.kafka.common.protocol.ByteBufferAccessor;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.record.internal.MemoryRecords;
import org.apache.kafka.common.record.internal.Record;
import org.apache.kafka.common.record.internal.RecordBatch;
import org.apache.kafka.common.requests.AbstractResponse;

import java.nio.ByteBuffer;
import java.util.Map;

/**
 * Judges outcomes. An input is first read with kafka-clients (header, then body at the header's version) to find
 * what a Kafka broker would do ({@link #expect}); the outcome is then checked against it ({@link #judge}): a
 * request kafka-clients reads must be answered, and the answer must decode at the request's version with
 * nothing left over, carry the request's correlation id, no UNKNOWN_SERVER_ERROR and no unknown error code, and,
 * for Fetch, only batches whose CRC holds and whose records parse.
 * <p>
 * Loggia's own decoders (Produce, Fetch) differ from kafka-clients on purpose in two ways: bytes after the last
 * field close the connection (kafka-clients ignores them), and a fifth uvarint byte above 0x0F is refused
 * (kafka-clients lets the extra bits fall off). Inputs that touch either are {@link Expectation#ANSWER_OR_CLOSE}.
 */
final class ResponseOracle
{
    /** How long anything may take beyond its own legitimate wait before it is a hang. */
    static final long BASE_WAIT_MS = 5_000;
    private static final long CREATE_TOPICS_WAIT_MS = 30_000;

    private final SupportedVersions supported;
    private final long groupMaxSessionTimeoutMs;
    private String lastAnswerSignature = "";

    ResponseOracle(final SupportedVersions supported, final long groupMaxSessionTimeoutMs)
    {
        this.supported = supported;
        this.groupMaxSessionTimeoutMs = groupMaxSessionTimeoutMs;
    }

    SupportedVersions supported()
    {
        return supported;
    }

    /** The error codes of the last answer judged, sorted ("0,3,87"), or "" if it had none or was no answer. */
    String lastAnswerSignature()
    {
        return lastAnswerSignature;
    }

    Expectation expect(final FuzzInput input)
    {
        if (input.sizeLie != 0)
        {
            return Expectation.close("size prefix lies");
        }
        final byte[] frame = input.frame;
        final int apiKey = input.apiKey();
        final short version = input.apiVersion();
        if (frame.length < 10 || !ApiKeys.hasId(apiKey))
        {
            return Expectation.close("no header or unknown API key");
        }
        if (apiKey != ApiKeys.API_VERSIONS.id && !supported.isSupported(apiKey, version))
        {
            return Expectation.close("API " + apiKey + " v" + version + " not served");
        }
        final ApiKeys api = ApiKeys.forId(apiKey);
        final ByteBuffer buffer = ByteBuffer.wrap(frame);
        final ByteBufferAccessor accessor = new ByteBufferAccessor(buffer);
        final short headerVersion;
        final RequestHeaderData header;
        try
        {
            headerVersion = api.requestHeaderVersion(version);
            header = new RequestHeaderData(accessor, headerVersion);
        }
        catch (final RuntimeException ex)
        {
            return Expectation.close("header does not decode: " + ex.getMessage());
        }
        final boolean canonicalHeader = isCanonical(header, headerVersion, frame, 0, buffer.position());
        if (apiKey == ApiKeys.API_VERSIONS.id)
        {
            return new Expectation(true, !canonicalHeader, false, true, 0, "ApiVersions is answered at any version");
        }
        final int bodyStart = buffer.position();
        final ApiMessage body = ApiMessageType.fromApiKey((short)apiKey).newRequest();
        try
        {
            body.read(accessor, version);
        }
        catch (final RuntimeException ex)
        {
            return new Expectation(false, true, false, false, 0, "body does not decode: " + ex.getMessage());
        }
        if (apiKey == ApiKeys.PRODUCE.id || apiKey == ApiKeys.FETCH.id)
        {
            // Loggia's own decoders: a frame kafka-clients would not write back as it is may be refused
            final boolean canonical =
                canonicalHeader && isCanonical(body, version, frame, bodyStart, buffer.position()) &&
                buffer.position() == frame.length;
            if (apiKey == ApiKeys.PRODUCE.id)
            {
                final boolean silent = 0 == ((ProduceRequestData)body).acks();
                return new Expectation(!silent, !canonical, silent, true, 0,
                    canonical ? "produce" : "produce, not canonical");
            }
            final long maxWait = Math.max(0, ((FetchRequestData)body).maxWaitMs());
            return new Expectation(true, !canonical, false, true, maxWait,
                canonical ? "fetch" : "fetch, not canonical");
        }
        return new Expectation(true, !canonicalHeader, false, true, legitimateWaitMs(apiKey, version, body),
            canonicalHeader ? "decodes" : "decodes, header not canonical");
    }

    /** Whether kafka-clients writes {@code message} back as exactly {@code frame[from, to)}. */
    static boolean isCanonical(
        final org.apache.kafka.common.protocol.Message message,
        final short version,
        final byte[] frame,
        final int from,
        final int to)
    {
        try
        {
            final org.apache.kafka.common.protocol.ObjectSerializationCache cache =
                new org.apache.kafka.common.protocol.ObjectSerializationCache();
            final int size = message.size(cache, version);
            if (size != to - from)
            {
                return false;
            }
            final ByteBuffer written = ByteBuffer.allocate(size);
            message.write(new ByteBufferAccessor(written), cache, version);
            return java.util.Arrays.equals(written.array(), 0, size, frame, from, to);
        }
        catch (final RuntimeException ex)
        {
            return false;
        }
    }

    private long legitimateWaitMs(final int apiKey, final short version, final ApiMessage body)
    {
        if (apiKey == ApiKeys.JOIN_GROUP.id)
        {
            final JoinGroupRequestData join = (JoinGroupRequestData)body;
            return Math.max(0, Math.max(version >= 1 ? join.rebalanceTimeoutMs() : 0, join.sessionTimeoutMs()));
        }
        if (apiKey == ApiKeys.SYNC_GROUP.id)
        {
            return groupMaxSessionTimeoutMs;
        }
        if (apiKey == ApiKeys.CREATE_TOPICS.id || apiKey == ApiKeys.CREATE_PARTITIONS.id)
        {
            // creating partitions takes a few milliseconds each, up to the request's timeout (the broker caps it)
            return CREATE_TOPICS_WAIT_MS;
        }
        return 0;
    }

    /**
     * @param response the response frame without its size prefix, for {@link Outcome#ANSWERED}; else null.
     * @param detail   receives what is wrong, for a finding.
     */
    int judge(
        final FuzzInput input,
        final Expectation expectation,
        final int outcome,
        final byte[] response,
        final StringBuilder detail)
    {
        lastAnswerSignature = "";
        switch (outcome)
        {
            case Outcome.TIMED_OUT:
                detail.append("no answer and no close; expected ").append(expectation);
                return Verdict.HANG;
            case Outcome.ABANDONED:
                return Verdict.OK;
            case Outcome.CLOSED:
                if (!expectation.close)
                {
                    detail.append("closed; expected ").append(expectation);
                    return Verdict.UNEXPECTED_CLOSE;
                }
                return Verdict.OK;
            case Outcome.NO_RESPONSE:
                if (!expectation.noResponse)
                {
                    detail.append("no response; expected ").append(expectation);
                    return !expectation.kafkaReads && isOwnDecoder(input) ?
                        Verdict.LENIENT_DECODE : Verdict.WRONG_RESPONSE_COUNT;
                }
                return Verdict.OK;
            default:
                break;
        }
        if (!expectation.answer)
        {
            detail.append("answered; expected ").append(expectation);
            if (expectation.noResponse)
            {
                return Verdict.WRONG_RESPONSE_COUNT;
            }
            return !expectation.kafkaReads && isOwnDecoder(input) ? Verdict.LENIENT_DECODE : Verdict.UNEXPECTED_ANSWER;
        }
        return checkResponse(input, response, detail);
    }

    private static boolean isOwnDecoder(final FuzzInput input)
    {
        return input.apiKey() == ApiKeys.PRODUCE.id || input.apiKey() == ApiKeys.FETCH.id;
    }

    private int checkResponse(final FuzzInput input, final byte[] response, final StringBuilder detail)
    {
        final ApiKeys api = ApiKeys.forId(input.apiKey());
        short version = input.apiVersion();
        final ByteBuffer buffer = ByteBuffer.wrap(response);
        if (buffer.remaining() < 4 || buffer.getInt() != input.correlationId())
        {
            detail.append("correlation id does not match ").append(input.correlationId());
            return Verdict.BAD_RESPONSE;
        }
        boolean unsupportedApiVersions = false;
        if (api == ApiKeys.API_VERSIONS && !supported.isSupported(api.id, version))
        {
            version = 0;
            unsupportedApiVersions = true;
        }
        if (api.responseHeaderVersion(version) >= 1)
        {
            final int tags = new ByteBufferAccessor(buffer).readUnsignedVarint();
            if (tags != 0)
            {
                detail.append("response header with ").append(tags).append(" tagged fields");
                return Verdict.BAD_RESPONSE;
            }
        }
        final int bodyStart = buffer.position();
        final AbstractResponse parsed;
        try
        {
            final ByteBufferAccessor accessor = new ByteBufferAccessor(buffer);
            parsed = AbstractResponse.parseResponse(api, accessor, version);
            if (buffer.remaining() != 0)
            {
                detail.append(buffer.remaining()).append(" bytes after the response body");
                return Verdict.BAD_RESPONSE;
            }
        }
        catch (final RuntimeException ex)
        {
            detail.append("response does not decode at v").append(version).append(": ").append(ex);
            return Verdict.BAD_RESPONSE;
        }
        final Map<Errors, Integer> errors;
        try
        {
            errors = errorCounts(parsed);
        }
        catch (final RuntimeException ex)
        {
            // kafka-clients' own client code reads answers this way: one it cannot read breaks the Admin client
            detail.append("kafka-clients cannot read the answer's errors: ").append(ex).append(": ")
                .append(parsed.data());
            return Verdict.BAD_RESPONSE;
        }
        lastAnswerSignature = new java.util.TreeSet<>(errors.keySet()).toString();
        for (final Map.Entry<Errors, Integer> entry : errors.entrySet())
        {
            if (entry.getKey() == Errors.UNKNOWN_SERVER_ERROR)
            {
                detail.append("UNKNOWN_SERVER_ERROR (or an unknown code) x").append(entry.getValue())
                    .append(": ").append(parsed.data());
                return Verdict.SERVER_ERROR;
            }
        }
        if (unsupportedApiVersions &&
            ((org.apache.kafka.common.message.ApiVersionsResponseData)parsed.data()).errorCode() !=
                Errors.UNSUPPORTED_VERSION.code())
        {
            detail.append("ApiVersions v").append(input.apiVersion()).append(" answered without UNSUPPORTED_VERSION");
            return Verdict.BAD_RESPONSE;
        }
        if (api == ApiKeys.FETCH)
        {
            return checkRecords((FetchResponseData)parsed.data(), detail);
        }
        return Verdict.OK;
    }

    /**
     * The answer's error codes as kafka-clients counts them; for the AlterConfigs family counted here, since
     * kafka-clients keys those by {@code ConfigResource}, which folds every unknown resource type into one
     * (Kafka's own broker answers each unknown-type resource separately too). A resource of one type and name
     * answered twice is still an error.
     */
    private static Map<Errors, Integer> errorCounts(final AbstractResponse parsed)
    {
        if (parsed.data() instanceof org.apache.kafka.common.message.AlterConfigsResponseData alter)
        {
            final java.util.Set<String> seen = new java.util.HashSet<>();
            final Map<Errors, Integer> counts = new java.util.HashMap<>();
            for (final var response : alter.responses())
            {
                if (!seen.add(response.resourceType() + ":" + response.resourceName()))
                {
                    throw new IllegalStateException("resource answered twice: " + response);
                }
                counts.merge(Errors.forCode(response.errorCode()), 1, Integer::sum);
            }
            return counts;
        }
        if (parsed.data() instanceof org.apache.kafka.common.message.IncrementalAlterConfigsResponseData alter)
        {
            final java.util.Set<String> seen = new java.util.HashSet<>();
            final Map<Errors, Integer> counts = new java.util.HashMap<>();
            for (final var response : alter.responses())
            {
                if (!seen.add(response.resourceType() + ":" + response.resourceName()))
                {
                    throw new IllegalStateException("resource answered twice: " + response);
                }
                counts.merge(Errors.forCode(response.errorCode()), 1, Integer::sum);
            }
            return counts;
        }
        return parsed.errorCounts();
    }

    private static int checkRecords(final FetchResponseData fetch, final StringBuilder detail)
    {
        for (final FetchResponseData.FetchableTopicResponse topic : fetch.responses())
        {
            for (final FetchResponseData.PartitionData partition : topic.partitions())
            {
                if (!(partition.records() instanceof MemoryRecords))
                {
                    continue;
                }
                for (final RecordBatch batch : ((MemoryRecords)partition.records()).batches())
                {
                    try
                    {
                        batch.ensureValid();
                        for (final Record record : batch)
                        {
                            record.ensureValid();
                        }
                    }
                    catch (final RuntimeException ex)
                    {
                        detail.append(topic.topic()).append('/').append(partition.partitionIndex())
                            .append(" batch at offset ").append(batch.baseOffset()).append(" (")
                            .append(batch.compressionType()).append("): ").append(ex);
                        return batch.compressionType() == org.apache.kafka.common.record.internal.CompressionType.NONE ?
                            Verdict.CORRUPT_RECORDS_SERVED : Verdict.CORRUPT_COMPRESSED_SERVED;
                    }
                }
            }
        }
        return Verdict.OK;
    }
}
