package io.loggia.engine.log;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The {@code .kafka_cleanshutdown} file in a log dir: written after every log in the dir was closed (flushed
 * and trimmed) and the checkpoints written; deleted once the logs are loaded again, so a crash after start-up
 * means no marker and a full recovery scan. The content is Kafka's: {@code {"version":0,"brokerEpoch":N}}.
 */
public final class CleanShutdownMarker
{
    private CleanShutdownMarker()
    {
    }

    public static Path file(final Path logDir)
    {
        return logDir.resolve(LogFiles.CLEAN_SHUTDOWN_FILE);
    }

    public static boolean exists(final Path logDir)
    {
        return Files.exists(file(logDir));
    }

    /** Write the marker atomically and durably. */
    public static void write(final Path logDir, final long brokerEpoch) throws IOException
    {
        final String content = "{\"version\":0,\"brokerEpoch\":" + brokerEpoch + "}";
        OffsetCheckpointFile.writeAtomically(file(logDir), content.getBytes(StandardCharsets.UTF_8));
    }

    /** Remove the marker durably; nothing happens if it is absent. */
    public static void delete(final Path logDir) throws IOException
    {
        if (Files.deleteIfExists(file(logDir)))
        {
            OffsetCheckpointFile.forceDirectory(logDir);
        }
    }
}
