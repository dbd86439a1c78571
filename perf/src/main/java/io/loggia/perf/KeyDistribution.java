package io.loggia.perf;

import java.util.Locale;

/**
 * How producers choose a record key, which decides how the default partitioner spreads records.
 */
public enum KeyDistribution
{
    /** No key: the producer's sticky partitioner fills one batch per partition at a time. */
    NONE,
    /** A random 8-byte key per record: partitions by murmur2 hash, uniform in expectation. */
    RANDOM,
    /** 8-byte keys cycling through {@link #ROUND_ROBIN_KEYS} distinct values: each key recurs in order. */
    ROUND_ROBIN;

    /** Distinct keys in the {@link #ROUND_ROBIN} cycle. */
    public static final int ROUND_ROBIN_KEYS = 1024;

    /** Bytes in every key when keys are used. */
    public static final int KEY_LENGTH = 8;

    /**
     * @param text {@code none}, {@code random} or {@code round-robin} (case-insensitive).
     * @return the distribution.
     * @throws IllegalArgumentException for any other text.
     */
    public static KeyDistribution parse(final String text)
    {
        switch (text.toLowerCase(Locale.ROOT))
        {
            case "none":
                return NONE;
            case "random":
                return RANDOM;
            case "round-robin":
                return ROUND_ROBIN;
            default:
                throw new IllegalArgumentException("keys must be none, random or round-robin, got '" + text + "'");
        }
    }

    /** @return the command-line spelling. */
    public String label()
    {
        return this == ROUND_ROBIN ? "round-robin" : name().toLowerCase(Locale.ROOT);
    }
}
