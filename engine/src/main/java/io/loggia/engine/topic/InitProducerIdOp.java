package io.loggia.engine.topic;

/** InitProducerId for an idempotent producer: a producer id never handed out before, epoch 0. */
public final class InitProducerIdOp extends ControllerOp
{
    /** Null for an idempotent producer; anything else asks for transactions, which Loggia does not have. */
    public String transactionalId;

    public short errorCode = TopicErrors.NONE;
    public long producerId = -1;
    public short producerEpoch = -1;

    public InitProducerIdOp()
    {
        super(INIT_PRODUCER_ID);
    }

    public void fail(final short errorCode, final String message)
    {
        if (TopicErrors.NONE == this.errorCode)
        {
            this.errorCode = errorCode;
            producerId = -1;
            producerEpoch = -1;
        }
    }

    public String toString()
    {
        return "InitProducerIdOp{transactionalId=" + transactionalId + ", producerId=" + producerId +
            ", error=" + TopicErrors.name(errorCode) + '}';
    }
}
