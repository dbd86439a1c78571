package io.loggia.net.broker.data;

import io.loggia.codec.wire.ApiKeys;
import org.apache.kafka.common.message.FetchRequestData;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.DataInputStream;
import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The network thread allocates nothing per request on the data path once warm: Produce acks=1 (v13, topic id)
 * and acks=all (v9), a Fetch served from a file region (v18), and a Fetch that parks and then answers at its
 * max wait (v12), pipelined on one connection. Measured with the thread's allocated-bytes counter.
 */
class DataPathAllocationTest
{
    static final int WARM_UP_CYCLES = 1_500;
    static final int CYCLES = 1_000;
    static final int WINDOWS = 3;

    @TempDir
    static Path dir;
    static DataPathTestBroker broker;

    @BeforeAll
    static void start() throws Exception
    {
        broker = new DataPathTestBroker(dir);
    }

    @AfterAll
    static void stop()
    {
        broker.close();
        assertThat(broker.errors).isEmpty();
    }

    @Test
    void networkThreadAllocatesNothingPerDataPathRequest() throws Exception
    {
        final String topic = "allocation";
        final UUID id = broker.createTopic(topic, 1);
        final FetchRequestData parking = RawKafkaClient.fetchRequest(topic, null, 0, 0, 64, 1, 1 << 30);
        final byte[][] frames = {
            RawKafkaClient.frame(ApiKeys.PRODUCE, 13, 1,
                RawKafkaClient.produceRequest((short)1, topic, id, 0, Batches.plain(3))),
            RawKafkaClient.frame(ApiKeys.PRODUCE, 9, 2,
                RawKafkaClient.produceRequest((short)-1, topic, null, 0, Batches.plain(2))),
            RawKafkaClient.frame(ApiKeys.FETCH, 18, 3,
                RawKafkaClient.fetchRequest(topic, id, 0, 0, 64, 0, 1)),
            RawKafkaClient.frame(ApiKeys.FETCH, 12, 4, parking),
        };
        int burstLength = 0;
        for (final byte[] frame : frames)
        {
            burstLength += frame.length;
        }
        final ByteBuffer burst = ByteBuffer.allocate(burstLength);
        for (final byte[] frame : frames)
        {
            burst.put(frame);
        }

        final com.sun.management.ThreadMXBean threads =
            (com.sun.management.ThreadMXBean)ManagementFactory.getThreadMXBean();
        final Thread networkThread = findThread(broker.server.agent(0).roleName());
        try (Socket socket = new Socket("127.0.0.1", broker.address().getPort()))
        {
            socket.setSoTimeout(30_000);
            socket.setTcpNoDelay(true);
            final OutputStream out = socket.getOutputStream();
            final DataInputStream in = new DataInputStream(socket.getInputStream());
            final byte[] response = new byte[1 << 16];
            for (int i = 0; i < WARM_UP_CYCLES; i++)
            {
                exchange(out, in, burst.array(), frames.length, response);
            }
            // the fewest bytes of a few windows: a stray allocation by the transport under a loaded machine
            // (an idle buffer released and re-made) may land in one window, a per-request one lands in all
            long fewest = Long.MAX_VALUE;
            for (int window = 0; window < WINDOWS; window++)
            {
                final long before = threads.getThreadAllocatedBytes(networkThread.getId());
                for (int i = 0; i < CYCLES; i++)
                {
                    exchange(out, in, burst.array(), frames.length, response);
                }
                fewest = Math.min(fewest, threads.getThreadAllocatedBytes(networkThread.getId()) - before);
            }
            assertThat(fewest).as("bytes allocated by the network thread over %d requests", frames.length * CYCLES)
                .isLessThan(CYCLES);
        }
        assertThat(broker.partition(topic, 0).log().logEndOffset())
            .isEqualTo(5L * (WARM_UP_CYCLES + WINDOWS * CYCLES));
    }

    private static void exchange(
        final OutputStream out, final DataInputStream in, final byte[] burst, final int responses, final byte[] into)
        throws Exception
    {
        out.write(burst);
        out.flush();
        for (int i = 0; i < responses; i++)
        {
            final int size = in.readInt();
            in.readFully(into, 0, size);
            // every response carries its request's correlation id, 1..responses in order
            assertThat(ByteBuffer.wrap(into).getInt(0)).isEqualTo(i + 1);
        }
    }

    private static Thread findThread(final String name)
    {
        for (final Thread thread : Thread.getAllStackTraces().keySet())
        {
            if (name.equals(thread.getName()))
            {
                return thread;
            }
        }
        throw new IllegalStateException("no thread " + name);
    }
}
