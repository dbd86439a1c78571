package io.loggia.engine.topic;

/**
 * The controller's work on one op, done a bounded amount at a time so that a large topic never stalls the thread
 * the controller shares with the network and the writers. Controller thread only.
 */
abstract class ControllerJob
{
    /** Partitions created per step. */
    static final int PARTITIONS_PER_STEP = 32;

    final ControllerOp op;
    private boolean done;

    ControllerJob(final ControllerOp op)
    {
        this.op = op;
    }

    /**
     * Do the next part of the op.
     *
     * @param nowNs {@link System#nanoTime()} of this duty cycle.
     * @return work done; 0 if the job waits for something else (a delete of the same topic name).
     */
    abstract int step(long nowNs);

    final boolean isDone()
    {
        return done;
    }

    final void done()
    {
        done = true;
    }

    /** The job will not be stepped again: fail what it did not finish. */
    void abandon(final short errorCode, final String message)
    {
        op.fail(errorCode, message);
        done = true;
    }
}
