package io.loggia.net.fuzz;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.util.Iterator;
import java.util.concurrent.TimeUnit;

/**
 * Sends inputs to a broker over many connections from one thread (NIO), one input in flight per connection so
 * every answer or close belongs to exactly one input. A Produce input is followed by an ApiVersions v0
 * "sentinel" on the same connection: its answer arriving first means the Produce got none (acks=0). Framing
 * inputs (a lying size prefix) are followed by a half-close, so the broker sees the stream end. A connection
 * the broker closed is replaced by a new one.
 * <p>
 * Each input has a deadline: {@link ResponseOracle#BASE_WAIT_MS} plus what the request may legitimately wait (a
 * Fetch's max wait, a JoinGroup's rebalance timeout); missing it is a hang. A legitimate wait longer than
 * {@code abandonAfterMs} is cut short by closing the connection (the broker must then forget the request).
 */
final class SocketFuzzer implements AutoCloseable
{
    /** No input answered or closed for this long, while inputs are in flight, means the broker hangs. */
    static final long STALL_NS = TimeUnit.SECONDS.toNanos(30);

    private static final int MAX_RESPONSE_BYTES = 256 * 1024 * 1024;
    private static final int SENTINEL_BASE = 0x7E000000;
    private static final int CONNECT_ATTEMPTS = 50;

    private final InetSocketAddress address;
    private final ResponseOracle oracle;
    private final InputSource source;
    private final FuzzReport report;
    private final long abandonAfterNs;
    private final Selector selector;
    private final Slot[] slots;
    private int sentinelSequence;
    private long lastProgressNs = System.nanoTime();
    private boolean stalled;
    private long connections;

    private static final class Slot
    {
        SocketChannel channel;
        SelectionKey key;
        FuzzInput input;
        Expectation expectation;
        ByteBuffer out;
        ByteBuffer in = ByteBuffer.allocate(64 * 1024);
        int sentinelId;
        boolean expectSentinel;
        byte[] answer;
        long deadlineNs;
        long abandonNs;
        boolean halfClose;
    }

    SocketFuzzer(
        final InetSocketAddress address,
        final int connections,
        final ResponseOracle oracle,
        final InputSource source,
        final FuzzReport report,
        final long abandonAfterMs) throws IOException
    {
        this.address = address;
        this.oracle = oracle;
        this.source = source;
        this.report = report;
        this.abandonAfterNs = TimeUnit.MILLISECONDS.toNanos(abandonAfterMs);
        this.selector = Selector.open();
        this.slots = new Slot[connections];
        for (int i = 0; i < connections; i++)
        {
            slots[i] = new Slot();
        }
    }

    /** Connections opened so far, the first ones included. */
    long connections()
    {
        return connections;
    }

    /**
     * Send {@code inputs} inputs (or stop at {@code endNs}) and wait for each one's outcome.
     *
     * @return the inputs sent.
     */
    /** True once no input was answered or closed for {@link #STALL_NS}: the run stopped issuing, the broker hangs. */
    boolean stalled()
    {
        return stalled;
    }

    long run(final long inputs, final long endNs) throws IOException
    {
        long issued = 0;
        while (true)
        {
            final long nowNs = System.nanoTime();
            if (!stalled && nowNs - lastProgressNs > STALL_NS)
            {
                // every input times out: the broker hangs; let those in flight finish by their deadlines and stop
                stalled = true;
            }
            final boolean issuing = !stalled && issued < inputs && nowNs - endNs < 0;
            int busy = 0;
            for (final Slot slot : slots)
            {
                if (null == slot.input && issuing && issued < inputs)
                {
                    start(slot, source.next(), nowNs);
                    issued++;
                }
                if (null != slot.input)
                {
                    busy++;
                }
            }
            if (busy == 0 && !issuing)
            {
                return issued;
            }
            selector.select(5);
            final Iterator<SelectionKey> keys = selector.selectedKeys().iterator();
            while (keys.hasNext())
            {
                final SelectionKey key = keys.next();
                keys.remove();
                final Slot slot = (Slot)key.attachment();
                if (!key.isValid() || slot.key != key)
                {
                    continue;
                }
                if (key.isConnectable())
                {
                    connected(slot);
                    continue;
                }
                if (key.isWritable())
                {
                    write(slot);
                }
                if (key.isValid() && key.isReadable())
                {
                    read(slot);
                }
            }
            checkDeadlines(System.nanoTime());
        }
    }

    private void start(final Slot slot, final FuzzInput input, final long nowNs) throws IOException
    {
        if (null == slot.channel)
        {
            connect(slot);
        }
        slot.input = input;
        slot.expectation = oracle.expect(input);
        slot.answer = null;
        slot.halfClose = input.sizeLie != 0;
        slot.expectSentinel = !slot.halfClose && input.apiKey() == 0;
        final byte[] wire = input.wire();
        if (slot.expectSentinel)
        {
            slot.sentinelId = SENTINEL_BASE + (sentinelSequence++ & 0xFFFFFF);
            final ByteBuffer out = ByteBuffer.allocate(wire.length + 14);
            out.put(wire).putInt(10).putShort((short)18).putShort((short)0).putInt(slot.sentinelId)
                .putShort((short)-1).flip();
            slot.out = out;
            report.sentinel();
        }
        else
        {
            slot.out = ByteBuffer.wrap(wire);
        }
        final long waitNs = TimeUnit.MILLISECONDS.toNanos(slot.expectation.waitMs);
        slot.deadlineNs = nowNs + TimeUnit.MILLISECONDS.toNanos(ResponseOracle.BASE_WAIT_MS) + waitNs;
        slot.abandonNs = waitNs > abandonAfterNs ? nowNs + abandonAfterNs : Long.MAX_VALUE;
        if (slot.channel.isConnected())
        {
            write(slot);
        }
    }

    /**
     * Opens a connection without blocking: a broker that stopped accepting must show as inputs that time out,
     * not as a fuzzer stuck in {@code connect}.
     */
    private void connect(final Slot slot) throws IOException
    {
        IOException last = null;
        for (int attempt = 0; attempt < CONNECT_ATTEMPTS; attempt++)
        {
            SocketChannel channel = null;
            try
            {
                channel = SocketChannel.open();
                channel.configureBlocking(false);
                channel.setOption(StandardSocketOptions.TCP_NODELAY, true);
                final boolean connected = channel.connect(address);
                slot.channel = channel;
                slot.key = channel.register(selector, connected ? SelectionKey.OP_READ : SelectionKey.OP_CONNECT, slot);
                slot.in.clear();
                connections++;
                return;
            }
            catch (final IOException ex)
            {
                last = ex;
                if (null != channel)
                {
                    channel.close();
                }
                java.util.concurrent.locks.LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(20));
            }
        }
        throw new IOException("cannot connect to the broker at " + address + " any more", last);
    }

    private void connected(final Slot slot)
    {
        try
        {
            slot.channel.finishConnect();
        }
        catch (final IOException ex)
        {
            // refused or reset while connecting: the broker turned the connection away
            closed(slot);
            return;
        }
        slot.key.interestOps(SelectionKey.OP_READ);
        if (null != slot.input)
        {
            write(slot);
        }
    }

    private void write(final Slot slot)
    {
        try
        {
            slot.channel.write(slot.out);
            if (slot.out.hasRemaining())
            {
                slot.key.interestOps(SelectionKey.OP_READ | SelectionKey.OP_WRITE);
                return;
            }
            slot.key.interestOps(SelectionKey.OP_READ);
            if (slot.halfClose)
            {
                slot.channel.shutdownOutput();
            }
        }
        catch (final IOException ex)
        {
            closed(slot);
        }
    }

    private void read(final Slot slot)
    {
        final int read;
        try
        {
            if (!slot.in.hasRemaining())
            {
                grow(slot, slot.in.capacity() * 2);
            }
            read = slot.channel.read(slot.in);
        }
        catch (final IOException ex)
        {
            closed(slot);
            return;
        }
        if (read < 0)
        {
            closed(slot);
            return;
        }
        final ByteBuffer in = slot.in;
        in.flip();
        while (in.remaining() >= 4 && null != slot.channel)
        {
            final int size = in.getInt(in.position());
            if (size < 0 || size > MAX_RESPONSE_BYTES)
            {
                finish(slot, Outcome.ANSWERED, new byte[0]);
                drop(slot);
                return;
            }
            if (in.remaining() < 4 + size)
            {
                if (4 + size > in.capacity())
                {
                    in.compact();
                    grow(slot, 4 + size);
                    return;
                }
                break;
            }
            in.getInt();
            final byte[] frame = new byte[size];
            in.get(frame);
            onFrame(slot, frame);
        }
        if (null != slot.channel)
        {
            in.compact();
        }
    }

    private void onFrame(final Slot slot, final byte[] frame)
    {
        if (null == slot.input)
        {
            report.record(new FuzzInput(frame, FuzzInput.RANDOM, -1, (short)-1, 0, "unsolicited response"),
                Outcome.ANSWERED, Verdict.BAD_RESPONSE, "a response to no request");
            return;
        }
        if (slot.halfClose)
        {
            return;
        }
        final int correlationId = frame.length >= 4 ?
            ((frame[0] & 0xFF) << 24) | ((frame[1] & 0xFF) << 16) | ((frame[2] & 0xFF) << 8) | (frame[3] & 0xFF) : 0;
        if (slot.expectSentinel && correlationId == slot.sentinelId)
        {
            finish(slot, null == slot.answer ? Outcome.NO_RESPONSE : Outcome.ANSWERED, slot.answer);
        }
        else if (slot.expectSentinel && null == slot.answer)
        {
            slot.answer = frame;
        }
        else if (slot.expectSentinel)
        {
            finish(slot, Outcome.ANSWERED, new byte[0]);
            drop(slot);
        }
        else
        {
            finish(slot, Outcome.ANSWERED, frame);
        }
    }

    private void closed(final Slot slot)
    {
        if (null != slot.input)
        {
            finish(slot, Outcome.CLOSED, null);
        }
        drop(slot);
    }

    private void checkDeadlines(final long nowNs)
    {
        for (final Slot slot : slots)
        {
            if (null == slot.input)
            {
                continue;
            }
            if (nowNs - slot.abandonNs > 0)
            {
                finish(slot, Outcome.ABANDONED, null);
                drop(slot);
            }
            else if (nowNs - slot.deadlineNs > 0)
            {
                finish(slot, Outcome.TIMED_OUT, null);
                drop(slot);
            }
        }
    }

    private void finish(final Slot slot, final int outcome, final byte[] answer)
    {
        final FuzzInput input = slot.input;
        slot.input = null;
        if (Outcome.TIMED_OUT != outcome && Outcome.ABANDONED != outcome)
        {
            lastProgressNs = System.nanoTime();
        }
        final StringBuilder detail = new StringBuilder();
        final int verdict = oracle.judge(input, slot.expectation, outcome, answer, detail);
        report.record(input, outcome, verdict, detail.toString());
        source.feedback(input, outcome, oracle.lastAnswerSignature());
    }

    private void drop(final Slot slot)
    {
        if (null != slot.channel)
        {
            slot.key.cancel();
            try
            {
                slot.channel.close();
            }
            catch (final IOException ignore)
            {
                // closing a socket the broker may have reset already
            }
        }
        slot.channel = null;
        slot.key = null;
        slot.in.clear();
        if (slot.in.capacity() > 1024 * 1024)
        {
            slot.in = ByteBuffer.allocate(64 * 1024);
        }
    }

    private static void grow(final Slot slot, final int capacity)
    {
        final ByteBuffer bigger = ByteBuffer.allocate(capacity);
        slot.in.flip();
        bigger.put(slot.in);
        slot.in = bigger;
    }

    public void close() throws IOException
    {
        for (final Slot slot : slots)
        {
            drop(slot);
        }
        selector.close();
    }
}
