package io.loggia.index;

/**
 * Results of {@link OffsetIndex#sanityCheck(long)} and {@link TimeIndex#sanityCheck(long)}: {@link #OK} or the
 * first invariant found broken. An index is derived data, so any code other than {@link #OK} means "rebuild it
 * from the segment", and the code only says why, for the log line.
 */
public final class IndexCheck
{
    /** Every invariant holds. */
    public static final int OK = 0;
    /** The file was not a whole number of entries when opened. */
    public static final int LENGTH_NOT_MULTIPLE_OF_ENTRY = 1;
    /** An entry's relative offset is negative: its offset is below the segment's base offset. */
    public static final int OFFSET_BELOW_BASE = 2;
    /** An entry's offset is not greater than the previous entry's. */
    public static final int OFFSETS_NOT_INCREASING = 3;
    /** An entry's file position is negative or smaller than the previous entry's. */
    public static final int POSITIONS_DECREASING = 4;
    /** An entry's file position is at or beyond the end of the log segment. */
    public static final int POSITION_BEYOND_LOG = 5;
    /** A time index entry's timestamp is not greater than the previous entry's. */
    public static final int TIMESTAMPS_NOT_INCREASING = 6;
    /** A time index entry's offset is at or beyond the segment's next offset. */
    public static final int OFFSET_BEYOND_LOG = 7;

    private IndexCheck()
    {
    }

    /**
     * A short description of a code, for log lines and the dump tool.
     *
     * @param code a result of a sanity check.
     * @return the description.
     */
    public static String describe(final int code)
    {
        switch (code)
        {
            case OK:
                return "ok";
            case LENGTH_NOT_MULTIPLE_OF_ENTRY:
                return "file length is not a multiple of the entry size";
            case OFFSET_BELOW_BASE:
                return "entry offset below the base offset";
            case OFFSETS_NOT_INCREASING:
                return "entry offsets not strictly increasing";
            case POSITIONS_DECREASING:
                return "entry positions negative or decreasing";
            case POSITION_BEYOND_LOG:
                return "entry position at or beyond the log size";
            case TIMESTAMPS_NOT_INCREASING:
                return "entry timestamps not strictly increasing";
            case OFFSET_BEYOND_LOG:
                return "entry offset at or beyond the segment's next offset";
            default:
                return "unknown check result " + code;
        }
    }
}
