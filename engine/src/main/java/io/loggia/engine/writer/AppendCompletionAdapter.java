package io.loggia.engine.writer;

import org.agrona.MutableDirectBuffer;
import org.agrona.concurrent.MessageHandler;
import org.agrona.concurrent.ringbuffer.RingBuffer;

/**
 * Drains one caller's completion ring and dispatches each completion to a handler.
 * <p>
 * <b>Assumptions and Guarantees</b>: called only from the caller's thread (the ring's single consumer).
 * Writers are the ring's producers.
 */
public final class AppendCompletionAdapter implements MessageHandler
{
    private final RingBuffer completionRing;
    private final AppendCompletionFlyweight completion = new AppendCompletionFlyweight();
    private AppendCompletionHandler handler;

    public AppendCompletionAdapter(final RingBuffer completionRing)
    {
        this.completionRing = completionRing;
    }

    /** @return the number of completions dispatched. */
    public int poll(final AppendCompletionHandler handler, final int limit)
    {
        this.handler = handler;
        return completionRing.read(this, limit);
    }

    public void onMessage(final int msgTypeId, final MutableDirectBuffer buffer, final int index, final int length)
    {
        completion.wrap(buffer, index);
        handler.onAppendComplete(
            completion.correlation(),
            completion.partitionId(),
            completion.errorCode(),
            completion.baseOffset(),
            completion.logAppendTime(),
            completion.logStartOffset());
    }
}
