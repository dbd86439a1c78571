package io.loggia.net.broker;

import io.loggia.codec.wire.ResponseHeader;
import io.loggia.codec.wire.Varints;
import io.loggia.net.transport.InFlightRequest;
import io.loggia.net.transport.ResponseWriter;
import org.agrona.concurrent.UnsafeBuffer;

import java.nio.ByteOrder;

/**
 * ApiVersions, the first request of every client, answered from bodies encoded once: copying a few hundred bytes
 * per connection, no kafka-clients class, no allocation. The request body carries only the client's software
 * name and version, which Loggia does not use, so it is not decoded.
 * <pre>
 *   v0:    error_code int16 | api_keys int32 count, { api_key int16 | min int16 | max int16 }
 *   v1-2:  v0 | throttle_time_ms int32
 *   v3-5:  error_code int16 | api_keys uvarint count+1, { api_key | min | max | tags 0x00 } | throttle int32 | 0x00
 *   other: the v0 body with error_code UNSUPPORTED_VERSION (35)
 * </pre>
 * The response header is always v0, a bare correlation id, even for flexible versions (KIP-511): a client that
 * sent a version this broker does not know must still read the answer, which tells it the versions this broker
 * does know, so it retries with one of them.
 */
final class ApiVersionsResponder
{
    static final short MAX_VERSION = 5;
    static final short UNSUPPORTED_VERSION = 35;
    private static final ByteOrder ORDER = ByteOrder.BIG_ENDIAN;

    private final byte[] v0;
    private final byte[] v1;
    private final byte[] v3;
    private final byte[] unsupported;

    /**
     * @param ranges {key, oldest, newest} of every API served, in key order.
     */
    ApiVersionsResponder(final short[][] ranges)
    {
        this.v0 = classic(ranges, (short)0, false);
        this.v1 = classic(ranges, (short)0, true);
        this.v3 = flexible(ranges);
        this.unsupported = classic(ranges, UNSUPPORTED_VERSION, false);
    }

    /** Answers the request (version in any range) and completes it. */
    void respond(final int correlationId, final short version, final InFlightRequest request)
    {
        final byte[] body;
        if (version < 0 || version > MAX_VERSION)
        {
            body = unsupported;
        }
        else if (version >= 3)
        {
            body = v3;
        }
        else if (version >= 1)
        {
            body = v1;
        }
        else
        {
            body = v0;
        }
        final ResponseWriter writer = request.responseWriter();
        final int index = writer.claim(ResponseHeader.V0_LENGTH + body.length);
        ResponseHeader.write(writer.buffer(), index, correlationId, 0);
        writer.buffer().putBytes(index + ResponseHeader.V0_LENGTH, body);
        request.complete();
    }

    private static byte[] classic(final short[][] ranges, final short errorCode, final boolean throttle)
    {
        final UnsafeBuffer buffer = new UnsafeBuffer(new byte[2 + 4 + ranges.length * 6 + (throttle ? 4 : 0)]);
        int index = 0;
        buffer.putShort(index, errorCode, ORDER);
        index += 2;
        buffer.putInt(index, ranges.length, ORDER);
        index += 4;
        for (final short[] range : ranges)
        {
            index = putRange(buffer, index, range);
        }
        if (throttle)
        {
            buffer.putInt(index, 0, ORDER);
        }
        return buffer.byteArray();
    }

    private static byte[] flexible(final short[][] ranges)
    {
        final int countLength = Varints.sizeOfUnsignedVarint(ranges.length + 1);
        final byte[] bytes = new byte[2 + countLength + ranges.length * 7 + 4 + 1];
        final UnsafeBuffer buffer = new UnsafeBuffer(bytes);
        int index = 0;
        buffer.putShort(index, (short)0, ORDER);
        index += 2;
        index += Varints.putUnsignedVarint(buffer, index, ranges.length + 1);
        for (final short[] range : ranges)
        {
            index = putRange(buffer, index, range);
            buffer.putByte(index++, (byte)0);
        }
        buffer.putInt(index, 0, ORDER);
        index += 4;
        buffer.putByte(index, (byte)0);
        return bytes;
    }

    private static int putRange(final UnsafeBuffer buffer, final int index, final short[] range)
    {
        buffer.putShort(index, range[0], ORDER);
        buffer.putShort(index + 2, range[1], ORDER);
        buffer.putShort(index + 4, range[2], ORDER);
        return index + 6;
    }
}
