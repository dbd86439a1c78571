package io.loggia.net.fuzz;

import org.apache.kafka.common.Uuid;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * The names a fuzz run speaks of, so that generated requests reach past "unknown topic" into the handlers:
 * scratch topics (which admin requests may create, delete, grow and reconfigure), stored topics (written before
 * the run and checksummed after it, so only read and appended to), groups, config names, and some names no
 * broker should accept.
 */
final class Dictionary
{
    static final String SCRATCH_PREFIX = "fz-";
    static final String STORED_PREFIX = "keep-";
    static final String[] BAD_TOPIC_NAMES = {
        "", ".", "..", "a/b", "spa ce", "__consumer_offsets", "__transaction_state", "tö", "x".repeat(250),
        "fz.0", "fz_0",
    };
    static final String[] GROUPS = {"g0", "g1", "g2", "g3", "", "__consumer_offsets", "g".repeat(300)};
    static final String[] TOPIC_CONFIGS = {
        "cleanup.policy", "retention.ms", "retention.bytes", "segment.bytes", "segment.ms", "segment.index.bytes",
        "index.interval.bytes", "max.message.bytes", "message.timestamp.type", "flush.messages", "flush.ms",
        "file.delete.delay.ms", "min.insync.replicas", "compression.type", "unclean.leader.election.enable",
        "no.such.config", "",
    };
    static final String[] CONFIG_VALUES = {
        "1", "0", "-1", "delete", "compact", "delete,compact", "CreateTime", "LogAppendTime", "abc", "",
        "2147483648", "9223372036854775808", "1048576", "86400000", "producer", "true",
    };

    final List<String> scratchTopics = new ArrayList<>();
    final List<String> storedTopics = new ArrayList<>();
    final List<Uuid> scratchTopicIds = new ArrayList<>();
    final List<Uuid> storedTopicIds = new ArrayList<>();
    /** Topics no input may delete or reconfigure: the stored ones and the canary's, by name and by id. */
    final java.util.Set<String> protectedNames = new java.util.HashSet<>();
    final java.util.Set<Uuid> protectedIds = new java.util.HashSet<>();
    final int nodeId;

    Dictionary(final int nodeId)
    {
        this.nodeId = nodeId;
    }

    /**
     * A topic name: mostly known ones, sometimes an unknown or illegal one.
     *
     * @param writable false for requests that may delete or reconfigure what they name: stored topics never.
     */
    String topic(final SplittableRandom random, final boolean writable)
    {
        final int pick = random.nextInt(20);
        if (pick == 0)
        {
            return BAD_TOPIC_NAMES[random.nextInt(BAD_TOPIC_NAMES.length)];
        }
        if (pick == 1)
        {
            return SCRATCH_PREFIX + "new-" + random.nextInt(4);
        }
        if (!writable && !storedTopics.isEmpty() && pick < 8)
        {
            return storedTopics.get(random.nextInt(storedTopics.size()));
        }
        return scratchTopics.isEmpty() ? SCRATCH_PREFIX + "0" : scratchTopics.get(random.nextInt(scratchTopics.size()));
    }

    /** A topic id: mostly known ones, sometimes zero or random. */
    Uuid topicId(final SplittableRandom random, final boolean writable)
    {
        final int pick = random.nextInt(12);
        if (pick == 0)
        {
            return Uuid.ZERO_UUID;
        }
        if (pick == 1)
        {
            return new Uuid(random.nextLong(), random.nextLong());
        }
        if (!writable && !storedTopicIds.isEmpty() && pick < 6)
        {
            return storedTopicIds.get(random.nextInt(storedTopicIds.size()));
        }
        return scratchTopicIds.isEmpty() ? Uuid.ZERO_UUID : scratchTopicIds.get(random.nextInt(scratchTopicIds.size()));
    }

    String group(final SplittableRandom random)
    {
        return random.nextInt(4) == 0 ? GROUPS[random.nextInt(GROUPS.length)] : GROUPS[random.nextInt(4)];
    }

    String configName(final SplittableRandom random)
    {
        return TOPIC_CONFIGS[random.nextInt(TOPIC_CONFIGS.length)];
    }

    String configValue(final SplittableRandom random)
    {
        return random.nextInt(10) == 0 ? null : CONFIG_VALUES[random.nextInt(CONFIG_VALUES.length)];
    }
}
