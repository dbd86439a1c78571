package io.loggia.net.broker.groups;

import org.apache.kafka.common.TopicPartition;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicLong;

/**
 * What every member of a group saw, in one global order: records delivered, partitions assigned, offsets
 * committed. {@link #violations()} checks Kafka's at-least-once contract: a record may be delivered again only
 * to a member that was assigned its partition after the first delivery, and only if no commit covering it had
 * completed before that assignment.
 * <p>
 * Thread safe: every member thread appends; the test thread reads.
 */
final class DeliveryLog
{
    /** One event; {@code seq} orders all events of all members. */
    record Event(long seq, Kind kind, String member, TopicPartition partition, long offset, String value)
    {
    }

    enum Kind
    {
        DELIVERED, ASSIGNED, COMMITTED
    }

    private final AtomicLong sequence = new AtomicLong();
    private final ConcurrentLinkedQueue<Event> events = new ConcurrentLinkedQueue<>();

    void delivered(final String member, final TopicPartition partition, final long offset, final String value)
    {
        events.add(new Event(sequence.incrementAndGet(), Kind.DELIVERED, member, partition, offset, value));
    }

    void assigned(final String member, final TopicPartition partition)
    {
        events.add(new Event(sequence.incrementAndGet(), Kind.ASSIGNED, member, partition, -1, null));
    }

    /** A commit of {@code offset} (the next offset to read) completed. */
    void committed(final String member, final TopicPartition partition, final long offset)
    {
        events.add(new Event(sequence.incrementAndGet(), Kind.COMMITTED, member, partition, offset, null));
    }

    /** Every distinct value delivered. */
    Set<String> values()
    {
        final Set<String> values = new HashSet<>();
        for (final Event event : events)
        {
            if (event.kind() == Kind.DELIVERED)
            {
                values.add(event.value());
            }
        }
        return values;
    }

    /** Deliveries of a record that had been delivered before. */
    int duplicates()
    {
        int duplicates = 0;
        final Set<String> seen = new HashSet<>();
        for (final Event event : snapshot())
        {
            if (event.kind() == Kind.DELIVERED && !seen.add(event.value()))
            {
                duplicates++;
            }
        }
        return duplicates;
    }

    /** Redeliveries that at-least-once does not allow, one line each; empty when all is well. */
    List<String> violations()
    {
        final List<String> violations = new ArrayList<>();
        final Map<String, Event> firstDelivery = new HashMap<>();
        final Map<String, Long> lastAssignment = new HashMap<>();
        final Map<TopicPartition, Long> committed = new HashMap<>();
        final Map<String, Long> committedAtAssignment = new HashMap<>();
        for (final Event event : snapshot())
        {
            final String memberPartition = event.member() + ' ' + event.partition();
            switch (event.kind())
            {
                case ASSIGNED:
                    lastAssignment.put(memberPartition, event.seq());
                    committedAtAssignment.put(memberPartition, committed.getOrDefault(event.partition(), 0L));
                    break;
                case COMMITTED:
                    committed.merge(event.partition(), event.offset(), Math::max);
                    break;
                default:
                {
                    final Event first = firstDelivery.putIfAbsent(event.value(), event);
                    if (null == first)
                    {
                        break;
                    }
                    final Long assignedAt = lastAssignment.get(memberPartition);
                    if (null == assignedAt || assignedAt < first.seq())
                    {
                        violations.add(event + " repeats " + first + " without a rebalance in between");
                    }
                    else if (event.offset() < committedAtAssignment.get(memberPartition))
                    {
                        violations.add(event + " repeats " + first + " below offset " +
                            committedAtAssignment.get(memberPartition) + ", committed before the assignment");
                    }
                    break;
                }
            }
        }
        return violations;
    }

    private List<Event> snapshot()
    {
        final List<Event> snapshot = new ArrayList<>(events);
        snapshot.sort((a, b) -> Long.compare(a.seq(), b.seq()));
        return snapshot;
    }
}
