package io.loggia.codec.wire;

import org.agrona.DirectBuffer;

import static org.agrona.BitUtil.SIZE_OF_INT;
import static org.agrona.BitUtil.SIZE_OF_SHORT;

/**
 * Decoder of the request header that opens every request frame, after the size field.
 * <pre>
 *   0                   1                   2                   3
 *   0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 *  +-------------------------------+-------------------------------+
 *  |        API Key (int16)        |      API Version (int16)      |  0, 2
 *  +-------------------------------+-------------------------------+
 *  |                     Correlation Id (int32)                    |  4
 *  +-------------------------------+-------------------------------+
 *  |  Client Id Length (int16)     |  Client Id (UTF-8) ...        |  8, 10     -1 = null
 *  +-------------------------------+-------------------------------+
 *  |  v2 only: tagged fields (uvarint count, then tag/size/bytes)  |
 *  +---------------------------------------------------------------+
 * </pre>
 * Version 1 is used by requests in their non-flexible versions, version 2 by flexible ones; which one a request
 * carries follows from its API key and version ({@link ApiKeys#requestHeaderVersion(int, int)}). The client id
 * keeps its int16 length even in v2: the header must be readable before the reader knows whether the API
 * version is flexible, and Kafka fixed the field to its classic form for that reason.
 * <p>
 * An unknown API key still yields the API version and correlation id, so the broker can say what it refused.
 * <p>
 * Not thread safe; one instance per network thread, re-wrapped per request.
 */
public final class RequestHeader
{
    public static final int API_KEY_OFFSET = 0;
    public static final int API_VERSION_OFFSET = API_KEY_OFFSET + SIZE_OF_SHORT;
    public static final int CORRELATION_ID_OFFSET = API_VERSION_OFFSET + SIZE_OF_SHORT;
    public static final int CLIENT_ID_LENGTH_OFFSET = CORRELATION_ID_OFFSET + SIZE_OF_INT;
    /** Size of a v1 header with a null or empty client id. */
    public static final int MIN_LENGTH = CLIENT_ID_LENGTH_OFFSET + SIZE_OF_SHORT;

    private final WireReader reader = new WireReader();
    private DirectBuffer buffer;
    private int offset;
    private short apiKey;
    private short apiVersion;
    private int correlationId;
    private int headerVersion;
    private int clientIdOffset;
    private int clientIdLength;
    private int bodyOffset;
    private int errorCode;

    /**
     * Decodes the header at {@code offset}.
     *
     * @param buffer holding the request.
     * @param offset of the header, just after the frame's size field.
     * @param limit  index one past the last byte of the frame.
     * @return {@link WireError#NONE}, {@link WireError#UNKNOWN_API_KEY}, or a malformed-input code.
     */
    public int wrap(final DirectBuffer buffer, final int offset, final int limit)
    {
        this.buffer = buffer;
        this.offset = offset;
        final WireReader reader = this.reader.wrap(buffer, offset, limit);
        apiKey = reader.readInt16();
        apiVersion = reader.readInt16();
        correlationId = reader.readInt32();
        clientIdLength = reader.readNullableString();
        clientIdOffset = reader.valueOffset();
        headerVersion = ApiKeys.requestHeaderVersion(apiKey, apiVersion);
        if (headerVersion == 2)
        {
            reader.skipTaggedFields();
        }
        bodyOffset = reader.position();
        if (reader.errorCode() == WireError.NONE && headerVersion == ApiKeys.UNKNOWN)
        {
            reader.fail(WireError.UNKNOWN_API_KEY);
        }
        errorCode = reader.errorCode();
        return errorCode;
    }

    public DirectBuffer buffer()
    {
        return buffer;
    }

    public int offset()
    {
        return offset;
    }

    public int errorCode()
    {
        return errorCode;
    }

    public short apiKey()
    {
        return apiKey;
    }

    public short apiVersion()
    {
        return apiVersion;
    }

    public int correlationId()
    {
        return correlationId;
    }

    /**
     * @return 1 or 2, or {@link ApiKeys#UNKNOWN} for an unknown API key.
     */
    public int headerVersion()
    {
        return headerVersion;
    }

    /**
     * @return where the client id's bytes start in {@link #buffer()}.
     */
    public int clientIdOffset()
    {
        return clientIdOffset;
    }

    /**
     * @return the client id's length in bytes, or {@link WireReader#NULL_LENGTH}.
     */
    public int clientIdLength()
    {
        return clientIdLength;
    }

    /**
     * @return where the request body starts in {@link #buffer()}: the first byte after the header.
     */
    public int bodyOffset()
    {
        return bodyOffset;
    }

    /**
     * @return the header's length in bytes.
     */
    public int encodedLength()
    {
        return bodyOffset - offset;
    }

    public String toString()
    {
        if (buffer == null)
        {
            return "RequestHeader{unwrapped}";
        }
        final String clientId = clientIdLength < 0 ?
            "null" : buffer.getStringWithoutLengthUtf8(clientIdOffset, clientIdLength);
        return "apiKey: " + apiKey + " (" + ApiKeys.name(apiKey) + ")" +
            " apiVersion: " + apiVersion +
            " correlationId: " + correlationId +
            " headerVersion: " + headerVersion +
            " clientId: " + clientId +
            " error: " + WireError.name(errorCode);
    }
}
