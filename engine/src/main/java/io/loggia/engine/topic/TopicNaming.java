package io.loggia.engine.topic;

import io.loggia.engine.log.TopicNames;

/**
 * The checks a new topic name passes, with Kafka's errors and messages: a legal name, no topic of that name,
 * and no topic whose name differs only by '.' versus '_' (both become '_' in metric names, so Kafka refuses the
 * pair).
 */
final class TopicNaming
{
    private TopicNaming()
    {
    }

    /**
     * @param internalAllowed whether the broker itself asks (internal topic names allowed).
     * @return null if a topic of this name may be created, else {@code {code, message}} as a failure.
     */
    static Failure check(final String name, final boolean internalAllowed, final TopicRegistry registry)
    {
        final int valid = null == name ? TopicNames.EMPTY : TopicNames.validate(name);
        if (TopicNames.VALID != valid)
        {
            return new Failure(TopicErrors.INVALID_TOPIC_EXCEPTION,
                "Topic name '" + name + "' is illegal: " + TopicNames.describe(valid));
        }
        if (!internalAllowed && Topic.isInternal(name))
        {
            return new Failure(TopicErrors.INVALID_REQUEST, "Creation of internal topic " + name + " is prohibited.");
        }
        if (null != registry.topic(name))
        {
            return new Failure(TopicErrors.TOPIC_ALREADY_EXISTS, "Topic '" + name + "' already exists.");
        }
        if (TopicNames.hasCollisionChars(name))
        {
            final String unified = TopicNames.unifyCollisionChars(name);
            for (final Topic existing : registry.topics())
            {
                if (TopicNames.unifyCollisionChars(existing.name()).equals(unified))
                {
                    return new Failure(TopicErrors.INVALID_TOPIC_EXCEPTION,
                        "Topic '" + name + "' collides with existing topic: " + existing.name());
                }
            }
        }
        return null;
    }

    /**
     * A refused request.
     *
     * @param errorCode a {@link TopicErrors} code.
     * @param message   Kafka-style message for the client.
     */
    record Failure(short errorCode, String message)
    {
    }
}
