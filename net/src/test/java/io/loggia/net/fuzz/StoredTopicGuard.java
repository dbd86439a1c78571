package io.loggia.net.fuzz;

import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.message.AlterConfigsRequestData;
import org.apache.kafka.common.message.DeleteTopicsRequestData;
import org.apache.kafka.common.message.IncrementalAlterConfigsRequestData;
import org.apache.kafka.common.message.RequestHeaderData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.ByteBufferAccessor;

import java.nio.ByteBuffer;

/**
 * Keeps a run's own requests from legitimately destroying the data it checksums: an input that the broker would
 * read as a DeleteTopics of a stored topic (or the canary's), or an AlterConfigs or IncrementalAlterConfigs of one
 * (a retention of 1 ms would delete it), is not sent. Mutations make such inputs now and then (an array element
 * spliced from a Fetch seed into a DeleteTopics, say). The broker reads these APIs with the same kafka-clients
 * classes, so reading them here tells exactly what it would do.
 */
final class StoredTopicGuard
{
    private final Dictionary dictionary;
    private long refused;

    StoredTopicGuard(final Dictionary dictionary)
    {
        this.dictionary = dictionary;
    }

    long refused()
    {
        return refused;
    }

    /** Whether the broker would delete or reconfigure a stored topic if it got this input. */
    boolean threatens(final FuzzInput input)
    {
        final int apiKey = input.apiKey();
        if (apiKey != ApiKeys.DELETE_TOPICS.id && apiKey != ApiKeys.ALTER_CONFIGS.id &&
            apiKey != ApiKeys.INCREMENTAL_ALTER_CONFIGS.id)
        {
            return false;
        }
        final short version = input.apiVersion();
        final ByteBufferAccessor accessor = new ByteBufferAccessor(ByteBuffer.wrap(input.frame));
        final boolean threat;
        try
        {
            new RequestHeaderData(accessor, ApiKeys.forId(apiKey).requestHeaderVersion(version));
            if (apiKey == ApiKeys.DELETE_TOPICS.id)
            {
                threat = deletes(new DeleteTopicsRequestData(accessor, version));
            }
            else if (apiKey == ApiKeys.ALTER_CONFIGS.id)
            {
                threat = new AlterConfigsRequestData(accessor, version).resources().stream()
                    .anyMatch(resource -> isStored(resource.resourceName()));
            }
            else
            {
                threat = new IncrementalAlterConfigsRequestData(accessor, version).resources().stream()
                    .anyMatch(resource -> isStored(resource.resourceName()));
            }
        }
        catch (final RuntimeException ex)
        {
            return false;
        }
        if (threat)
        {
            refused++;
        }
        return threat;
    }

    private boolean deletes(final DeleteTopicsRequestData request)
    {
        for (final String name : request.topicNames())
        {
            if (isStored(name))
            {
                return true;
            }
        }
        for (final DeleteTopicsRequestData.DeleteTopicState topic : request.topics())
        {
            if (isStored(topic.name()) || isStored(topic.topicId()))
            {
                return true;
            }
        }
        return false;
    }

    private boolean isStored(final String name)
    {
        synchronized (dictionary)
        {
            return null != name && dictionary.protectedNames.contains(name);
        }
    }

    private boolean isStored(final Uuid id)
    {
        synchronized (dictionary)
        {
            return null != id && dictionary.protectedIds.contains(id);
        }
    }
}
