package io.loggia.net.transport;

import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.lang.management.ManagementFactory;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;

import static org.assertj.core.api.Assertions.assertThat;

/** The network thread allocates nothing per request in steady state, measured on that thread. */
class AllocationFreeTest
{
    private static final int CYCLES = 3_000;
    private static final int FILE_REGION_LENGTH = 4096;

    private final com.sun.management.ThreadMXBean threads =
        (com.sun.management.ThreadMXBean)ManagementFactory.getThreadMXBean();

    @TempDir
    Path directory;

    /**
     * 'E' echoes synchronously; 'A' answers on the next duty cycle through {@link NetworkAgent#inFlight(long)};
     * 'F' answers with a header and a file region. Nothing is allocated per request.
     */
    static final class QuietHandler implements RequestHandler
    {
        private final NetworkAgent agent;
        private final FileChannel file;
        private final long[] parked = new long[64];
        private int parkedCount;

        QuietHandler(final NetworkAgent agent, final FileChannel file)
        {
            this.agent = agent;
            this.file = file;
        }

        public void onRequest(final DirectBuffer buffer, final int offset, final int length, final InFlightRequest request)
        {
            final byte command = buffer.getByte(offset);
            if (command == 'A')
            {
                parked[parkedCount++] = request.id();
                return;
            }
            final ResponseWriter writer = request.responseWriter();
            final MutableDirectBuffer out = writer.buffer();
            if (command == 'F')
            {
                out.putByte(writer.claim(1), (byte)'H');
                writer.addFileRegion(file, 100, FILE_REGION_LENGTH);
            }
            else
            {
                out.putBytes(writer.claim(length), buffer, offset, length);
            }
            request.complete();
        }

        public int doWork(final long nowNs)
        {
            final int count = parkedCount;
            for (int i = 0; i < count; i++)
            {
                final InFlightRequest request = agent.inFlight(parked[i]);
                final ResponseWriter writer = request.responseWriter();
                writer.buffer().putByte(writer.claim(1), (byte)'a');
                request.complete();
            }
            parkedCount = 0;
            return count;
        }
    }

    @Test
    void networkThreadAllocatesNothingPerRequest() throws Exception
    {
        final byte[] content = FileRegionSendTest.randomBytes(64 * 1024, 9);
        final Path path = directory.resolve("region.log");
        Files.write(path, content);
        final byte[] echo = TestServers.command('E', 1, 300);
        final byte[] async = TestServers.command('A', 2, 40);
        final byte[] fetch = TestServers.command('F', 3, 20);
        final byte[] expectedFetch = new byte[1 + FILE_REGION_LENGTH];
        expectedFetch[0] = 'H';
        System.arraycopy(content, 100, expectedFetch, 1, FILE_REGION_LENGTH);
        final ByteBuffer pipelined = ByteBuffer.allocate(1024)
            .put(TestClient.frame(echo)).put(TestClient.frame(async)).put(TestClient.frame(fetch));
        final byte[] burst = Arrays.copyOf(pipelined.array(), pipelined.position());

        try (FileChannel file = FileChannel.open(path, StandardOpenOption.READ);
            NetworkServer server = new NetworkServer(TestServers.config(), agent -> new QuietHandler(agent, file))
                .start();
            TestClient client = TestClient.connect(server.localAddress()))
        {
            final Thread networkThread = findThread(server.agent(0).roleName());
            final byte[] echoReply = new byte[4 + echo.length];
            final byte[] asyncReply = new byte[4 + 1];
            final byte[] fetchReply = new byte[4 + expectedFetch.length];
            for (int i = 0; i < CYCLES; i++)
            {
                exchange(client, burst, echoReply, asyncReply, fetchReply);
            }
            final long before = threads.getThreadAllocatedBytes(networkThread.getId());
            for (int i = 0; i < CYCLES; i++)
            {
                exchange(client, burst, echoReply, asyncReply, fetchReply);
            }
            final long allocated = threads.getThreadAllocatedBytes(networkThread.getId()) - before;

            assertThat(Arrays.copyOfRange(echoReply, 4, echoReply.length)).isEqualTo(echo);
            assertThat(asyncReply[4]).isEqualTo((byte)'a');
            assertThat(Arrays.copyOfRange(fetchReply, 4, fetchReply.length)).isEqualTo(expectedFetch);
            assertThat(allocated).as("bytes allocated by the network thread over %d requests", 3 * CYCLES)
                .isLessThan(CYCLES);
        }
    }

    private static void exchange(
        final TestClient client,
        final byte[] burst,
        final byte[] echoReply,
        final byte[] asyncReply,
        final byte[] fetchReply) throws Exception
    {
        client.sendRaw(burst);
        client.receiveFully(echoReply, echoReply.length);
        client.receiveFully(asyncReply, asyncReply.length);
        client.receiveFully(fetchReply, fetchReply.length);
    }

    private static Thread findThread(final String name)
    {
        for (final Thread thread : Thread.getAllStackTraces().keySet())
        {
            if (thread.getName().equals(name))
            {
                return thread;
            }
        }
        throw new AssertionError("no thread " + name);
    }
}
