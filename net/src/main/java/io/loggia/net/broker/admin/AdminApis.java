package io.loggia.net.broker.admin;

import io.loggia.codec.wire.ApiKeys;
import io.loggia.engine.topic.AlterConfigsOp;
import io.loggia.engine.topic.ControllerOp;
import io.loggia.engine.topic.ControllerProxy;
import io.loggia.engine.topic.ControllerResponseHandler;
import io.loggia.engine.topic.CreatePartitionsOp;
import io.loggia.engine.topic.CreateTopicsOp;
import io.loggia.engine.topic.DeleteTopicsOp;
import io.loggia.engine.topic.InitProducerIdOp;
import io.loggia.engine.topic.TopicErrors;
import io.loggia.net.group.InFlightResponseSink;
import io.loggia.net.group.ResponseSink;
import io.loggia.net.transport.NetworkAgent;
import org.apache.kafka.common.message.AlterConfigsRequestData;
import org.apache.kafka.common.message.CreatePartitionsRequestData;
import org.apache.kafka.common.message.CreateTopicsRequestData;
import org.apache.kafka.common.message.DeleteTopicsRequestData;
import org.apache.kafka.common.message.DescribeClusterRequestData;
import org.apache.kafka.common.message.DescribeConfigsRequestData;
import org.apache.kafka.common.message.IncrementalAlterConfigsRequestData;
import org.apache.kafka.common.message.InitProducerIdRequestData;
import org.apache.kafka.common.message.MetadataRequestData;
import org.apache.kafka.common.protocol.ByteBufferAccessor;
import org.apache.kafka.common.protocol.Message;

import java.nio.ByteBuffer;
import java.util.List;

/**
 * The admin APIs for one network thread: Metadata, CreateTopics, DeleteTopics, CreatePartitions,
 * DescribeConfigs, IncrementalAlterConfigs, AlterConfigs, DescribeCluster and InitProducerId, decoded and encoded
 * with kafka-clients' message classes (decision 0002). What reads the registry is answered at once; what changes
 * topics, or hands out producer ids, goes to the {@link io.loggia.engine.topic.Controller} as an op and is
 * answered from {@link #doWork()} when the op comes back.
 * <pre>
 *   network thread                                          controller thread
 *   handle(key, version, body, ...)
 *     decode *RequestData ─► op (+ where to answer) ─ offer ─► command queue ─► jobs (create, delete, ...)
 *   doWork()  ◄─ wake ◄── this thread's response queue ◄──── answered op
 *     op ─► *ResponseData ─► the request's connection, if it is still open
 * </pre>
 * A full command queue is answered at once with a retriable error (REQUEST_TIMED_OUT; Metadata:
 * LEADER_NOT_AVAILABLE for the topics it would have created).
 * <p>
 * <b>Assumptions and Guarantees</b>: one instance per network thread; every method runs on that thread (its
 * controller proxy's response queue has this thread as its only consumer).
 */
public final class AdminApis implements ControllerResponseHandler
{
    private static final int RESPONSE_LIMIT = 64;

    /** What travels with an op: where its answer goes and what only the request knows. */
    private record Pending(ResponseSink sink, short version, Object request)
    {
    }

    private final NetworkAgent agent;
    private final AdminContext context;
    private final ControllerProxy controller;

    /**
     * @param agent      the network agent this instance serves.
     * @param context    the broker's identity, registry and settings.
     * @param controller this thread's proxy ({@code Controller.newProxy(agent.wakeSignal())}).
     */
    public AdminApis(final NetworkAgent agent, final AdminContext context, final ControllerProxy controller)
    {
        this.agent = agent;
        this.context = context;
        this.controller = controller;
    }

    /**
     * Handles one request whose key and version {@link AdminVersions#isSupported} accepts. The response is sent
     * exactly once: inside this call, or later from {@link #doWork()}.
     *
     * @param body the request body (a heap copy, position at its first byte).
     * @throws RuntimeException from kafka-clients if the body does not decode; the dispatcher closes the
     *                          connection, as Kafka does for a malformed request.
     */
    public void handle(
        final int apiKey, final short version, final int correlationId, final ByteBuffer body, final long requestId)
    {
        final ByteBufferAccessor accessor = new ByteBufferAccessor(body);
        final ResponseSink sink = new InFlightResponseSink(
            agent, requestId, correlationId, ApiKeys.responseHeaderVersion(apiKey, version));
        switch (apiKey)
        {
            case ApiKeys.METADATA:
                metadata(new MetadataRequestData(accessor, version), version, sink);
                break;
            case ApiKeys.CREATE_TOPICS:
                submit(TopicAdminCodecs.createTopics(new CreateTopicsRequestData(accessor, version)), version, sink,
                    null);
                break;
            case ApiKeys.DELETE_TOPICS:
                submit(TopicAdminCodecs.deleteTopics(new DeleteTopicsRequestData(accessor, version), version, context),
                    version, sink, null);
                break;
            case ApiKeys.CREATE_PARTITIONS:
                submit(TopicAdminCodecs.createPartitions(new CreatePartitionsRequestData(accessor, version)), version,
                    sink, null);
                break;
            case ApiKeys.INIT_PRODUCER_ID:
                submit(ClusterCodecs.initProducerId(new InitProducerIdRequestData(accessor, version)), version, sink,
                    null);
                break;
            case ApiKeys.DESCRIBE_CONFIGS:
                sink.send(ConfigCodecs.describe(new DescribeConfigsRequestData(accessor, version), version, context),
                    version);
                break;
            case ApiKeys.INCREMENTAL_ALTER_CONFIGS:
            {
                final AlterConfigsOp op = new AlterConfigsOp();
                final List<ConfigCodecs.AlterResult> results = ConfigCodecs.incrementalAlter(
                    new IncrementalAlterConfigsRequestData(accessor, version), op, context);
                submit(op, version, sink, results);
                break;
            }
            case ApiKeys.ALTER_CONFIGS:
            {
                final AlterConfigsOp op = new AlterConfigsOp();
                final List<ConfigCodecs.AlterResult> results =
                    ConfigCodecs.alter(new AlterConfigsRequestData(accessor, version), op, context);
                submit(op, version, sink, results);
                break;
            }
            case ApiKeys.DESCRIBE_CLUSTER:
                sink.send(ClusterCodecs.describeCluster(new DescribeClusterRequestData(accessor, version), version,
                    context), version);
                break;
            default:
                throw new IllegalArgumentException("not an admin API: " + apiKey);
        }
    }

    /** Sends the responses of ops the controller answered. Called in the network thread's duty cycle. */
    public int doWork()
    {
        return controller.poll(this, RESPONSE_LIMIT);
    }

    public void onResponse(final ControllerOp op)
    {
        final Pending pending = (Pending)op.attachment;
        op.attachment = null;
        pending.sink().send(encode(op, pending), pending.version());
    }

    private void metadata(final MetadataRequestData request, final short version, final ResponseSink sink)
    {
        final CreateTopicsOp creations = MetadataAnswers.autoCreations(request, version, context);
        if (null == creations)
        {
            sink.send(MetadataAnswers.answer(request, version, context, null, false), version);
            return;
        }
        creations.apiVersion = version;
        creations.attachment = new Pending(sink, version, request);
        if (!controller.offer(creations))
        {
            creations.attachment = null;
            sink.send(MetadataAnswers.answer(request, version, context, null, true), version);
        }
    }

    private void submit(final ControllerOp op, final short version, final ResponseSink sink, final Object request)
    {
        op.apiVersion = version;
        final Pending pending = new Pending(sink, version, request);
        op.attachment = pending;
        if (!needsController(op) || !controller.offer(op))
        {
            // nothing left for the controller, or its queue is full: answer now
            op.fail(TopicErrors.REQUEST_TIMED_OUT, "The controller is busy; retry.");
            op.attachment = null;
            sink.send(encode(op, pending), version);
        }
    }

    /** An op whose every part already failed here needs no round trip. */
    private static boolean needsController(final ControllerOp op)
    {
        switch (op.kind())
        {
            case ControllerOp.CREATE_TOPICS:
                return ((CreateTopicsOp)op).topics.stream().anyMatch(e -> TopicErrors.NONE == e.errorCode);
            case ControllerOp.DELETE_TOPICS:
                return ((DeleteTopicsOp)op).topics.stream().anyMatch(e -> TopicErrors.NONE == e.errorCode);
            case ControllerOp.CREATE_PARTITIONS:
                return ((CreatePartitionsOp)op).topics.stream().anyMatch(e -> TopicErrors.NONE == e.errorCode);
            case ControllerOp.ALTER_CONFIGS:
                return ((AlterConfigsOp)op).topics.stream().anyMatch(e -> TopicErrors.NONE == e.errorCode);
            default:
                return true;
        }
    }

    @SuppressWarnings("unchecked")
    private Message encode(final ControllerOp op, final Pending pending)
    {
        final short version = pending.version();
        switch (op.kind())
        {
            case ControllerOp.CREATE_TOPICS:
                if (pending.request() instanceof MetadataRequestData)
                {
                    return MetadataAnswers.answer((MetadataRequestData)pending.request(), version, context,
                        (CreateTopicsOp)op, false);
                }
                return TopicAdminCodecs.createTopicsResponse((CreateTopicsOp)op, version, context);
            case ControllerOp.DELETE_TOPICS:
                return TopicAdminCodecs.deleteTopicsResponse((DeleteTopicsOp)op, version);
            case ControllerOp.CREATE_PARTITIONS:
                return TopicAdminCodecs.createPartitionsResponse((CreatePartitionsOp)op);
            case ControllerOp.INIT_PRODUCER_ID:
                return ClusterCodecs.initProducerIdResponse((InitProducerIdOp)op);
            default:
            {
                final List<ConfigCodecs.AlterResult> results = (List<ConfigCodecs.AlterResult>)pending.request();
                return ((AlterConfigsOp)op).replace ?
                    ConfigCodecs.alterResponse(results) : ConfigCodecs.incrementalAlterResponse(results);
            }
        }
    }
}
