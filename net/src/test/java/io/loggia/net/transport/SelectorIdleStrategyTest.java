package io.loggia.net.transport;

import org.junit.jupiter.api.Test;

import java.nio.channels.Selector;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

import static org.assertj.core.api.Assertions.assertThat;

class SelectorIdleStrategyTest
{
    private static final long MINUTE_NS = TimeUnit.MINUTES.toNanos(1);

    @Test
    void wakeEndsABlockInTheSelector() throws Exception
    {
        try (Selector selector = Selector.open())
        {
            final SelectorIdleStrategy strategy = new SelectorIdleStrategy(selector, 0, MINUTE_NS);
            final AtomicInteger idles = new AtomicInteger();
            final Thread sleeper = new Thread(() ->
            {
                for (int i = 0; i < 5; i++)
                {
                    strategy.idle(0);
                    idles.incrementAndGet();
                }
            });
            sleeper.start();
            for (int i = 1; i <= 5; i++)
            {
                TestServers.await(() -> isBlockedInSelect(sleeper), "the sleeper to block in select");
                strategy.wake();
                final int expected = i;
                TestServers.await(() -> idles.get() == expected, "the woken sleeper to return");
            }
            sleeper.join(TestServers.DEADLINE_MS);
            assertThat(sleeper.isAlive()).isFalse();
        }
    }

    @Test
    void wakeBeforeBlockingSkipsTheBlock() throws Exception
    {
        try (Selector selector = Selector.open())
        {
            final SelectorIdleStrategy strategy = new SelectorIdleStrategy(selector, 0, MINUTE_NS);
            strategy.wake();
            final Thread sleeper = new Thread(() -> strategy.idle(0));
            sleeper.start();
            sleeper.join(TestServers.DEADLINE_MS);
            assertThat(sleeper.isAlive()).isFalse();
        }
    }

    @Test
    void onceTheSelectorIsClosedTheThreadParksUntilWokenInsteadOfSpinning() throws Exception
    {
        final Selector selector = Selector.open();
        final SelectorIdleStrategy strategy = new SelectorIdleStrategy(selector, 0, MINUTE_NS);
        selector.close();
        final AtomicInteger idles = new AtomicInteger();
        final Thread sleeper = new Thread(() ->
        {
            for (int i = 0; i < 5; i++)
            {
                strategy.idle(0);
                idles.incrementAndGet();
            }
        });
        sleeper.start();
        for (int i = 1; i <= 5; i++)
        {
            TestServers.await(() -> isParkedBy(sleeper, strategy), "the sleeper to park");
            assertThat(idles.get()).isEqualTo(i - 1);
            strategy.wake();
            final int expected = i;
            TestServers.await(() -> idles.get() == expected, "the woken sleeper to return");
        }
        sleeper.join(TestServers.DEADLINE_MS);
        assertThat(sleeper.isAlive()).isFalse();
    }

    @Test
    void stopBlockingEndsAParkAndEveryLaterOne() throws Exception
    {
        final Selector selector = Selector.open();
        final SelectorIdleStrategy strategy = new SelectorIdleStrategy(selector, 0, MINUTE_NS);
        selector.close();
        final AtomicInteger idles = new AtomicInteger();
        final Thread sleeper = new Thread(() ->
        {
            for (int i = 0; i < 1_000; i++)
            {
                strategy.idle(0);
                idles.incrementAndGet();
            }
        });
        sleeper.start();
        TestServers.await(() -> isParkedBy(sleeper, strategy), "the sleeper to park");
        strategy.stopBlocking();
        sleeper.join(TestServers.DEADLINE_MS);
        assertThat(sleeper.isAlive()).isFalse();
        assertThat(idles.get()).isEqualTo(1_000);
    }

    private static boolean isParkedBy(final Thread thread, final Object blocker)
    {
        return LockSupport.getBlocker(thread) == blocker;
    }

    private static boolean isBlockedInSelect(final Thread thread)
    {
        for (final StackTraceElement frame : thread.getStackTrace())
        {
            if (frame.getClassName().startsWith("sun.nio.ch.") && frame.getMethodName().equals("doSelect"))
            {
                return true;
            }
        }
        return false;
    }

    @Test
    void blockEndsAtTheDeadline() throws Exception
    {
        try (Selector selector = Selector.open())
        {
            final SelectorIdleStrategy strategy = new SelectorIdleStrategy(selector, 0, MINUTE_NS);
            strategy.blockUntil(System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(20));
            final Thread sleeper = new Thread(() -> strategy.idle(0));
            sleeper.start();
            sleeper.join(TestServers.DEADLINE_MS);
            assertThat(sleeper.isAlive()).isFalse();
        }
    }

    @Test
    void stopBlockingEndsTheBlockAndEveryLaterOne() throws Exception
    {
        try (Selector selector = Selector.open())
        {
            final SelectorIdleStrategy strategy = new SelectorIdleStrategy(selector, 0, MINUTE_NS);
            final AtomicInteger idles = new AtomicInteger();
            final Thread sleeper = new Thread(() ->
            {
                strategy.idle(0);
                idles.incrementAndGet();
                for (int i = 0; i < 1000; i++)
                {
                    strategy.idle(0);
                }
                idles.incrementAndGet();
            });
            sleeper.start();
            strategy.stopBlocking();
            sleeper.join(TestServers.DEADLINE_MS);
            assertThat(sleeper.isAlive()).isFalse();
            assertThat(idles.get()).isEqualTo(2);
        }
    }
}
