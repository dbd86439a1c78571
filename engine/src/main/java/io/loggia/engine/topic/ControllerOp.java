package io.loggia.engine.topic;

/**
 * One topic-admin request on its way to the {@link Controller} and back: the request's fields, filled by a
 * network thread, and the result's fields, filled by the controller. The object itself travels: the caller
 * offers it through its {@link ControllerProxy}, the controller answers by handing the same object back through
 * the caller's response queue, and the caller encodes the response from it.
 * <p>
 * <b>Assumptions and Guarantees</b>: exactly one thread owns an op at a time. The caller writes the request
 * fields before {@link ControllerProxy#offer(ControllerOp)}; the command queue's offer (a release store) and poll
 * (an acquire load) publish them to the controller. The controller writes the result fields before offering the
 * op to the response queue, which publishes them back the same way. Neither side touches an op it handed over.
 */
public abstract class ControllerOp
{
    public static final int CREATE_TOPICS = 1;
    public static final int DELETE_TOPICS = 2;
    public static final int CREATE_PARTITIONS = 3;
    public static final int ALTER_CONFIGS = 4;
    public static final int INIT_PRODUCER_ID = 5;
    /** {@link #timeoutMs} of a request that carries none (Metadata, AlterConfigs, the broker's own). */
    public static final int NO_TIMEOUT = Integer.MAX_VALUE;

    private final int kind;
    ControllerResponseChannel replyTo;

    /** The caller's own context (where to send the response), returned untouched. */
    public Object attachment;
    /** The Kafka API version of the request. */
    public short apiVersion;
    /**
     * The request's {@code timeout_ms}, counted from the controller's receipt: a create not done by then is answered
     * REQUEST_TIMED_OUT and goes on in the background; an op still waiting behind earlier ops on the same topics is
     * answered REQUEST_TIMED_OUT and not carried out.
     */
    public int timeoutMs = NO_TIMEOUT;

    protected ControllerOp(final int kind)
    {
        this.kind = kind;
    }

    /** One of the constants above. */
    public final int kind()
    {
        return kind;
    }

    /**
     * Fails every part of the request that has no error yet, so the caller can answer at once (command queue
     * full, controller closing).
     */
    public abstract void fail(short errorCode, String message);
}
