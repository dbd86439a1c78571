package io.loggia.engine.topic;

import java.util.ArrayList;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * The controller's work on one op, done a bounded amount at a time so that a large topic never stalls the thread
 * the controller shares with the network and the writers. Controller thread only.
 * <p>
 * A job names the topics it touches ({@link #names(Set)}); it waits for the jobs that arrived before it and change
 * one of those topics (its blockers; a topic still being created changes nothing the registry shows, so creations
 * block nobody), and runs beside all others. A job still waiting when its lane deadline passes is answered
 * REQUEST_TIMED_OUT and does nothing.
 */
abstract class ControllerJob
{
    /**
     * Work one step may do before it stops, at least one partition: a partition costs milliseconds of files,
     * mappings and fsyncs, so counting partitions let a step of 32 hold the shared thread for up to a second.
     */
    static final long STEP_BUDGET_NS = TimeUnit.MILLISECONDS.toNanos(2);
    /**
     * Longest time to the answer, whatever the request's timeout (and for ops whose request carries none): under
     * the 30 s request timeout of Kafka's clients, so a client gets REQUEST_TIMED_OUT (the work going on) rather
     * than dropping the connection and sending again.
     */
    static final long MAX_ANSWER_WAIT_NS = TimeUnit.SECONDS.toNanos(25);
    /**
     * Longest wait behind an earlier op on the same topic (a partition increase of thousands takes tens of
     * seconds): after it the op is answered REQUEST_TIMED_OUT and not done, and the client may send it again.
     */
    static final long MAX_LANE_WAIT_NS = TimeUnit.SECONDS.toNanos(3);

    /** The op this job works on; a job answered early works on a private copy of the rest ({@link #detach()}). */
    ControllerOp op;
    /** When the caller must have its answer. */
    long deadlineNs = Long.MAX_VALUE;
    /** When a job still blocked by earlier ones gives up. */
    long laneDeadlineNs = Long.MAX_VALUE;
    private ArrayList<ControllerJob> blockers;
    private boolean started;
    private boolean answered;
    private boolean done;
    private PartitionBudget budget;
    private long admitted;

    ControllerJob(final ControllerOp op)
    {
        this.op = op;
    }

    /**
     * Do the next part of the op.
     *
     * @param nowNs  {@link System#nanoTime()} of this duty cycle.
     * @param stopNs the step stops once {@link System#nanoTime()} passes this, after at least one unit of work.
     * @return work done; 0 if the job waits for something else (a delete of the same topic name).
     */
    abstract int step(long nowNs, long stopNs);

    /**
     * Adds the names of the topics this job reads or changes.
     *
     * @return false if some topic cannot be named (a job that must then wait for every earlier one).
     */
    abstract boolean names(Set<String> names);

    /**
     * The deadline passed while the job is part way: hand back the caller's op, its unfinished topics failed with
     * REQUEST_TIMED_OUT, and carry on with a private copy of the rest.
     *
     * @return the op to answer now, or null if this job cannot be answered before it is done.
     */
    ControllerOp detach()
    {
        return null;
    }

    final boolean isDone()
    {
        return done;
    }

    final void done()
    {
        done = true;
        releaseAdmitted();
    }

    /**
     * Ask the budget for {@code partitions} more this job will create; they stay held until each is created
     * ({@link #createdAdmitted()}) or the job ends.
     *
     * @return null if admitted, else why not (one line).
     */
    final String admit(final PartitionBudget budget, final long partitions, final long live, final long nowNs)
    {
        final String refusal = budget.admit(partitions, live, nowNs);
        if (null == refusal)
        {
            this.budget = budget;
            admitted += partitions;
        }
        return refusal;
    }

    /** Partitions admitted for this job and not created yet. */
    final long admitted()
    {
        return admitted;
    }

    /** One admitted partition is live now: the table counts it from here on. */
    final void createdAdmitted()
    {
        if (admitted > 0)
        {
            admitted--;
            budget.release(1);
        }
    }

    private void releaseAdmitted()
    {
        if (admitted > 0)
        {
            budget.release(admitted);
            admitted = 0;
        }
    }

    final boolean isStarted()
    {
        return started;
    }

    final void started()
    {
        started = true;
    }

    /** Whether the caller has its answer (the job may still be working in the background). */
    final boolean isAnswered()
    {
        return answered;
    }

    final void answered()
    {
        answered = true;
    }

    /** Wait for this earlier job before the first step. */
    final void blockedBy(final ControllerJob earlier)
    {
        if (null == blockers)
        {
            blockers = new ArrayList<>(2);
        }
        blockers.add(earlier);
    }

    /** Whether every earlier job on the same topics is done; forgets them once they are. */
    final boolean isRunnable()
    {
        if (null == blockers)
        {
            return true;
        }
        for (int i = 0; i < blockers.size(); i++)
        {
            if (!blockers.get(i).isDone())
            {
                return false;
            }
        }
        blockers = null;
        return true;
    }

    /** The job will not be stepped again: fail what it did not finish. */
    void abandon(final short errorCode, final String message)
    {
        op.fail(errorCode, message);
        done = true;
        releaseAdmitted();
    }
}
