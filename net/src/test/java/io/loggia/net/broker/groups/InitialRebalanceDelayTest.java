package io.loggia.net.broker.groups;

import io.loggia.net.broker.BrokerFixture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static io.loggia.net.broker.groups.GroupClients.await;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code group.initial.rebalance.delay.ms}: the first rebalance of an empty group waits that long for more
 * members, so consumers started together land in one generation instead of one rebalance each. (Every other
 * test runs with 0: the first member's join completes at once.)
 */
class InitialRebalanceDelayTest
{
    private static final String TOPIC = "delayed";
    private static final int DELAY_MS = 1_000;

    @TempDir
    Path dir;

    @Test
    void consumersStartedTogetherShareTheFirstGenerationAfterTheDelay() throws Exception
    {
        final DeliveryLog log = new DeliveryLog();
        final List<MemberThread> members = new ArrayList<>();
        try (BrokerFixture broker = GroupClients.startBroker(dir,
            Map.of("group.initial.rebalance.delay.ms", Integer.toString(DELAY_MS))))
        {
            GroupClients.createTopic(broker.admin(), TOPIC, 3);
            final long startNs = System.nanoTime();
            for (int i = 0; i < 3; i++)
            {
                members.add(new MemberThread("m" + i, log,
                    () -> GroupClients.consumer(broker.bootstrapServers(), "together", Map.of()), TOPIC));
            }
            await(() -> members.stream().allMatch(member -> member.assignment().size() == 1),
                "each member to own one partition");
            final long elapsedMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startNs);
            assertThat(elapsedMs).as("the first rebalance waited for the delay").isGreaterThanOrEqualTo(DELAY_MS);
            for (final MemberThread member : members)
            {
                assertThat(member.generation()).as(member.name() + " joined the first generation").isEqualTo(1);
                assertThat(member.revocations()).isZero();
            }
        }
        finally
        {
            for (final MemberThread member : members)
            {
                member.close();
            }
        }
    }
}
