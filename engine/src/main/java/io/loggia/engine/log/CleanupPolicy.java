package io.loggia.engine.log;

/**
 * {@code cleanup.policy}: {@code delete}, {@code compact} or both. Loggia applies {@code delete} (retention by
 * time and size); {@code compact} is stored and reported so clients see the value they set, but no cleaner
 * runs, so a compact-only topic keeps everything.
 */
public enum CleanupPolicy
{
    DELETE("delete", true, false),
    COMPACT("compact", false, true),
    COMPACT_DELETE("compact,delete", true, true);

    private final String configValue;
    private final boolean delete;
    private final boolean compact;

    CleanupPolicy(final String configValue, final boolean delete, final boolean compact)
    {
        this.configValue = configValue;
        this.delete = delete;
        this.compact = compact;
    }

    public String configValue()
    {
        return configValue;
    }

    /** Retention by time and size applies. */
    public boolean isDelete()
    {
        return delete;
    }

    public boolean isCompact()
    {
        return compact;
    }

    /**
     * Parses Kafka's list syntax: comma separated, blanks around items ignored, order free, duplicates allowed.
     *
     * @return the policy, or null if the list is empty or names something else.
     */
    public static CleanupPolicy fromConfigValue(final String value)
    {
        boolean delete = false;
        boolean compact = false;
        for (final String item : value.split(",", -1))
        {
            final String name = item.trim();
            if ("delete".equals(name))
            {
                delete = true;
            }
            else if ("compact".equals(name))
            {
                compact = true;
            }
            else
            {
                return null;
            }
        }
        if (delete && compact)
        {
            return COMPACT_DELETE;
        }
        return delete ? DELETE : compact ? COMPACT : null;
    }
}
