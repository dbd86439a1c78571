package io.loggia.engine.topic;

import io.loggia.engine.Engine;
import io.loggia.engine.log.LogConfig;
import io.loggia.engine.partition.Partition;
import io.loggia.engine.writer.CommandCallback;
import io.loggia.engine.writer.KafkaErrors;
import org.agrona.ErrorHandler;
import org.agrona.collections.Object2IntHashMap;
import org.jctools.queues.MpscUnboundedArrayQueue;

import java.io.IOException;
import java.util.ArrayDeque;

/**
 * The controller's partition commands (delete a partition, apply a config) on their way to the partition
 * writers, never more than {@link #BUDGET} of them unanswered. A writer's command queue is bounded and the engine
 * waits for space when it is full; in shared threading mode the writer runs on the controller's own thread, so
 * a full queue could never drain while the controller waits. Keeping the commands in flight well below the
 * queue's capacity means an offer always finds space, and deleting a topic of ten thousand partitions proceeds a
 * budget at a time across duty cycles.
 * <pre>
 *   controller:       delete(p) / updateConfig(p, c) ──► backlog ──(outstanding < BUDGET)──► Engine ──► writer
 *   writer/housekeeper:  callback ──► done (MPSC, unbounded) ──► controller: outstanding--, deletes counted down
 * </pre>
 * Until every partition of a deleted topic is gone from disk, {@link #isDeleting(String)} says so: a new topic
 * of the same name waits, so it never finds the old directory.
 * <p>
 * <b>Assumptions and Guarantees</b>: everything but the callbacks runs on the controller thread; callbacks run
 * on writer and housekeeper threads and only offer to the MPSC queue, whose offer and poll publish the event.
 */
final class WriterCommandBacklog
{
    /** Commands in flight at most; a writer's command queue holds 1024. */
    static final int BUDGET = 256;

    private static final System.Logger LOG = System.getLogger(WriterCommandBacklog.class.getName());
    private static final int DELETE = 1;
    private static final int CONFIG = 2;
    private static final int STARTUP_CONFIG = 3;

    private record Command(int kind, Partition partition, LogConfig config)
    {
    }

    private record Done(int kind, Partition partition, short errorCode)
    {
    }

    private final Engine engine;
    private final ErrorHandler errorHandler;
    private final ArrayDeque<Command> backlog = new ArrayDeque<>();
    private final MpscUnboundedArrayQueue<Done> done = new MpscUnboundedArrayQueue<>(256);
    private final Object2IntHashMap<String> pendingDeletes = new Object2IntHashMap<>(0);
    private final CommandCallback deleteCallback = (partition, errorCode, value) ->
        done.offer(new Done(DELETE, partition, errorCode));
    private final CommandCallback configCallback = (partition, errorCode, value) ->
        done.offer(new Done(CONFIG, partition, errorCode));
    private final CommandCallback startupConfigCallback = (partition, errorCode, value) ->
        done.offer(new Done(STARTUP_CONFIG, partition, errorCode));
    private int outstanding;
    private int startupPending;

    WriterCommandBacklog(final Engine engine, final ErrorHandler errorHandler)
    {
        this.engine = engine;
        this.errorHandler = errorHandler;
    }

    /** Delete a partition that has left the registry. */
    void delete(final Partition partition)
    {
        pendingDeletes.put(partition.topic(), pendingDeletes.getValue(partition.topic()) + 1);
        backlog.add(new Command(DELETE, partition, null));
    }

    /** Apply a topic's new config to one of its partitions. */
    void updateConfig(final Partition partition, final LogConfig config)
    {
        backlog.add(new Command(CONFIG, partition, config));
    }

    /** Apply a topic's overrides to a partition loaded with the broker defaults at start-up. */
    void startupConfig(final Partition partition, final LogConfig config)
    {
        startupPending++;
        backlog.add(new Command(STARTUP_CONFIG, partition, config));
    }

    /** Whether partitions of a deleted topic of this name are still on disk. */
    boolean isDeleting(final String topic)
    {
        return pendingDeletes.getValue(topic) > 0;
    }

    /** Whether every start-up config has been applied by its writer. */
    boolean startupDone()
    {
        return 0 == startupPending;
    }

    /** Commands not yet offered or not yet answered. */
    int pending()
    {
        return backlog.size() + outstanding;
    }

    int doWork()
    {
        int workCount = 0;
        Done event;
        while (null != (event = done.relaxedPoll()))
        {
            workCount++;
            outstanding--;
            onDone(event.kind(), event.partition(), event.errorCode());
        }
        Command command;
        while (outstanding < BUDGET && null != (command = backlog.poll()))
        {
            workCount++;
            final short result = offer(command);
            if (KafkaErrors.NONE == result)
            {
                outstanding++;
            }
            else
            {
                // refused at once: no callback will come
                onDone(command.kind(), command.partition(), result);
            }
        }
        return workCount;
    }

    private short offer(final Command command)
    {
        switch (command.kind())
        {
            case DELETE:
                return engine.deletePartition(command.partition(), deleteCallback);
            case CONFIG:
                return engine.updateConfig(command.partition(), command.config(), configCallback);
            default:
                return engine.updateConfig(command.partition(), command.config(), startupConfigCallback);
        }
    }

    private void onDone(final int kind, final Partition partition, final short errorCode)
    {
        switch (kind)
        {
            case DELETE:
                final int remaining = pendingDeletes.getValue(partition.topic()) - 1;
                if (remaining <= 0)
                {
                    pendingDeletes.removeKey(partition.topic());
                }
                else
                {
                    pendingDeletes.put(partition.topic(), remaining);
                }
                if (KafkaErrors.NONE != errorCode && KafkaErrors.UNKNOWN_TOPIC_OR_PARTITION != errorCode)
                {
                    errorHandler.onError(new IOException("deleting " + partition.topicPartition() + " failed: " +
                        KafkaErrors.name(errorCode) + "; its directory may remain in the log dir"));
                }
                break;
            case STARTUP_CONFIG:
                startupPending--;
                logConfigFailure(partition, errorCode);
                break;
            default:
                logConfigFailure(partition, errorCode);
                break;
        }
    }

    private static void logConfigFailure(final Partition partition, final short errorCode)
    {
        if (KafkaErrors.NONE != errorCode && KafkaErrors.UNKNOWN_TOPIC_OR_PARTITION != errorCode)
        {
            LOG.log(System.Logger.Level.WARNING, "applying the config of " + partition.topicPartition() +
                " failed: " + KafkaErrors.name(errorCode));
        }
    }
}
