package io.loggia.perf;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.Node;
import org.apache.kafka.common.TopicPartitionInfo;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.errors.TopicExistsException;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.locks.LockSupport;

/**
 * Creates the run's topics before it and deletes them after, with Kafka's AdminClient.
 * <p>
 * Not thread safe: used only by the run's main thread.
 */
public final class TopicAdmin implements AutoCloseable
{
    private static final long TIMEOUT_SECONDS = 60;

    private final Admin admin;

    /**
     * @param bootstrapServers the broker.
     * @param overrides        extra client properties (security and the like).
     */
    public TopicAdmin(final String bootstrapServers, final Map<String, String> overrides)
    {
        final Properties props = new Properties();
        props.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        props.put(AdminClientConfig.CLIENT_ID_CONFIG, "loggia-perf-admin");
        props.putAll(overrides);
        this.admin = Admin.create(props);
    }

    /**
     * Create the topics and wait until every partition has a leader.
     *
     * @param names             topic names.
     * @param partitions        partitions per topic.
     * @param replicationFactor replicas per partition.
     * @param reuseExisting     accept topics that already exist (their partition count must then match).
     * @return the names that already existed.
     * @throws Exception when creation fails or does not finish within a minute.
     */
    public List<String> create(
        final List<String> names, final int partitions, final short replicationFactor, final boolean reuseExisting)
        throws Exception
    {
        final List<NewTopic> topics = new ArrayList<>();
        for (final String name : names)
        {
            topics.add(new NewTopic(name, partitions, replicationFactor));
        }
        final List<String> existing = new ArrayList<>();
        final Map<String, org.apache.kafka.common.KafkaFuture<Void>> futures = admin.createTopics(topics).values();
        for (final String name : names)
        {
            try
            {
                futures.get(name).get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
            }
            catch (final ExecutionException ex)
            {
                if (!(ex.getCause() instanceof TopicExistsException) || !reuseExisting)
                {
                    throw new IllegalStateException("creating topic " + name + ": " + ex.getCause().getMessage(), ex);
                }
                existing.add(name);
            }
        }
        awaitLeaders(names, partitions);
        return existing;
    }

    /**
     * @param names topic names.
     * @return each topic's id and leader, in the order of the names.
     * @throws Exception when the topics cannot be described, or a topic's partitions have different leaders.
     */
    public List<TopicLayout> describe(final List<String> names) throws Exception
    {
        final Map<String, TopicDescription> descriptions =
            admin.describeTopics(names).allTopicNames().get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
        final List<TopicLayout> layouts = new ArrayList<>();
        for (final String name : names)
        {
            final TopicDescription description = descriptions.get(name);
            final Node leader = description.partitions().get(0).leader();
            for (final TopicPartitionInfo info : description.partitions())
            {
                if (null == info.leader() || info.leader().id() != leader.id())
                {
                    throw new IllegalStateException("topic " + name + ": partitions have different leaders; " +
                        "the lean producer drives one broker");
                }
            }
            final Uuid id = description.topicId();
            layouts.add(new TopicLayout(name, null == id ? 0 : id.getMostSignificantBits(),
                null == id ? 0 : id.getLeastSignificantBits(), description.partitions().size(), leader.id(),
                leader.host(), leader.port()));
        }
        return layouts;
    }

    /**
     * @param names topic names.
     * @return null on success, else why the topics could not be deleted.
     */
    public String delete(final List<String> names)
    {
        try
        {
            admin.deleteTopics(names).all().get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
            return null;
        }
        catch (final ExecutionException ex)
        {
            return ex.getCause().getClass().getSimpleName() + ": " + ex.getCause().getMessage();
        }
        catch (final TimeoutException ex)
        {
            return "timed out after " + TIMEOUT_SECONDS + " s";
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
            return "interrupted";
        }
    }

    public void close()
    {
        admin.close();
    }

    private void awaitLeaders(final List<String> names, final int partitions) throws Exception
    {
        final long deadlineNs = System.nanoTime() + TimeUnit.SECONDS.toNanos(TIMEOUT_SECONDS);
        String missing = "";
        while (System.nanoTime() - deadlineNs < 0)
        {
            missing = "";
            try
            {
                final Map<String, TopicDescription> descriptions =
                    admin.describeTopics(names).allTopicNames().get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
                for (final String name : names)
                {
                    final TopicDescription description = descriptions.get(name);
                    if (null == description)
                    {
                        missing = name;
                        break;
                    }
                    if (description.partitions().size() != partitions)
                    {
                        throw new IllegalStateException("topic " + name + " has " + description.partitions().size() +
                            " partitions, the workload wants " + partitions);
                    }
                    for (final TopicPartitionInfo info : description.partitions())
                    {
                        if (null == info.leader() || info.leader().isEmpty())
                        {
                            missing = name + "-" + info.partition();
                            break;
                        }
                    }
                }
            }
            catch (final ExecutionException ex)
            {
                missing = ex.getCause().getMessage();
            }
            if (missing.isEmpty())
            {
                return;
            }
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(100));
        }
        throw new IllegalStateException("no leader for " + missing + " after " + TIMEOUT_SECONDS + " s");
    }
}
