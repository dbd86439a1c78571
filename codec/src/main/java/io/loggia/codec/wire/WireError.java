package io.loggia.codec.wire;

/**
 * Codes the wire readers and writers return instead of throwing. Malformed input from a client is an expected
 * outcome on a broker, so every decoder stops at the first bad field, records one of these codes and leaves
 * the rest of the input alone. All codes are negative so that a method can return either a non-negative
 * result (a length, a count) or a code.
 */
public final class WireError
{
    /** No error. */
    public static final int NONE = 0;
    /** A field, or a length that a field announces, reaches past the limit of the input. */
    public static final int TRUNCATED = -1;
    /** A length or count is negative where only null (-1) or a non-negative value is legal. */
    public static final int NEGATIVE_LENGTH = -2;
    /** A null string, bytes or array where the schema does not allow null. */
    public static final int UNEXPECTED_NULL = -3;
    /** An unsigned varint longer than 5 bytes or a varlong longer than 10, or one whose last byte overflows. */
    public static final int VARINT_TOO_LONG = -4;
    /** An array count larger than the remaining bytes could hold, even at the smallest element size. */
    public static final int COUNT_TOO_LARGE = -5;
    /** The API version is outside the range this codec reads or writes. */
    public static final int UNSUPPORTED_VERSION = -6;
    /** The API key is not one this codec knows. */
    public static final int UNKNOWN_API_KEY = -7;
    /** A writer ran out of room in its buffer, or an encoder out of preallocated slots. */
    public static final int INSUFFICIENT_CAPACITY = -8;
    /** An encoder was told one count up front and given another number of elements, or called out of order. */
    public static final int COUNT_MISMATCH = -9;
    /** The bytes after the last field of a message were not consumed: the message is longer than its schema. */
    public static final int TRAILING_BYTES = -10;
    /** A value too long for its length field, such as a string of more than 32767 bytes. */
    public static final int VALUE_TOO_LONG = -11;

    private WireError()
    {
    }

    /**
     * @param code one of the constants above.
     * @return the constant's name, for logs and the dump tools.
     */
    public static String name(final int code)
    {
        switch (code)
        {
            case NONE: return "NONE";
            case TRUNCATED: return "TRUNCATED";
            case NEGATIVE_LENGTH: return "NEGATIVE_LENGTH";
            case UNEXPECTED_NULL: return "UNEXPECTED_NULL";
            case VARINT_TOO_LONG: return "VARINT_TOO_LONG";
            case COUNT_TOO_LARGE: return "COUNT_TOO_LARGE";
            case UNSUPPORTED_VERSION: return "UNSUPPORTED_VERSION";
            case UNKNOWN_API_KEY: return "UNKNOWN_API_KEY";
            case INSUFFICIENT_CAPACITY: return "INSUFFICIENT_CAPACITY";
            case COUNT_MISMATCH: return "COUNT_MISMATCH";
            case TRAILING_BYTES: return "TRAILING_BYTES";
            case VALUE_TOO_LONG: return "VALUE_TOO_LONG";
            default: return "UNKNOWN(" + code + ")";
        }
    }
}
