package io.loggia.net.transport;

import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;

import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A request handler for tests, driven by the first byte of each request:
 * <pre>
 *   'E' ...           echo the whole frame
 *   'P' ...           park; answered with an echo when the test calls {@link #completeLater(long)}
 *   'R' n ...         park; when n requests are parked, answer all of them in reverse order
 *   'N' ...           complete without a response
 *   'C' ...           echo, then close after the response
 *   'X' ...           throw
 *   'A' ...           respond with the peer as the request sees it: "host port" in UTF-8
 *   'F' file(int) count(int) (position(long) length(int)){count}
 *                     respond 'H', then per region: 'r' index(int), the file bytes; then 'T'
 *   (empty frame)     respond with an empty frame
 * </pre>
 * Allocates freely: it is a test double, not a hot path.
 */
final class ScriptedHandler implements RequestHandler
{
    /** State the test shares with the handler of every agent. */
    static final class Shared
    {
        final Map<Integer, FileChannel> files = new java.util.concurrent.ConcurrentHashMap<>();
        final List<ScriptedHandler> handlers = new java.util.concurrent.CopyOnWriteArrayList<>();
        final ConcurrentLinkedQueue<Long> parkedIds = new ConcurrentLinkedQueue<>();
        final AtomicInteger maxPending = new AtomicInteger();
        final AtomicInteger closedConnections = new AtomicInteger();
    }

    private final NetworkAgent agent;
    private final Shared shared;
    private final Map<Long, byte[]> parked = new HashMap<>();
    private final List<Long> reverseParked = new ArrayList<>();
    private final ConcurrentLinkedQueue<Long> completions = new ConcurrentLinkedQueue<>();

    ScriptedHandler(final NetworkAgent agent, final Shared shared)
    {
        this.agent = agent;
        this.shared = shared;
        shared.handlers.add(this);
    }

    static RequestHandlerFactory factory(final Shared shared)
    {
        return agent -> new ScriptedHandler(agent, shared);
    }

    NetworkAgent agent()
    {
        return agent;
    }

    /** From any thread: answer parked request {@code id} on the handler's thread, then wake it. */
    void completeLater(final long id)
    {
        completions.add(id);
        agent.wakeSignal().wake();
    }

    public void onRequest(final DirectBuffer buffer, final int offset, final int length, final InFlightRequest request)
    {
        if (length == 0)
        {
            request.responseWriter();
            request.complete();
            return;
        }
        final byte[] bytes = new byte[length];
        buffer.getBytes(offset, bytes);
        switch (bytes[0])
        {
            case 'E':
                echo(request, bytes);
                break;

            case 'C':
                echo(request, bytes);
                request.closeAfterResponse();
                break;

            case 'N':
                request.completeWithoutResponse();
                break;

            case 'X':
                throw new IllegalStateException("scripted failure");

            case 'A':
                echo(request, (request.remoteHost() + ' ' + request.remoteAddress().getPort())
                    .getBytes(java.nio.charset.StandardCharsets.UTF_8));
                break;

            case 'P':
                park(request, bytes);
                shared.parkedIds.add(request.id());
                break;

            case 'R':
                park(request, bytes);
                reverseParked.add(request.id());
                if (reverseParked.size() == bytes[1])
                {
                    for (int i = reverseParked.size() - 1; i >= 0; i--)
                    {
                        answerParked(reverseParked.get(i));
                    }
                    reverseParked.clear();
                }
                break;

            case 'F':
                sendFileRegions(request, buffer, offset);
                break;

            default:
                throw new IllegalArgumentException("unknown command " + bytes[0]);
        }
    }

    public int doWork(final long nowNs)
    {
        int work = 0;
        Long id;
        while (null != (id = completions.poll()))
        {
            answerParked(id);
            work++;
        }
        return work;
    }

    public void onConnectionClosed(final long connectionId)
    {
        shared.closedConnections.incrementAndGet();
    }

    private void park(final InFlightRequest request, final byte[] bytes)
    {
        parked.put(request.id(), bytes);
        shared.maxPending.accumulateAndGet(parked.size(), Math::max);
    }

    private void answerParked(final long id)
    {
        final byte[] bytes = parked.remove(id);
        final InFlightRequest request = agent.inFlight(id);
        if (null != request)
        {
            echo(request, bytes);
        }
    }

    private static void echo(final InFlightRequest request, final byte[] bytes)
    {
        final ResponseWriter writer = request.responseWriter();
        final int at = writer.claim(bytes.length);
        writer.buffer().putBytes(at, bytes);
        request.complete();
    }

    private void sendFileRegions(final InFlightRequest request, final DirectBuffer buffer, final int offset)
    {
        final FileChannel file = shared.files.get(buffer.getInt(offset + 1, ByteOrder.BIG_ENDIAN));
        final int count = buffer.getInt(offset + 5, ByteOrder.BIG_ENDIAN);
        final ResponseWriter writer = request.responseWriter();
        final MutableDirectBuffer out = writer.buffer();
        out.putByte(writer.claim(1), (byte)'H');
        int at = offset + 9;
        for (int i = 0; i < count; i++)
        {
            final long position = buffer.getLong(at, ByteOrder.BIG_ENDIAN);
            final int length = buffer.getInt(at + 8, ByteOrder.BIG_ENDIAN);
            at += 12;
            final int index = writer.claim(5);
            out.putByte(index, (byte)'r');
            out.putInt(index + 1, i, ByteOrder.BIG_ENDIAN);
            writer.addFileRegion(file, position, length);
        }
        out.putByte(writer.claim(1), (byte)'T');
        request.complete();
    }
}
