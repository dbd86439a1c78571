package io.loggia.engine.log;

import java.nio.file.Path;

/**
 * Names of everything Loggia keeps in a log dir, as Kafka names them, so Kafka's tools read our directories:
 * <pre>
 *   &lt;log.dir&gt;/
 *     .kafka_cleanshutdown                  written after a clean shutdown, deleted once the logs are loaded
 *     recovery-point-offset-checkpoint      per partition: offsets below it are on disk
 *     log-start-offset-checkpoint           per partition: first offset readers may fetch
 *     replication-offset-checkpoint         per partition: high watermark
 *     &lt;topic&gt;-&lt;partition&gt;/
 *       00000000000000000000.log            record batches, preallocated while active
 *       00000000000000000000.index          offset index
 *       00000000000000000000.timeindex      time index
 *       00000000000000368769.log ...        next segment: its base offset, zero-padded to 20 digits
 *       *.deleted                           deleted segment waiting out file.delete.delay.ms
 *       *.prepared                          next segment's file, made ready before the roll
 * </pre>
 */
public final class LogFiles
{
    public static final String LOG_SUFFIX = ".log";
    public static final String INDEX_SUFFIX = ".index";
    public static final String TIME_INDEX_SUFFIX = ".timeindex";
    /** Appended to a segment file's name when it is deleted; removed after {@code file.delete.delay.ms}. */
    public static final String DELETED_SUFFIX = ".deleted";
    /** Kafka's log cleaner output; left over only by a crash mid-compaction. */
    public static final String CLEANED_SUFFIX = ".cleaned";
    /** Kafka's log cleaner swap files; left over only by a crash mid-compaction. */
    public static final String SWAP_SUFFIX = ".swap";
    /** A {@code .log} file created ahead of a roll ({@link PreparedSegment}); a leftover is deleted at load. */
    public static final String PREPARED_SUFFIX = ".prepared";
    /** Temporary file of an atomic write-then-rename. */
    public static final String TMP_SUFFIX = ".tmp";

    public static final String CLEAN_SHUTDOWN_FILE = ".kafka_cleanshutdown";
    public static final String RECOVERY_POINT_CHECKPOINT_FILE = "recovery-point-offset-checkpoint";
    public static final String LOG_START_OFFSET_CHECKPOINT_FILE = "log-start-offset-checkpoint";
    public static final String REPLICATION_OFFSET_CHECKPOINT_FILE = "replication-offset-checkpoint";

    /** Digits of a base offset in a segment file name. */
    public static final int OFFSET_DIGITS = 20;

    private LogFiles()
    {
    }

    /**
     * The partition's directory, {@code <logDir>/<topic>-<partition>}. A {@link TopicPartition} only holds valid
     * topic names, which are single path components; the parent check below is the second line of defence.
     *
     * @throws IllegalArgumentException if the result would not sit directly in {@code logDir}.
     */
    public static Path partitionDir(final Path logDir, final TopicPartition topicPartition)
    {
        final Path base = logDir.toAbsolutePath().normalize();
        final Path dir = base.resolve(topicPartition.directoryName()).normalize();
        if (!base.equals(dir.getParent()))
        {
            throw new IllegalArgumentException(topicPartition + " escapes log dir " + base);
        }
        return dir;
    }

    /**
     * @return the partition a directory name stands for, or null if the name is not {@code <topic>-<partition>}
     * with a valid topic (Kafka's {@code -delete} and {@code -future} directories are not partitions).
     */
    public static TopicPartition parsePartitionDirName(final String name)
    {
        final int dash = name.lastIndexOf('-');
        if (dash <= 0 || dash == name.length() - 1 || name.length() - dash - 1 > 10)
        {
            return null;
        }
        long partition = 0;
        for (int i = dash + 1; i < name.length(); i++)
        {
            final char c = name.charAt(i);
            if (c < '0' || c > '9')
            {
                return null;
            }
            partition = partition * 10 + (c - '0');
        }
        final String topic = name.substring(0, dash);
        if (partition > Integer.MAX_VALUE || TopicNames.VALID != TopicNames.validate(topic))
        {
            return null;
        }
        return new TopicPartition(topic, (int)partition);
    }

    /** {@code <20-digit base offset><suffix>}. */
    public static String fileName(final long baseOffset, final String suffix)
    {
        final String digits = Long.toString(baseOffset);
        final StringBuilder builder = new StringBuilder(OFFSET_DIGITS + suffix.length());
        for (int i = digits.length(); i < OFFSET_DIGITS; i++)
        {
            builder.append('0');
        }
        return builder.append(digits).append(suffix).toString();
    }

    public static Path logFile(final Path partitionDir, final long baseOffset)
    {
        return partitionDir.resolve(fileName(baseOffset, LOG_SUFFIX));
    }

    public static Path offsetIndexFile(final Path partitionDir, final long baseOffset)
    {
        return partitionDir.resolve(fileName(baseOffset, INDEX_SUFFIX));
    }

    public static Path timeIndexFile(final Path partitionDir, final long baseOffset)
    {
        return partitionDir.resolve(fileName(baseOffset, TIME_INDEX_SUFFIX));
    }

    /** The same file with {@link #DELETED_SUFFIX} appended. */
    public static Path deletedFile(final Path file)
    {
        return file.resolveSibling(file.getFileName() + DELETED_SUFFIX);
    }

    /**
     * @return the base offset of a file named {@code <20 digits><suffix>}, or -1 if the name is anything else.
     */
    public static long parseBaseOffset(final String fileName, final String suffix)
    {
        if (fileName.length() != OFFSET_DIGITS + suffix.length() || !fileName.endsWith(suffix))
        {
            return -1;
        }
        long value = 0;
        for (int i = 0; i < OFFSET_DIGITS; i++)
        {
            final char c = fileName.charAt(i);
            if (c < '0' || c > '9')
            {
                return -1;
            }
            final int digit = c - '0';
            if (value > (Long.MAX_VALUE - digit) / 10)
            {
                return -1;
            }
            value = value * 10 + digit;
        }
        return value;
    }
}
