package io.loggia.engine.group;

/**
 * One group request on its way to the {@link GroupCoordinator} and back: the request's fields, filled by a
 * network thread, and the result's fields, filled by the coordinator. The object itself travels: the caller
 * offers it through its {@link GroupCoordinatorProxy}, the coordinator answers by handing the same object back
 * through the caller's response queue, and the caller encodes the response from it.
 * <p>
 * <b>Assumptions and Guarantees</b>: exactly one thread owns an op at a time. The caller writes the request
 * fields before {@link GroupCoordinatorProxy#offer(GroupOp)}; the command queue's offer (a release store) and
 * poll (an acquire load) publish them to the coordinator. The coordinator writes the result fields before
 * offering the op to the response queue, which publishes them to the caller the same way. Neither side
 * touches an op it has handed over.
 */
public abstract class GroupOp
{
    public static final int JOIN_GROUP = 1;
    public static final int SYNC_GROUP = 2;
    public static final int HEARTBEAT = 3;
    public static final int LEAVE_GROUP = 4;
    public static final int OFFSET_COMMIT = 5;
    public static final int OFFSET_FETCH = 6;
    public static final int LIST_GROUPS = 7;
    public static final int DESCRIBE_GROUPS = 8;
    public static final int DELETE_GROUPS = 9;
    public static final int OFFSET_DELETE = 10;
    public static final int TOPICS_DELETED = 11;

    private final int kind;
    GroupResponseChannel replyTo;

    /** The caller's own context (where to send the response), returned untouched. */
    public Object attachment;
    /** The Kafka API version the request came in; results differ by version in a few places. */
    public short apiVersion;
    /** Result: the error of the whole request, {@link GroupErrors#NONE} if none. */
    public short errorCode = GroupErrors.NONE;

    protected GroupOp(final int kind)
    {
        this.kind = kind;
    }

    /** One of the constants above. */
    public final int kind()
    {
        return kind;
    }

    /**
     * Fails the whole request with {@code error}: sets every error its response carries, so the caller can
     * answer at once (command queue full, coordinator closing).
     */
    public abstract void fail(short error);
}
