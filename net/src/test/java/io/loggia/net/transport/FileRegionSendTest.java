package io.loggia.net.transport;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.RandomAccessFile;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

class FileRegionSendTest
{
    private static final int MIB = 1024 * 1024;

    @TempDir
    Path directory;

    @Test
    void sendsSeveralMebibytesOfFileRegionsThroughASlowReader() throws Exception
    {
        final byte[] content = randomBytes(6 * MIB, 3);
        final Path path = directory.resolve("segment.log");
        Files.write(path, content);
        final long[][] regions = { { 0, 2 * MIB + 17 }, { 3 * MIB, 0 }, { 2 * MIB + 17, 3 * MIB }, { 5 * MIB, MIB } };

        final ScriptedHandler.Shared shared = new ScriptedHandler.Shared();
        try (FileChannel file = FileChannel.open(path, StandardOpenOption.READ);
            NetworkServer server = TestServers.start(TestServers.config().socketSendBufferBytes(16 * 1024), shared);
            TestClient client = TestClient.connect(server.localAddress(), null, 4096))
        {
            shared.files.put(1, file);
            for (int round = 0; round < 2; round++)
            {
                client.send(fileRequest(1, regions));
                final byte[] expected = expectedResponse(content, regions);
                assertThat(client.readInt()).isEqualTo(expected.length);
                final byte[] actual = new byte[expected.length];
                client.receiveFully(actual, 1000);
                assertThat(Arrays.equals(actual, expected)).as("response bytes of round %d", round).isTrue();
            }
            final NetworkCounters counters = server.agent(0).counters();
            TestServers.await(() -> counters.get(NetworkCounters.RESPONSES) == 2, "2 responses counted");
            assertThat(counters.get(NetworkCounters.FILE_BYTES_OUT)).isEqualTo(2L * (6 * MIB + 17));
            assertThat(counters.get(NetworkCounters.SEND_WAITS)).isPositive();
        }
    }

    @Test
    void closesTheConnectionWhenTheFileIsTruncatedDuringTheSend() throws Exception
    {
        final byte[] content = randomBytes(8 * MIB, 5);
        final Path path = directory.resolve("truncated.log");
        Files.write(path, content);
        final long[][] regions = { { 0, 8 * MIB } };

        final ScriptedHandler.Shared shared = new ScriptedHandler.Shared();
        try (FileChannel file = FileChannel.open(path, StandardOpenOption.READ);
            NetworkServer server = TestServers.start(TestServers.config().socketSendBufferBytes(16 * 1024), shared);
            TestClient victim = TestClient.connect(server.localAddress(), null, 4096);
            TestClient bystander = TestClient.connect(server.localAddress()))
        {
            shared.files.put(1, file);
            final NetworkCounters counters = server.agent(0).counters();
            victim.send(fileRequest(1, regions));
            TestServers.await(() -> counters.get(NetworkCounters.SEND_WAITS) > 0, "the send to block on a full socket");
            assertThat(counters.get(NetworkCounters.FILE_BYTES_OUT)).isLessThan(MIB);
            try (RandomAccessFile truncator = new RandomAccessFile(path.toFile(), "rw"))
            {
                truncator.setLength(MIB);
            }

            final long received = victim.awaitClosed(TestServers.DEADLINE_MS);
            assertThat(received).isLessThan(8L * MIB);
            TestServers.await(() -> counters.closes(CloseReason.FILE_TRUNCATED) == 1, "a close for truncation");
            assertThat(counters.get(NetworkCounters.FILE_BYTES_OUT)).isLessThanOrEqualTo(MIB);

            final byte[] request = TestServers.command('E', 1, 100);
            bystander.send(request);
            assertThat(bystander.receive()).isEqualTo(request);
        }
    }

    static byte[] fileRequest(final int fileId, final long[][] regions)
    {
        final ByteBuffer request = ByteBuffer.allocate(9 + 12 * regions.length);
        request.put((byte)'F').putInt(fileId).putInt(regions.length);
        for (final long[] region : regions)
        {
            request.putLong(region[0]).putInt((int)region[1]);
        }
        return request.array();
    }

    static byte[] expectedResponse(final byte[] content, final long[][] regions)
    {
        final ByteArrayOutputStream expected = new ByteArrayOutputStream();
        expected.write('H');
        for (int i = 0; i < regions.length; i++)
        {
            expected.write('r');
            expected.writeBytes(ByteBuffer.allocate(4).putInt(i).array());
            expected.write(content, (int)regions[i][0], (int)regions[i][1]);
        }
        expected.write('T');
        return expected.toByteArray();
    }

    static byte[] randomBytes(final int length, final long seed)
    {
        final byte[] bytes = new byte[length];
        new Random(seed).nextBytes(bytes);
        return bytes;
    }
}
