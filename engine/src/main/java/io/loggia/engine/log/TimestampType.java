package io.loggia.engine.log;

/**
 * {@code message.timestamp.type}: which clock a topic's batches carry in their max timestamp.
 */
public enum TimestampType
{
    /** The producer's timestamps are stored as sent. */
    CREATE_TIME("CreateTime"),
    /** The writer stamps its own clock into each batch's max timestamp and sets attribute bit 3. */
    LOG_APPEND_TIME("LogAppendTime");

    private final String configValue;

    TimestampType(final String configValue)
    {
        this.configValue = configValue;
    }

    /** The spelling Kafka uses in configs. */
    public String configValue()
    {
        return configValue;
    }

    /**
     * @param value a config value, exact spelling as Kafka accepts it.
     * @return the type, or null if the value names none.
     */
    public static TimestampType fromConfigValue(final String value)
    {
        for (final TimestampType type : values())
        {
            if (type.configValue.equals(value))
            {
                return type;
            }
        }
        return null;
    }
}
