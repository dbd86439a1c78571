package io.loggia.engine.topic;

import io.loggia.engine.producer.ProducerIdManager;

import java.util.Set;

/**
 * InitProducerId in one step, answered as soon as the controller reads it: it needs only the producer id
 * manager, never a topic. An idempotent producer (no transactional id) gets a producer id never handed out
 * before and epoch 0, as Kafka gives one; the id it may send (v3+, to resume after an error) is not needed,
 * since a new id starts clean. A transactional id is answered TRANSACTIONAL_ID_NOT_FOUND: Loggia has no
 * transaction coordinator, and a retriable error would make the producer retry until its timeout.
 */
final class InitProducerIdJob extends ControllerJob
{
    private final ProducerIdManager producerIds;
    private final InitProducerIdOp initOp;

    InitProducerIdJob(final ProducerIdManager producerIds, final InitProducerIdOp op)
    {
        super(op);
        this.producerIds = producerIds;
        this.initOp = op;
    }

    int step(final long nowNs, final long stopNs)
    {
        if (TopicErrors.NONE == initOp.errorCode)
        {
            if (null != initOp.transactionalId)
            {
                initOp.fail(TopicErrors.TRANSACTIONAL_ID_NOT_FOUND, null);
            }
            else
            {
                final long producerId = producerIds.nextProducerId();
                if (ProducerIdManager.NO_PRODUCER_ID == producerId)
                {
                    // the block file could not be written; the client retries this one
                    initOp.fail(TopicErrors.COORDINATOR_NOT_AVAILABLE, null);
                }
                else
                {
                    initOp.producerId = producerId;
                    initOp.producerEpoch = 0;
                }
            }
        }
        done();
        return 1;
    }

    boolean names(final Set<String> names)
    {
        return true;
    }
}
