package io.loggia.engine;

import io.loggia.engine.log.RecoveryReport;
import io.loggia.engine.partition.Partition;
import io.loggia.engine.producer.ProducerLoadReport;

/**
 * Hears what the engine found while opening its log dir. Called on the thread that runs {@link Engine#open}.
 */
public interface EngineListener
{
    /** Logs each partition at DEBUG, recoveries that cut data at WARN, other cuts at INFO. */
    EngineListener LOGGING = new EngineListener()
    {
    };

    /**
     * A partition was loaded. {@code report.truncated} or {@code report.lostData()} say whether recovery cut
     * the log.
     */
    default void onPartitionLoaded(final Partition partition, final RecoveryReport report)
    {
        final System.Logger log = System.getLogger(Engine.class.getName());
        if (report.lostData())
        {
            log.log(System.Logger.Level.WARNING, "recovery cut data: " + report);
        }
        else if (report.truncated || report.segmentsRecovered > 0)
        {
            log.log(System.Logger.Level.INFO, "recovered " + report);
        }
        else
        {
            log.log(System.Logger.Level.DEBUG, "loaded " + report);
        }
    }

    /** The partition's idempotent-producer state was loaded (snapshot, replay). Logged at DEBUG. */
    default void onProducerStateLoaded(final Partition partition, final ProducerLoadReport report)
    {
        System.getLogger(Engine.class.getName()).log(System.Logger.Level.DEBUG,
            partition.topicPartition() + " producer state: " + report);
    }

    /** A file or directory in the log dir that is not a partition was left alone. */
    default void onIgnored(final java.nio.file.Path path)
    {
        System.getLogger(Engine.class.getName()).log(System.Logger.Level.DEBUG, "ignored " + path);
    }
}
