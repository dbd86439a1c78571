package io.loggia.engine;

import io.loggia.engine.log.LogConfig;
import io.loggia.engine.log.LogConfigParser;

import java.nio.file.Path;
import java.util.Map;

/**
 * Settings of the engine: the log dir, the writers, the housekeeper, and the broker-wide log defaults. Keys
 * carry Kafka's broker config names where Kafka has one; Loggia's own keys start with {@code loggia.}.
 * <p>
 * Only one log dir is supported: {@code log.dirs} with several entries is refused by {@link #validate()}.
 * <p>
 * Built once at startup, then read by the engine: set everything before {@link Engine#open}, which validates.
 */
public final class EngineConfig
{
    public static final String LOG_DIRS = "log.dirs";
    public static final String LOG_DIR = "log.dir";
    public static final String NUM_WRITER_THREADS = "num.writer.threads";
    public static final String LOG_RETENTION_CHECK_INTERVAL_MS = "log.retention.check.interval.ms";
    public static final String LOG_FLUSH_OFFSET_CHECKPOINT_INTERVAL_MS = "log.flush.offset.checkpoint.interval.ms";
    public static final String LOG_FLUSH_START_OFFSET_CHECKPOINT_INTERVAL_MS =
        "log.flush.start.offset.checkpoint.interval.ms";
    public static final String PRODUCER_ID_EXPIRATION_MS = "producer.id.expiration.ms";
    public static final String WRITER_RING_BYTES = "loggia.writer.ring.bytes";
    public static final String WRITER_READ_LIMIT = "loggia.writer.read.limit";
    public static final String COMPLETION_RING_BYTES = "loggia.completion.ring.bytes";
    public static final String SEGMENT_PREPARE_BYTES = "loggia.segment.prepare.bytes";
    public static final String SEGMENT_PREPARE_CHUNK_BYTES = "loggia.segment.prepare.chunk.bytes";
    public static final String HOUSEKEEPER_NATIVE = "loggia.housekeeper.native";

    /** Kafka's default {@code log.dir}. */
    public static final String DEFAULT_LOG_DIR = "/tmp/kafka-logs";

    private Path logDir = Path.of(DEFAULT_LOG_DIR);
    private int logDirCount = 1;
    private int numWriterThreads = 1;
    private long retentionCheckIntervalMs = 300_000;
    private long flushOffsetCheckpointIntervalMs = 60_000;
    private long flushStartOffsetCheckpointIntervalMs = 60_000;
    private long producerIdExpirationMs = 86_400_000;
    private int writerRingBytes = 16 * 1024 * 1024;
    private int writerReadLimit = 1024;
    private int completionRingBytes = 256 * 1024;
    private long segmentPrepareBytes = 16L * 1024 * 1024;
    private long segmentPrepareChunkBytes = 2L * 1024 * 1024;
    private boolean housekeeperNative = true;
    private LogConfig logDefaults = LogConfig.DEFAULTS;

    /**
     * Reads the keys this class knows, and the broker-level {@code log.*} defaults through
     * {@link LogConfigParser#parseBroker(Map)}; other keys are ignored (they belong to other parts of the
     * broker).
     *
     * @throws IllegalArgumentException naming the first bad value.
     */
    public static EngineConfig from(final Map<String, String> properties)
    {
        final EngineConfig config = new EngineConfig();
        final String dirs = properties.get(LOG_DIRS);
        final String dir = properties.get(LOG_DIR);
        if (null != dirs && !dirs.isBlank())
        {
            final String[] parts = dirs.split(",");
            config.logDir(Path.of(parts[0].trim()));
            config.logDirCount = parts.length;
        }
        else if (null != dir && !dir.isBlank())
        {
            config.logDir(Path.of(dir.trim()));
        }
        final String writers = properties.get(NUM_WRITER_THREADS);
        if (null != writers)
        {
            config.numWriterThreads(parseInt(NUM_WRITER_THREADS, writers));
        }
        final String retention = properties.get(LOG_RETENTION_CHECK_INTERVAL_MS);
        if (null != retention)
        {
            config.retentionCheckIntervalMs(parseLong(LOG_RETENTION_CHECK_INTERVAL_MS, retention));
        }
        final String recovery = properties.get(LOG_FLUSH_OFFSET_CHECKPOINT_INTERVAL_MS);
        if (null != recovery)
        {
            config.flushOffsetCheckpointIntervalMs(parseLong(LOG_FLUSH_OFFSET_CHECKPOINT_INTERVAL_MS, recovery));
        }
        final String start = properties.get(LOG_FLUSH_START_OFFSET_CHECKPOINT_INTERVAL_MS);
        if (null != start)
        {
            config.flushStartOffsetCheckpointIntervalMs(parseLong(LOG_FLUSH_START_OFFSET_CHECKPOINT_INTERVAL_MS, start));
        }
        final String expiration = properties.get(PRODUCER_ID_EXPIRATION_MS);
        if (null != expiration)
        {
            config.producerIdExpirationMs(parseLong(PRODUCER_ID_EXPIRATION_MS, expiration));
        }
        final String ring = properties.get(WRITER_RING_BYTES);
        if (null != ring)
        {
            config.writerRingBytes(parseInt(WRITER_RING_BYTES, ring));
        }
        final String readLimit = properties.get(WRITER_READ_LIMIT);
        if (null != readLimit)
        {
            config.writerReadLimit(parseInt(WRITER_READ_LIMIT, readLimit));
        }
        final String completionRing = properties.get(COMPLETION_RING_BYTES);
        if (null != completionRing)
        {
            config.completionRingBytes(parseInt(COMPLETION_RING_BYTES, completionRing));
        }
        final String prepare = properties.get(SEGMENT_PREPARE_BYTES);
        if (null != prepare)
        {
            config.segmentPrepareBytes(parseLong(SEGMENT_PREPARE_BYTES, prepare));
        }
        final String chunk = properties.get(SEGMENT_PREPARE_CHUNK_BYTES);
        if (null != chunk)
        {
            config.segmentPrepareChunkBytes(parseLong(SEGMENT_PREPARE_CHUNK_BYTES, chunk));
        }
        final String nativeCalls = properties.get(HOUSEKEEPER_NATIVE);
        if (null != nativeCalls)
        {
            config.housekeeperNative(Boolean.parseBoolean(nativeCalls.trim()));
        }
        final LogConfigParser.Result defaults = LogConfigParser.parseBroker(properties);
        if (!defaults.isValid())
        {
            throw new IllegalArgumentException(defaults.error());
        }
        config.logDefaults(defaults.config());
        return config;
    }

    /**
     * @throws IllegalArgumentException naming the first bad setting.
     */
    public EngineConfig validate()
    {
        require(1 == logDirCount, LOG_DIRS + " lists " + logDirCount + " directories; Loggia supports one log dir");
        require(null != logDir, LOG_DIRS + " must be set");
        require(numWriterThreads >= 1 && numWriterThreads <= 256, NUM_WRITER_THREADS + " must be in [1, 256]");
        require(retentionCheckIntervalMs >= 1, LOG_RETENTION_CHECK_INTERVAL_MS + " must be >= 1");
        require(flushOffsetCheckpointIntervalMs >= 0, LOG_FLUSH_OFFSET_CHECKPOINT_INTERVAL_MS + " must be >= 0");
        require(flushStartOffsetCheckpointIntervalMs >= 0,
            LOG_FLUSH_START_OFFSET_CHECKPOINT_INTERVAL_MS + " must be >= 0");
        require(producerIdExpirationMs >= 1, PRODUCER_ID_EXPIRATION_MS + " must be >= 1");
        require(writerRingBytes >= 64 * 1024 && Integer.bitCount(writerRingBytes) == 1,
            WRITER_RING_BYTES + " must be a power of two >= 65536");
        require(writerRingBytes / 8 >= logDefaults.maxMessageBytes() + 64,
            WRITER_RING_BYTES + " must be at least 8 x message.max.bytes so a largest batch fits the ring");
        require(writerReadLimit >= 1, WRITER_READ_LIMIT + " must be >= 1");
        require(completionRingBytes >= 4096 && Integer.bitCount(completionRingBytes) == 1,
            COMPLETION_RING_BYTES + " must be a power of two >= 4096");
        require(segmentPrepareBytes >= 0, SEGMENT_PREPARE_BYTES + " must be >= 0 (0: no housekeeper windows)");
        require(segmentPrepareChunkBytes >= 4096, SEGMENT_PREPARE_CHUNK_BYTES + " must be >= 4096");
        return this;
    }

    private static void require(final boolean condition, final String message)
    {
        if (!condition)
        {
            throw new IllegalArgumentException(message);
        }
    }

    private static int parseInt(final String key, final String value)
    {
        try
        {
            return Integer.parseInt(value.trim());
        }
        catch (final NumberFormatException ex)
        {
            throw new IllegalArgumentException(key + ": '" + value + "' is not a 32-bit integer");
        }
    }

    private static long parseLong(final String key, final String value)
    {
        try
        {
            return Long.parseLong(value.trim());
        }
        catch (final NumberFormatException ex)
        {
            throw new IllegalArgumentException(key + ": '" + value + "' is not a 64-bit integer");
        }
    }

    /** The one log dir. */
    public EngineConfig logDir(final Path logDir)
    {
        this.logDir = logDir;
        this.logDirCount = 1;
        return this;
    }

    public Path logDir()
    {
        return logDir;
    }

    public EngineConfig numWriterThreads(final int numWriterThreads)
    {
        this.numWriterThreads = numWriterThreads;
        return this;
    }

    public int numWriterThreads()
    {
        return numWriterThreads;
    }

    public EngineConfig retentionCheckIntervalMs(final long intervalMs)
    {
        this.retentionCheckIntervalMs = intervalMs;
        return this;
    }

    public long retentionCheckIntervalMs()
    {
        return retentionCheckIntervalMs;
    }

    /** Recovery points and high watermarks are checkpointed this often. */
    public EngineConfig flushOffsetCheckpointIntervalMs(final long intervalMs)
    {
        this.flushOffsetCheckpointIntervalMs = intervalMs;
        return this;
    }

    public long flushOffsetCheckpointIntervalMs()
    {
        return flushOffsetCheckpointIntervalMs;
    }

    /** Log start offsets are checkpointed this often. */
    public EngineConfig flushStartOffsetCheckpointIntervalMs(final long intervalMs)
    {
        this.flushStartOffsetCheckpointIntervalMs = intervalMs;
        return this;
    }

    public long flushStartOffsetCheckpointIntervalMs()
    {
        return flushStartOffsetCheckpointIntervalMs;
    }

    public EngineConfig producerIdExpirationMs(final long expirationMs)
    {
        this.producerIdExpirationMs = expirationMs;
        return this;
    }

    public long producerIdExpirationMs()
    {
        return producerIdExpirationMs;
    }

    /** Capacity of each writer's append ring; a power of two whose eighth holds a largest batch. */
    public EngineConfig writerRingBytes(final int bytes)
    {
        this.writerRingBytes = bytes;
        return this;
    }

    public int writerRingBytes()
    {
        return writerRingBytes;
    }

    /** Append requests a writer reads per duty cycle: the group-commit batch in durable mode. */
    public EngineConfig writerReadLimit(final int readLimit)
    {
        this.writerReadLimit = readLimit;
        return this;
    }

    public int writerReadLimit()
    {
        return writerReadLimit;
    }

    /** Capacity of each caller's completion ring; a power of two. */
    public EngineConfig completionRingBytes(final int bytes)
    {
        this.completionRingBytes = bytes;
        return this;
    }

    public int completionRingBytes()
    {
        return completionRingBytes;
    }

    /**
     * The window the housekeeper keeps reserved and populated ahead of each active segment's write position;
     * 0 turns windows off (segments are writable to their capacity and nobody pre-faults them). Keep it small:
     * populated pages are dirty page cache, and the kernel writes their zeros to disk.
     */
    public EngineConfig segmentPrepareBytes(final long bytes)
    {
        this.segmentPrepareBytes = bytes;
        return this;
    }

    public long segmentPrepareBytes()
    {
        return segmentPrepareBytes;
    }

    /** The housekeeper populates this much per step and raises the writable limit after each. */
    public EngineConfig segmentPrepareChunkBytes(final long bytes)
    {
        this.segmentPrepareChunkBytes = bytes;
        return this;
    }

    public long segmentPrepareChunkBytes()
    {
        return segmentPrepareChunkBytes;
    }

    /** False: the housekeeper never loads native calls and only pre-touches pages from Java. */
    public EngineConfig housekeeperNative(final boolean useNative)
    {
        this.housekeeperNative = useNative;
        return this;
    }

    public boolean housekeeperNative()
    {
        return housekeeperNative;
    }

    /** The config of partitions found on disk at start-up, and the base of topic overrides. */
    public EngineConfig logDefaults(final LogConfig logDefaults)
    {
        this.logDefaults = logDefaults;
        return this;
    }

    public LogConfig logDefaults()
    {
        return logDefaults;
    }

    public String toString()
    {
        return "EngineConfig{logDir=" + logDir + ", numWriterThreads=" + numWriterThreads +
            ", writerRingBytes=" + writerRingBytes + ", segmentPrepareBytes=" + segmentPrepareBytes +
            ", logDefaults=" + logDefaults + '}';
    }
}
