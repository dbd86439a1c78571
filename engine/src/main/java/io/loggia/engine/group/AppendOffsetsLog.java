package io.loggia.engine.group;

import io.loggia.engine.writer.AppendCompletionAdapter;
import io.loggia.engine.writer.AppendCompletionHandler;
import io.loggia.engine.writer.AppendProxy;
import org.agrona.DirectBuffer;

/**
 * The production {@link OffsetsLog}: the coordinator's own {@link AppendProxy} (its caller id names its
 * completion ring) into the writers' append rings with acks=-1, so a completion means the batch is in the log
 * and below the high watermark; completions come back through its {@link AppendCompletionAdapter}.
 * <p>
 * <b>Assumptions and Guarantees</b>: used only from the coordinator thread, which owns the proxy and is the
 * single consumer of the completion ring. The writers wake the coordinator's thread after writing a completion.
 */
public final class AppendOffsetsLog implements OffsetsLog, AppendCompletionHandler
{
    private static final short ACKS_ALL = -1;

    private final AppendProxy proxy;
    private final AppendCompletionAdapter completions;
    private final OffsetsTopic topic;
    private CompletionHandler handler;

    public AppendOffsetsLog(
        final AppendProxy proxy, final AppendCompletionAdapter completions, final OffsetsTopic topic)
    {
        this.proxy = proxy;
        this.completions = completions;
        this.topic = topic;
    }

    public int offer(final int partition, final long correlation, final DirectBuffer batch, final int offset,
        final int length)
    {
        final int writer = topic.writerIndex(partition);
        if (writer < 0)
        {
            return NOT_AVAILABLE;
        }
        final int result = proxy.offer(
            writer, correlation, topic.partitionKey(partition), ACKS_ALL, batch, offset, length);
        switch (result)
        {
            case AppendProxy.OFFERED:
                return OFFERED;
            case AppendProxy.BACK_PRESSURED:
                return BACK_PRESSURED;
            default:
                return TOO_LARGE;
        }
    }

    public void flush()
    {
        proxy.wakeWriters();
    }

    public int poll(final CompletionHandler handler, final int limit)
    {
        this.handler = handler;
        return completions.poll(this, limit);
    }

    public void onAppendComplete(
        final long correlation,
        final int partitionId,
        final short errorCode,
        final long baseOffset,
        final long logAppendTime,
        final long logStartOffset)
    {
        handler.onAppended(correlation, errorCode, baseOffset);
    }
}
