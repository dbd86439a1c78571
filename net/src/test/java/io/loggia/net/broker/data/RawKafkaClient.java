package io.loggia.net.broker.data;

import io.loggia.codec.wire.ApiKeys;
import org.apache.kafka.common.message.FetchRequestData;
import org.apache.kafka.common.message.FetchResponseData;
import org.apache.kafka.common.message.ProduceRequestData;
import org.apache.kafka.common.message.ProduceResponseData;
import org.apache.kafka.common.message.RequestHeaderData;
import org.apache.kafka.common.message.ResponseHeaderData;
import org.apache.kafka.common.protocol.ByteBufferAccessor;
import org.apache.kafka.common.protocol.Message;
import org.apache.kafka.common.protocol.ObjectSerializationCache;
import org.apache.kafka.common.record.internal.MemoryRecords;

import java.io.DataInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.UUID;

/**
 * A blocking Kafka client on a raw socket, for requests a real client would never send: frames are written with
 * kafka-clients' message classes (or replayed byte for byte) and responses parsed with them.
 */
final class RawKafkaClient implements AutoCloseable
{
    private final Socket socket;
    private final DataInputStream in;
    private final OutputStream out;
    private int nextCorrelationId = 1;

    RawKafkaClient(final InetSocketAddress address) throws IOException
    {
        socket = new Socket();
        socket.connect(address, 10_000);
        socket.setSoTimeout(30_000);
        socket.setTcpNoDelay(true);
        in = new DataInputStream(socket.getInputStream());
        out = socket.getOutputStream();
    }

    /** Sends a request; returns its correlation id. */
    int send(final int apiKey, final int version, final Message body) throws IOException
    {
        final int correlationId = nextCorrelationId++;
        write(ByteBuffer.wrap(frame(apiKey, version, correlationId, body)));
        return correlationId;
    }

    /** A whole request frame, size prefix included. */
    static byte[] frame(final int apiKey, final int version, final int correlationId, final Message body)
    {
        final RequestHeaderData header = new RequestHeaderData()
            .setRequestApiKey((short)apiKey)
            .setRequestApiVersion((short)version)
            .setCorrelationId(correlationId)
            .setClientId("raw");
        final short headerVersion = (short)ApiKeys.requestHeaderVersion(apiKey, version);
        final ObjectSerializationCache cache = new ObjectSerializationCache();
        final int headerSize = header.size(cache, headerVersion);
        final int bodySize = body.size(cache, (short)version);
        final ByteBuffer frame = ByteBuffer.allocate(4 + headerSize + bodySize);
        frame.putInt(headerSize + bodySize);
        final ByteBufferAccessor accessor = new ByteBufferAccessor(frame);
        header.write(accessor, cache, headerVersion);
        body.write(accessor, cache, (short)version);
        return frame.array();
    }

    /** Sends a frame as it is, size prefix included. */
    void sendFrame(final byte[] frame) throws IOException
    {
        write(ByteBuffer.wrap(frame));
    }

    /** Reads one response frame; returns the body after a response header of {@code headerVersion}. */
    ByteBuffer receive(final int headerVersion, final int expectedCorrelationId) throws IOException
    {
        final byte[] bytes = new byte[in.readInt()];
        in.readFully(bytes);
        final ByteBuffer frame = ByteBuffer.wrap(bytes);
        final ResponseHeaderData header = new ResponseHeaderData(new ByteBufferAccessor(frame), (short)headerVersion);
        if (expectedCorrelationId != header.correlationId())
        {
            throw new IllegalStateException("correlation id " + header.correlationId() + ", expected " +
                expectedCorrelationId);
        }
        return frame.slice();
    }

    ByteBuffer request(final int apiKey, final int version, final Message body) throws IOException
    {
        final int correlationId = send(apiKey, version, body);
        return receive(ApiKeys.responseHeaderVersion(apiKey, version), correlationId);
    }

    ProduceResponseData produce(final int version, final ProduceRequestData request) throws IOException
    {
        return new ProduceResponseData(
            new ByteBufferAccessor(request(ApiKeys.PRODUCE, version, request)), (short)version);
    }

    FetchResponseData fetch(final int version, final FetchRequestData request) throws IOException
    {
        return new FetchResponseData(new ByteBufferAccessor(request(ApiKeys.FETCH, version, request)), (short)version);
    }

    /** A Produce request of one partition, named by name (v3..v12) or by id (v13). */
    static ProduceRequestData produceRequest(
        final short acks, final String topic, final UUID topicId, final int partition, final MemoryRecords records)
    {
        final ProduceRequestData.TopicProduceData topicData = new ProduceRequestData.TopicProduceData()
            .setName(topic)
            .setPartitionData(List.of(new ProduceRequestData.PartitionProduceData()
                .setIndex(partition)
                .setRecords(records)));
        if (null != topicId)
        {
            topicData.setTopicId(new org.apache.kafka.common.Uuid(
                topicId.getMostSignificantBits(), topicId.getLeastSignificantBits()));
        }
        final ProduceRequestData.TopicProduceDataCollection topics =
            new ProduceRequestData.TopicProduceDataCollection();
        topics.add(topicData);
        return new ProduceRequestData().setAcks(acks).setTimeoutMs(30_000).setTopicData(topics);
    }

    /** A consumer's Fetch request of one partition. */
    static FetchRequestData fetchRequest(
        final String topic,
        final UUID topicId,
        final int partition,
        final long fetchOffset,
        final int partitionMaxBytes,
        final int maxWaitMs,
        final int minBytes)
    {
        final FetchRequestData.FetchTopic fetchTopic = new FetchRequestData.FetchTopic()
            .setTopic(topic)
            .setPartitions(List.of(new FetchRequestData.FetchPartition()
                .setPartition(partition)
                .setFetchOffset(fetchOffset)
                .setPartitionMaxBytes(partitionMaxBytes)));
        if (null != topicId)
        {
            fetchTopic.setTopicId(new org.apache.kafka.common.Uuid(
                topicId.getMostSignificantBits(), topicId.getLeastSignificantBits()));
        }
        return new FetchRequestData()
            .setReplicaId(-1)
            .setMaxWaitMs(maxWaitMs)
            .setMinBytes(minBytes)
            .setMaxBytes(Integer.MAX_VALUE)
            .setSessionId(0)
            .setSessionEpoch(-1)
            .setTopics(List.of(fetchTopic));
    }

    /** True if the broker closed the connection: a read sees the end of the stream. */
    boolean isClosedByBroker() throws IOException
    {
        return in.read() < 0;
    }

    public void close() throws IOException
    {
        socket.close();
    }

    private void write(final ByteBuffer bytes) throws IOException
    {
        out.write(bytes.array(), bytes.arrayOffset() + bytes.position(), bytes.remaining());
        out.flush();
    }
}
