package io.loggia.perf.lean;

import io.loggia.codec.wire.ApiKeys;
import io.loggia.codec.wire.WireReader;
import io.loggia.codec.wire.WireWriter;
import io.loggia.perf.CostTracker;
import io.loggia.perf.ProcStat;
import io.loggia.perf.ProcessSample;
import org.agrona.concurrent.UnsafeBuffer;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * {@code loggia perf drain}: reads a topic from its earliest to its latest offset (taken at the start) as fast
 * as one broker serves it, without the Kafka client, and reports the record bytes per second and the broker's CPU
 * per byte. The read-side twin of {@link LeanProducer}.
 * <p>
 * A control connection ({@link LeanConnection}) asks ApiVersions v0, Metadata v12 and ListOffsets v7 (earliest,
 * latest) for every partition; then C connections, each on its own thread with every C-th partition, fetch
 * (v13 by topic id when the broker gave one, else v12 by name; min bytes 1, read uncommitted, no session) with
 * one request in flight until each partition reaches its latest offset. Every response byte is read from the
 * socket; only batch headers are looked at ({@link FetchResponseStream}). With {@code --repeat R} the same
 * connections drain R times (the page cache is warm after the first) and the median is printed.
 * <p>
 * Not thread safe: the main thread runs it and starts the drain threads (see {@link DrainWorker}).
 */
public final class LeanFetchDrain
{
    private static final byte[] CLIENT_ID = "loggia-perf-drain".getBytes(StandardCharsets.UTF_8);
    private static final int UNKNOWN_TOPIC_OR_PARTITION = 3;

    private LeanFetchDrain()
    {
    }

    /**
     * @param args the arguments after {@code drain}.
     * @param out  where the summary lines go.
     * @return the exit status: 0 when every drain finished.
     * @throws IOException              when the broker cannot be reached, refuses a request or a drain fails.
     * @throws IllegalArgumentException for bad arguments.
     * @throws InterruptedException     when interrupted while waiting for the drain threads.
     */
    public static int run(final String[] args, final PrintStream out) throws IOException, InterruptedException
    {
        drain(DrainOptions.parse(args), out);
        return 0;
    }

    /**
     * Run the drains and print one line per drain (and the median with more than one).
     *
     * @param options what to drain and how.
     * @param out     where the lines go.
     * @return one result per drain.
     * @throws IOException          when the broker cannot be reached, refuses a request or a drain fails.
     * @throws InterruptedException when interrupted while waiting for the drain threads.
     */
    public static List<DrainResult> drain(final DrainOptions options, final PrintStream out)
        throws IOException, InterruptedException
    {
        final DrainTopic topic = new DrainTopic(options.topic());
        final int fetchVersion = describe(options, topic);
        final int connections = Math.max(1, Math.min(options.connections(), topic.partitionCount()));
        out.println(String.format(Locale.ROOT,
            "drain: topic %s, %d partition(s), %,d offsets, Fetch v%d, %d connection(s), max bytes %,d, " +
            "partition max bytes %,d", topic.name(), topic.partitionCount(), topic.offsetSpan(), fetchVersion,
            connections, options.maxBytes(), options.partitionMaxBytes()));

        final DrainWorker[] workers = new DrainWorker[connections];
        final List<DrainResult> results = new ArrayList<>();
        try
        {
            for (int c = 0; c < connections; c++)
            {
                workers[c] = new DrainWorker(options.host(), options.port(), topic, slotsOf(topic, c, connections),
                    fetchVersion, options);
            }
            for (int r = 0; r < options.repeat(); r++)
            {
                final DrainResult result = drainOnce(workers, options.brokerPid());
                results.add(result);
                out.println(result.summary());
            }
        }
        finally
        {
            for (final DrainWorker worker : workers)
            {
                if (null != worker)
                {
                    worker.close();
                }
            }
        }
        if (results.size() > 1)
        {
            out.println(median(results));
        }
        return results;
    }

    private static DrainResult drainOnce(final DrainWorker[] workers, final long brokerPid)
        throws IOException, InterruptedException
    {
        final Thread[] threads = new Thread[workers.length];
        for (int c = 0; c < workers.length; c++)
        {
            workers[c].reset();
            threads[c] = new Thread(workers[c], "perf-drain-" + c);
        }
        final ProcessSample brokerStart = new ProcessSample();
        final ProcessSample brokerEnd = new ProcessSample();
        final ProcessSample selfStart = new ProcessSample();
        final ProcessSample selfEnd = new ProcessSample();
        final long selfPid = ProcessHandle.current().pid();
        final boolean brokerSeen = brokerPid != CostTracker.NO_PID && ProcStat.readProcess(brokerPid, brokerStart);
        final boolean selfSeen = ProcStat.readProcess(selfPid, selfStart);
        final long startNs = System.nanoTime();
        for (final Thread thread : threads)
        {
            thread.start();
        }
        for (final Thread thread : threads)
        {
            thread.join();
        }
        final long wallNs = System.nanoTime() - startNs;
        final boolean brokerRead = brokerSeen && ProcStat.readProcess(brokerPid, brokerEnd);
        final boolean selfRead = selfSeen && ProcStat.readProcess(selfPid, selfEnd);
        if (brokerPid != CostTracker.NO_PID && !brokerRead)
        {
            throw new IOException("cannot read /proc/" + brokerPid + "/stat: is the broker pid right?");
        }

        long records = 0;
        long whole = 0;
        long partial = 0;
        long frames = 0;
        long fetches = 0;
        for (final DrainWorker worker : workers)
        {
            if (null != worker.failure())
            {
                throw new IOException("drain failed: " + worker.failure());
            }
            records += worker.recordBytes();
            whole += worker.wholeBatchBytes();
            partial += worker.partialBytes();
            frames += worker.frameBytes();
            fetches += worker.fetches();
        }
        return new DrainResult(records, whole, partial, frames, fetches, wallNs,
            brokerRead ? brokerEnd.cpuTicks - brokerStart.cpuTicks : DrainResult.NO_TICKS,
            selfRead ? selfEnd.cpuTicks - selfStart.cpuTicks : DrainResult.NO_TICKS);
    }

    /** ApiVersions, Metadata and ListOffsets on a control connection; returns the Fetch version to use. */
    static int describe(final DrainOptions options, final DrainTopic topic) throws IOException
    {
        final UnsafeBuffer request = new UnsafeBuffer(ByteBuffer.allocateDirect(
            64 * 1024 + topic.nameBuffer().capacity()));
        final WireWriter writer = new WireWriter();
        final WireReader reader = new WireReader();
        final UnsafeBuffer response = new UnsafeBuffer(0, 0);
        try (LeanConnection connection = LeanConnection.open(options.host(), options.port()))
        {
            ByteBuffer frame = exchange(connection, request,
                LeanProtocol.apiVersionsRequest(writer.wrap(request, 0), 1, CLIENT_ID));
            response.wrap(frame, 0, frame.limit());
            final int metadataMax = LeanProtocol.maxVersion(reader.wrap(response, 0, frame.limit()), ApiKeys.METADATA);
            final int listOffsetsMax =
                LeanProtocol.maxVersion(reader.wrap(response, 0, frame.limit()), ApiKeys.LIST_OFFSETS);
            final int fetchMax = LeanProtocol.maxVersion(reader.wrap(response, 0, frame.limit()), ApiKeys.FETCH);
            if (metadataMax < DrainProtocol.METADATA_VERSION || listOffsetsMax < DrainProtocol.LIST_OFFSETS_VERSION ||
                fetchMax < DrainProtocol.FETCH_VERSION_BY_NAME)
            {
                throw new IOException("the broker lacks Metadata v" + DrainProtocol.METADATA_VERSION +
                    ", ListOffsets v" + DrainProtocol.LIST_OFFSETS_VERSION + " or Fetch v" +
                    DrainProtocol.FETCH_VERSION_BY_NAME + " (it lists up to " + metadataMax + ", " + listOffsetsMax +
                    ", " + fetchMax + ")");
            }

            final byte[] name = topic.name().getBytes(StandardCharsets.UTF_8);
            frame = exchange(connection, request, DrainProtocol.metadataRequest(writer.wrap(request, 0), 2,
                CLIENT_ID, name));
            response.wrap(frame, 0, frame.limit());
            final int metadata = DrainProtocol.readMetadata(reader.wrap(response, 0, frame.limit()), topic);
            if (metadata == UNKNOWN_TOPIC_OR_PARTITION)
            {
                throw new IOException("topic '" + topic.name() + "' does not exist");
            }
            if (metadata != 0 || topic.partitionCount() == 0)
            {
                throw new IOException("Metadata for '" + topic.name() + "' failed: " + errorText(metadata));
            }
            topic.sort();
            for (int i = 1; i < topic.partitionCount(); i++)
            {
                if (topic.leader(i) != topic.leader(0))
                {
                    throw new IOException("partitions of '" + topic.name() + "' have different leaders; " +
                        "the drain reads from one broker");
                }
            }

            listOffsets(connection, request, writer, reader, response, topic, true);
            listOffsets(connection, request, writer, reader, response, topic, false);
            return fetchMax >= DrainProtocol.FETCH_VERSION_BY_ID && topic.hasId() ?
                DrainProtocol.FETCH_VERSION_BY_ID : DrainProtocol.FETCH_VERSION_BY_NAME;
        }
    }

    private static void listOffsets(
        final LeanConnection connection,
        final UnsafeBuffer request,
        final WireWriter writer,
        final WireReader reader,
        final UnsafeBuffer response,
        final DrainTopic topic,
        final boolean earliest) throws IOException
    {
        final int correlationId = earliest ? 3 : 4;
        final ByteBuffer frame = exchange(connection, request, DrainProtocol.listOffsetsRequest(
            writer.wrap(request, 0), correlationId, CLIENT_ID, topic,
            earliest ? DrainProtocol.EARLIEST_TIMESTAMP : DrainProtocol.LATEST_TIMESTAMP));
        response.wrap(frame, 0, frame.limit());
        final int result = DrainProtocol.readListOffsets(reader.wrap(response, 0, frame.limit()), topic, earliest);
        if (result != 0)
        {
            throw new IOException("ListOffsets (" + (earliest ? "earliest" : "latest") + ") failed: " +
                errorText(result));
        }
    }

    private static ByteBuffer exchange(final LeanConnection connection, final UnsafeBuffer request, final int length)
        throws IOException
    {
        if (length < 0)
        {
            throw new IOException("request does not fit its buffer");
        }
        final ByteBuffer bytes = request.byteBuffer().duplicate();
        bytes.limit(length).position(0);
        connection.write(bytes);
        return connection.readFrame();
    }

    private static String errorText(final int code)
    {
        return code == DrainProtocol.MALFORMED ? "malformed response or partition error" : "error code " + code;
    }

    static int[] slotsOf(final DrainTopic topic, final int connection, final int connections)
    {
        final int[] slots = new int[(topic.partitionCount() - connection + connections - 1) / connections];
        for (int i = 0; i < slots.length; i++)
        {
            slots[i] = connection + i * connections;
        }
        return slots;
    }

    private static String median(final List<DrainResult> results)
    {
        final int n = results.size();
        final double[] rates = new double[n];
        final double[] costs = new double[n];
        boolean broker = true;
        for (int i = 0; i < n; i++)
        {
            rates[i] = results.get(i).gigabytesPerSecond();
            costs[i] = results.get(i).brokerSecondsPerGigabyte();
            broker &= results.get(i).hasBrokerCpu();
        }
        final StringBuilder line = new StringBuilder(String.format(Locale.ROOT, "median of %d: %.3f GB/s", n,
            median(rates)));
        if (broker)
        {
            line.append(String.format(Locale.ROOT, ", broker cpu %.2f s/GB", median(costs)));
        }
        return line.toString();
    }

    private static double median(final double[] values)
    {
        final double[] sorted = values.clone();
        Arrays.sort(sorted);
        final int n = sorted.length;
        return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
    }
}
