package io.loggia.engine.partition;

import io.loggia.engine.agent.WakeSignal;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * Tells one caller (a network thread) that the high watermark of a partition it parked a fetch on has moved:
 * a counter the caller compares with the value it saw before parking, plus the caller's {@link WakeSignal}.
 * <p>
 * <b>Assumptions and Guarantees</b>
 * <ul>
 *     <li>Writers call {@link #signal()} (several writers may signal the same caller, hence an atomic add) after
 *     advancing the high watermark, and wake the caller once per duty cycle through {@link #wakeSignal()}.</li>
 *     <li>The caller's thread reads {@link #sequence()}: a changed value means at least one partition it
 *     registered on has new data below its high watermark, visible to the caller's acquire loads.</li>
 * </ul>
 */
public final class DataAvailableSignal
{
    private static final VarHandle SEQUENCE_VH;

    static
    {
        try
        {
            SEQUENCE_VH = MethodHandles.lookup().findVarHandle(DataAvailableSignal.class, "sequence", long.class);
        }
        catch (final ReflectiveOperationException ex)
        {
            throw new ExceptionInInitializerError(ex);
        }
    }

    private final int callerId;
    private final WakeSignal wakeSignal;
    @SuppressWarnings("unused") // accessed through SEQUENCE_VH
    private long sequence;

    public DataAvailableSignal(final int callerId, final WakeSignal wakeSignal)
    {
        this.callerId = callerId;
        this.wakeSignal = wakeSignal;
    }

    public int callerId()
    {
        return callerId;
    }

    /** The caller's thread wake-up, called by writers once per duty cycle after {@link #signal()}. */
    public WakeSignal wakeSignal()
    {
        return wakeSignal;
    }

    /** Any thread: how many times data was signalled; acquire. */
    public long sequence()
    {
        return (long)SEQUENCE_VH.getAcquire(this);
    }

    /** Writer threads: count one more high watermark advance the caller waited for. Does not wake. */
    public void signal()
    {
        SEQUENCE_VH.getAndAdd(this, 1L);
    }

    public String toString()
    {
        return "DataAvailableSignal{callerId=" + callerId + ", sequence=" + sequence() + '}';
    }
}
